"""Review of the desk's checkout and the patient's record.

The desk's checkout in every billing mode, over JSON-RPC as the front desk: what the patient
owes for this session by the charge rule (the invoice that covers it and whether it is paid),
the plan's open invoice to collect, and never a session or a package billed twice, whether the
checkout or the billing run comes first. And the review's money hole: a deposit paid online
whose payment is pending at the provider is not collected again at the desk; and a patient's
record is not handed to another portal account by swapping its contact."""

import threading
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from . import test_desk_checkout
from .payment_common import DemoPaymentMixin
from .rpc_common import RpcCase, call_kw
from .test_desk_checkout import CheckoutCase


class PlanCheckoutCase(CheckoutCase):
    def _plan_session(self, mode, weeks_ago=2, plan=None, size=3):
        """A session of a ``mode`` plan of Sol's, ``weeks_ago`` weeks back, checked in and
        done, as the desk checks it out."""
        plan = plan or self.env["clinic.plan"].create(
            {
                "patient_id": self.patient.id,
                "therapist_id": self.therapist.id,
                "room_id": self.room.id,
                "monday": True,
                "hour": 10.0,
                "billing_mode": mode,
                "package_size": size,
                "date_start": fields.Date.today() - timedelta(weeks=12),
            }
        )
        local = self._next_weekday(0, 10, weeks_ahead=-weeks_ago)
        session = self._book(
            local,
            plan_id=plan.id,
            plan_slot_date=local.date(),
            forced_schedule=True,
            state="in_progress",
        )
        session._desk_mark("arrived_at")
        session.action_done()
        return session

    def _run(self, session):
        day = self._local(session.start).date()
        run = self.env["clinic.billing.run"].create(
            {
                "date_from": day - timedelta(days=1),
                "date_to": day + timedelta(days=1),
                "patient_ids": [(6, 0, self.patient.ids)],
            }
        )
        run._run()
        run.move_ids.filtered(lambda move: move.state == "draft").action_post()
        return run.move_ids

    def _count(self, session, kind):
        self.env.flush_all()
        if kind == "package":
            self.env.cr.execute(
                "SELECT count(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id "
                "WHERE l.clinic_plan_id = %s AND l.clinic_charge = 'package' "
                "AND m.state != 'cancel'",
                [session.plan_id.id],
            )
        else:
            self.env.cr.execute(
                "SELECT count(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id "
                "WHERE l.clinic_session_id = %s AND l.clinic_charge = %s AND m.state != 'cancel'",
                [session.id, kind],
            )
        return self.env.cr.fetchone()[0]

    def _check_out(self, session):
        """The desk's Check Out over JSON-RPC: (action, the dialog's summary and amount)."""
        action = self._as_desk("clinic.session", "action_check_out", [session.ids])
        if action.get("res_model") != "clinic.session.payment":
            return action, action["params"]["message"], 0.0
        wizard = self._as_desk(
            "clinic.session.payment", "create", [{"method": "cash"}], context=action["context"]
        )
        values = self._as_desk(
            "clinic.session.payment", "read", [[wizard], ["summary", "amount_due"]]
        )[0]
        return action, values["summary"], values["amount_due"]


