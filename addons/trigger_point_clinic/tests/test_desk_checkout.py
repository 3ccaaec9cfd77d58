"""Checkout bills a session billed per session that has no invoice yet, at the price the desk
showed, and takes the payment at once (cash, card terminal, saved card), over JSON-RPC as the
front desk; two checkouts of one session at the same moment make one invoice."""

from odoo.tests import tagged

from .common import CommittedCase
from .payment_common import DemoPaymentMixin
from .rpc_common import RpcCase, call_kw


class CheckoutCase(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"clinic_require_signed_note": False, "clinic_invoice_post": False})
        for kind, code in (("cash", "DCSH"), ("bank", "DBNK")):
            if not cls.env["account.journal"].search(
                [("type", "=", kind), ("company_id", "=", cls.company.id)]
            ):
                cls.env["account.journal"].create(
                    {"name": f"Desk {kind}", "code": code, "type": kind}
                )

    def _as_desk(self, model, method, args=(), kwargs=None, context=None):
        self.authenticate(self.user_front_desk.login, self.user_front_desk.login)
        body = call_kw(self, model, method, args, kwargs, context)
        self.assertNotIn("error", body, body.get("error"))
        return body["result"]

    def _attended(self, patient=None):
        """A past session of ``patient`` (Sol), checked in, then done."""
        session = self._session("in_progress", patient=patient)
        session._desk_mark("arrived_at")
        session.action_done()
        return session

    def _check_out_and_pay(self, session, method):
        action = self._as_desk("clinic.session", "action_check_out", [session.ids])
        self.assertEqual(action["res_model"], "clinic.session.payment")
        wizard = self._as_desk(
            "clinic.session.payment",
            "create",
            [{"method": method}],
            context=action["context"],
        )
        wizard = wizard[0] if isinstance(wizard, list) else wizard
        due = self._as_desk(
            "clinic.session.payment", "read", [[wizard], ["amount_due"]], context=action["context"]
        )[0]["amount_due"]
        self._as_desk("clinic.session.payment", "action_pay", [[wizard]])
        return due

    def _invoices(self, session):
        self.env.invalidate_all()
        return session._billed_lines("session").move_id


@tagged("post_install", "-at_install")
class TestDeskCheckout(CheckoutCase):
    def test_checkout_bills_the_price_shown_and_takes_cash(self):
        session = self._attended()
        shown = self._as_desk("clinic.session", "read", [session.ids, ["session_price"]])[0]
        self.assertFalse(self._invoices(session), "not billed before the checkout")

        due = self._check_out_and_pay(session, "cash")

        invoice = self._invoices(session)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted", "posted although the clinic posts runs as draft")
        self.assertAlmostEqual(invoice.amount_total, shown["session_price"])
        self.assertAlmostEqual(due, shown["session_price"])
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(session.left_at)
        self.assertEqual(session.invoice_status, "invoiced")

    def test_checkout_takes_the_card_terminal(self):
        session = self._attended()
        self._check_out_and_pay(session, "terminal")
        self.assertIn(self._invoices(session).payment_state, ("paid", "in_payment"))

    def test_a_billing_run_after_the_checkout_bills_nothing_twice(self):
        session = self._attended()
        self._as_desk("clinic.session", "action_check_out", [session.ids])
        day = self._local(session.start).date()
        run = self.env["clinic.billing.run"].create(
            {"date_from": day, "date_to": day, "patient_ids": [(6, 0, self.patient.ids)]}
        )
        run._run()
        self.assertNotIn(session, run.move_ids.invoice_line_ids.clinic_session_id)
        self.assertEqual(len(self._invoices(session)), 1)

    def test_a_session_invoiced_already_is_not_billed_again(self):
        session = self._attended()
        day = self._local(session.start).date()
        run = self.env["clinic.billing.run"].create(
            {"date_from": day, "date_to": day, "patient_ids": [(6, 0, self.patient.ids)]}
        )
        run._run()
        run.move_ids.action_post()
        self._check_out_and_pay(session, "cash")
        invoice = self._invoices(session)
        self.assertEqual(invoice, run.move_ids)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_a_note_the_clinic_requires_unsigned_says_why_nothing_is_billed(self):
        self.company.clinic_require_signed_note = True
        session = self._attended()
        action = self._as_desk("clinic.session", "action_check_out", [session.ids])
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("Treatment note not signed", action["params"]["message"])
        self.assertFalse(self._invoices(session))
        self.assertTrue(session.left_at, "the departure is recorded all the same")


@tagged("post_install", "-at_install")
class TestDeskCheckoutSavedCard(DemoPaymentMixin, CheckoutCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_demo_provider()
        cls._save_card(cls.patient)

    def test_checkout_charges_the_saved_card(self):
        session = self._attended()
        self._check_out_and_pay(session, "saved_card")
        invoice = self._invoices(session)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        charge = self.env["payment.transaction"].search([("clinic_invoice_id", "=", invoice.id)])
        self.assertEqual(charge.state, "done")


@tagged("post_install", "-at_install")
class TestConcurrentCheckout(CommittedCase):
    """Two desks check the same patient out at the same moment, in two real transactions."""

    def setUp(self):
        super().setUp()
        self._committed_clinic("Checkout Race", submit_intakes=True)
        env = self._env()
        self.required_note = env.company.clinic_require_signed_note
        env.company.clinic_require_signed_note = False
        session = env["clinic.session"].create(
            {
                "patient_id": self.patients[0].id,
                "therapist_id": self.therapist.id,
                "room_id": self.room.id,
                "start": self.start.replace(year=self.start.year - 1),
                "stop": self.start.replace(year=self.start.year - 1, hour=self.start.hour + 1),
                "forced_schedule": True,
            }
        )
        session.action_confirm()
        session._desk_mark("arrived_at")
        session.action_start()
        session.action_done()
        desk = env["res.users"].search([("login", "=", "checkout_race_desk")])
        self.desk = desk or env["res.users"].create(
            {
                "name": "Checkout Race Desk",
                "login": "checkout_race_desk",
                "group_ids": [(6, 0, [env.ref("trigger_point_clinic.group_clinic_front_desk").id])],
            }
        )
        env.cr.commit()
        self.session_id = session.id
        self.addCleanup(self._remove_invoices)

    def _remove_invoices(self):
        env = self._env()
        lines = env["account.move.line"].search([("clinic_session_id", "=", self.session_id)])
        lines.move_id.filtered(lambda m: m.state == "posted").button_draft()
        lines.move_id.unlink()
        env.company.clinic_require_signed_note = self.required_note
        env.cr.commit()

    def _check_out(self, env):
        """As the JSON-RPC call does, including Odoo's retry of a serialization failure."""

        def check_out():
            env["clinic.session"].with_user(self.desk).browse(self.session_id).action_check_out()
            return "done"

        return self._retried(env, check_out)

    def test_two_checkouts_at_once_make_one_invoice(self):
        env_a, env_b = self._env(), self._env()
        env_a["clinic.session"].with_user(self.desk).browse(self.session_id).action_check_out()
        env_a.flush_all()
        outcome = {}

        def check_out_in_b():
            outcome["b"] = self._check_out(env_b)

        self._second_waits_for_first(env_a, check_out_in_b, "checkout")
        self.assertEqual(outcome["b"], "done", "B's checkout ends without an error")
        check = self._env()
        check.cr.execute(
            "SELECT count(*) FROM account_move_line WHERE clinic_session_id = %s "
            "AND clinic_charge = 'session'",
            [self.session_id],
        )
        self.assertEqual(check.cr.fetchone()[0], 1)