@tagged("post_install", "-at_install")
class TestReviewCheckoutPrepaid(PlanCheckoutCase):
    def test_review_prepaid_run_first_unpaid_the_desk_collects_the_plans_invoice(self):
        session = self._plan_session("weekly")
        invoice = self._run(session)
        self.assertEqual(self._count(session, "session"), 1)
        action, summary, due = self._check_out(session)
        self.assertEqual(action["res_model"], "clinic.session.payment", action)
        self.assertIn("Paid in advance with the plan", summary)
        self.assertIn(invoice.name, summary)
        self.assertIn("not paid", summary)
        self.assertAlmostEqual(due, invoice.amount_residual)
        wizard = self._as_desk(
            "clinic.session.payment", "create", [{"method": "cash"}], context=action["context"]
        )
        self._as_desk("clinic.session.payment", "action_pay", [[wizard]])
        invoice.invalidate_recordset()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self._count(session, "session"), 1, "billed once")

    def test_review_prepaid_paid_nothing_more_to_pay_and_which_invoice(self):
        session = self._plan_session("monthly")
        invoice = self._run(session)
        self._check_out_and_pay_invoice(invoice)
        action, summary, due = self._check_out(session)
        self.assertEqual(action["tag"], "display_notification", action)
        self.assertIn(invoice.name, summary)
        self.assertIn("paid. Nothing more to pay", summary)
        self.assertEqual(due, 0.0)
        self.assertEqual(self._count(session, "session"), 1)

    def _check_out_and_pay_invoice(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()

    def test_review_prepaid_checkout_first_then_run_bills_nothing_twice(self):
        session = self._plan_session("weekly")
        action, summary, due = self._check_out(session)
        self.assertEqual(action["res_model"], "clinic.session.payment", action)
        self.assertEqual(self._count(session, "session"), 1, "billed at checkout")
        price = self._as_desk("clinic.session", "read", [session.ids, ["session_price"]])[0]
        self.assertAlmostEqual(due, price["session_price"])
        self.assertIn("not paid", summary)
        moves = self._run(session)
        self.assertNotIn(session, moves.invoice_line_ids.clinic_session_id)
        self.assertEqual(self._count(session, "session"), 1, "the run bills it no more")


@tagged("post_install", "-at_install")
class TestReviewCheckoutPackage(PlanCheckoutCase):
    def test_review_package_checkout_first_sells_the_package_once(self):
        session = self._plan_session("package")
        action, summary, due = self._check_out(session)
        self.assertEqual(action["res_model"], "clinic.session.payment", action)
        self.assertEqual(self._count(session, "package"), 1, "the package sold at checkout")
        package = self.env["account.move.line"].search(
            [("clinic_plan_id", "=", session.plan_id.id), ("clinic_charge", "=", "package")]
        )
        self.assertIn("One session of the package", summary)
        self.assertIn(package.move_id.name, summary)
        self.assertAlmostEqual(due, package.move_id.amount_total)
        self.assertEqual(self._count(session, "session"), 0, "no session line in a package")
        self._run(session)
        self.assertEqual(self._count(session, "package"), 1, "the run sells it no more")
        # The next session of the same plan draws on the same package: nothing to bill.
        second = self._plan_session("package", weeks_ago=1, plan=session.plan_id)
        wizard = self._as_desk(
            "clinic.session.payment", "create", [{"method": "cash"}], context=action["context"]
        )
        self._as_desk("clinic.session.payment", "action_pay", [[wizard]])
        action, summary, due = self._check_out(second)
        self.assertEqual(action["tag"], "display_notification", action)
        self.assertIn(package.move_id.name, summary)
        self.assertIn("paid. Nothing more to pay", summary)
        self.assertEqual(self._count(session, "package"), 1)

    def test_review_package_run_first_the_desk_collects_its_invoice(self):
        session = self._plan_session("package")
        invoice = self._run(session)
        self.assertEqual(self._count(session, "package"), 1)
        action, summary, due = self._check_out(session)
        self.assertEqual(action["res_model"], "clinic.session.payment", action)
        self.assertIn(invoice.name, summary)
        self.assertIn("not paid", summary)
        self.assertAlmostEqual(due, invoice.amount_residual)
        self.assertEqual(self._count(session, "package"), 1, "not sold twice")


@tagged("post_install", "-at_install")
class TestReviewDeskPendingDeposit(DemoPaymentMixin, PlanCheckoutCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_demo_provider()
        cls.company.write(
            {
                "clinic_booking_payment": "deposit",
                "clinic_booking_deposit_type": "fixed",
                "clinic_booking_deposit": 10.0,
            }
        )

    def test_review_the_desk_does_not_collect_a_deposit_pending_at_the_provider(self):
        """A patient books online and pays the deposit with a card the provider confirms later
        (pending); the desk must not take that deposit again in cash."""
        booking = self.env["clinic.online.booking"]
        session = self._draft()
        payment = self.env["clinic.charge.rule"]._booking_payment(session)
        invoice = booking._deposit_invoice(session, payment)
        transaction = booking._charge_deposit(invoice, self._save_card(self.patient, "pending"))
        self.assertEqual(transaction.state, "pending")
        context = {"active_id": session.id, "active_model": "clinic.session"}
        wizard = self._as_desk(
            "clinic.session.payment", "create", [{"method": "cash"}], context=context
        )
        shown = self._as_desk("clinic.session.payment", "read", [[wizard], ["summary"]])[0]
        self.assertIn("pending at the provider", shown["summary"])
        self.authenticate(self.user_front_desk.login, self.user_front_desk.login)
        body = call_kw(self, "clinic.session.payment", "action_pay", [[wizard]])
        self.assertIn("error", body, "the desk collected a deposit pending at the provider")
        self.assertIn("pending at the provider", body["error"]["data"]["message"])
        invoice.invalidate_recordset()
        self.assertEqual(invoice.payment_state, "not_paid")
        transaction._set_done()
        transaction._post_process()
        invoice.invalidate_recordset()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"), "paid once, by the card")


@tagged("post_install", "-at_install")
class TestReviewConcurrentPackageCheckout(test_desk_checkout.TestConcurrentCheckout):
    """A package session checked out at the desk while a billing run bills the same session,
    in two committed transactions: the package is sold once, whichever comes first."""

    def setUp(self):
        super().setUp()
        env = self._env()
        session = env["clinic.session"].browse(self.session_id)
        plan = env["clinic.plan"].create(
            {
                "patient_id": session.patient_id.id,
                "therapist_id": session.therapist_id.id,
                "room_id": session.room_id.id,
                "monday": True,
                "hour": 10.0,
                "billing_mode": "package",
                "package_size": 5,
                "date_start": session.start.date() - timedelta(days=7),
            }
        )
        env.cr.execute(
            "UPDATE clinic_session SET plan_id = %s, plan_slot_date = start::date WHERE id = %s",
            [plan.id, session.id],
        )
        env.cr.commit()
        self.plan_id = plan.id
        self.day = session.company_id._clinic_local_date(session.start)
        self.addCleanup(self._remove_plan)

    def _remove_plan(self):
        env = self._env()
        lines = env["account.move.line"].search([("clinic_plan_id", "=", self.plan_id)])
        lines.move_id.filtered(lambda m: m.state == "posted").button_draft()
        lines.move_id.unlink()
        env.cr.execute("UPDATE clinic_session SET plan_id = NULL WHERE id = %s", [self.session_id])
        env["clinic.plan"].browse(self.plan_id).unlink()
        env.cr.commit()

    def _packages(self):
        check = self._env()
        check.cr.execute(
            "SELECT count(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id "
            "WHERE l.clinic_plan_id = %s AND l.clinic_charge = 'package' AND m.state != 'cancel'",
            [self.plan_id],
        )
        return check.cr.fetchone()[0]

    def _run(self, env):
        session = env["clinic.session"].browse(self.session_id)
        run = env["clinic.billing.run"].create(
            {
                "date_from": self.day,
                "date_to": self.day,
                "company_id": session.company_id.id,
                "patient_ids": [(6, 0, session.patient_id.ids)],
            }
        )
        run._run()
        return run

    def test_two_checkouts_at_once_make_one_invoice(self):
        """Two desks checking the package session out at once sell one package."""
        env_a, env_b = self._env(), self._env()
        env_a["clinic.session"].with_user(self.desk).browse(self.session_id).action_check_out()
        env_a.flush_all()
        outcome = {}
        other = threading.Thread(target=lambda: outcome.update(b=self._check_out(env_b)))
        other.start()
        other.join(timeout=2)
        self.assertTrue(other.is_alive(), "B waits for A's checkout")
        env_a.cr.commit()
        other.join(timeout=30)
        self.assertEqual(outcome.get("b"), "done")
        self.assertEqual(self._packages(), 1)

    def test_review_run_first_then_checkout_sells_the_package_once(self):
        env_a, env_b = self._env(), self._env()
        self._run(env_a)
        env_a.flush_all()
        outcome = {}

        def check_out_in_b():
            outcome["b"] = self._check_out(env_b)

        other = threading.Thread(target=check_out_in_b)
        other.start()
        other.join(timeout=2)
        self.assertTrue(other.is_alive(), "the checkout waits for the run")
        env_a.cr.commit()
        other.join(timeout=30)
        self.assertFalse(other.is_alive())
        self.assertEqual(outcome["b"], "done", "the checkout ends without an error")
        self.assertEqual(self._packages(), 1)

    def test_review_checkout_first_then_run_sells_the_package_once(self):
        env_a, env_b = self._env(), self._env()
        env_a["clinic.session"].with_user(self.desk).browse(self.session_id).action_check_out()
        env_a.flush_all()
        run = self._run(env_b)
        env_b.flush_all()
        self.assertIn(self.session_id, run.skip_ids.session_id.ids, "left for the next run")
        env_b.cr.commit()
        env_a.cr.commit()
        self.assertEqual(self._packages(), 1)
        self._run(self._env()).env.cr.commit()
        self.assertEqual(self._packages(), 1, "a later run sells it no more")


@tagged("post_install", "-at_install")
class TestReviewPatientPartner(RpcCase):
    """The front desk edits a patient's contact, never swaps the contact under the patient: a
    portal account whose partner became a patient's would open that patient's pages (their
    sessions, home-care sheets and pain charts) as their own."""

    def test_review_the_desk_cannot_give_a_patients_record_to_another_account(self):
        self._signed_note()  # Sol's home-care sheet and pain chart: clinical pages
        portal_partner = self.user_portal.partner_id
        # An account of the clinic's company (a payer's, a relative's).
        portal_partner.company_id = self.patient.company_id
        ok, message = self.rpc(
            "front_desk",
            "clinic.patient",
            "write",
            [self.patient.ids, {"partner_id": portal_partner.id}],
        )
        self.assertFalse(ok, "the desk moved Sol's record onto Pat's portal account")
        self.assertIn("contact", message)
        self.authenticate(self.user_portal.login, self.user_portal.login)
        self._logged_in = "portal"
        page = self.url_open("/my/clinic")
        self.assertEqual(page.status_code, 404, "Pat reads Sol's pages as their own")

    def test_review_one_patient_per_contact(self):
        ok, message = self.rpc(
            "front_desk",
            "clinic.patient",
            "create",
            [{"partner_id": self.patient_2.partner_id.id}],
        )
        self.assertFalse(ok, "a second patient on Tom's contact")
        self.assertIn("already a patient", message)


@tagged("post_install", "-at_install")
class TestReviewBillingLinks(PlanCheckoutCase):
    """A clinic manager has Odoo's invoicing rights, so JSON-RPC ``write`` on invoice lines:
    the line's billing links (its session, plan, charge) are the billing's own."""

    def test_review_a_billed_session_line_is_not_unlinked_to_bill_it_twice(self):
        session = self._attended()
        moves = self._run(session)
        line = moves.invoice_line_ids.filtered(lambda li: li.clinic_session_id == session)
        self.assertEqual(len(line), 1)
        other = self._attended()
        for values in (
            {"clinic_session_id": False},
            {"clinic_session_id": other.id},
            {"clinic_charge": "deposit"},
        ):
            with self.subTest(values=values):
                ok, message = self.rpc("manager", "account.move.line", "write", [line.ids, values])
                self.assertFalse(ok, f"the manager rewrote a billed line's {values}")
                self.assertIn("set by the clinic's billing", message)
        self._run(session)
        self.assertEqual(self._count(session, "session"), 1, "the session billed once")
        # Writing the same value (as a form saving the line would) is no change.
        ok, _message = self.rpc(
            "manager", "account.move.line", "write", [line.ids, {"clinic_charge": "session"}]
        )
        self.assertTrue(ok, _message)
