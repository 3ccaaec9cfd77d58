from datetime import datetime, timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ScheduleCase


class BillingCase(ScheduleCase):
    """A month of four past Mondays, and the week after today, for Sol Session (list price
    70 per session)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env.ref("trigger_point_clinic.product_trigger_point_session")
        cls.product.lst_price = 70.0
        today = fields.Date.today()
        cls.this_monday = today - timedelta(days=today.weekday())
        cls.month_start = cls.this_monday - timedelta(weeks=4)
        cls.month_end = cls.this_monday - timedelta(days=1)
        cls.company.write(
            {
                "clinic_no_show_fee": 30.0,
                "clinic_no_show_fee_type": "fixed",
                "clinic_late_cancel_fee": 50.0,
                "clinic_late_cancel_fee_type": "percent",
                "clinic_invoice_post": False,
                "clinic_require_signed_note": False,
            }
        )

    @classmethod
    def _plan(cls, mode, **vals):
        """A plan (kept in draft: the tests place its sessions themselves)."""
        return cls.env["clinic.plan"].create(
            {
                "patient_id": cls.patient.id,
                "therapist_id": cls.therapist.id,
                "room_id": cls.room.id,
                "monday": True,
                "hour": 10.0,
                "billing_mode": mode,
                "date_start": cls.month_start,
                **vals,
            }
        )

    @classmethod
    def _session(cls, monday, state="done", plan=None, patient=None, hour=10, **vals):
        return cls._book(
            datetime(monday.year, monday.month, monday.day, hour),
            patient_id=(patient or cls.patient).id,
            plan_id=plan.id if plan else False,
            plan_slot_date=monday if plan else False,
            state=state,
            **vals,
        )

    def _mondays(self, weeks=4):
        return [self.month_start + timedelta(weeks=week) for week in range(weeks)]

    def _run(self, date_from=None, date_to=None, user=None, **vals):
        run = (
            self.env["clinic.billing.run"]
            .with_user(user or self.user_manager)
            .create(
                {
                    "date_from": date_from or self.month_start,
                    "date_to": date_to or self.month_end,
                    "patient_ids": [fields.Command.set((self.patient | self.patient_2).ids)],
                    **vals,
                }
            )
        )
        run.action_run()
        return run

    def _lines(self, sessions):
        return self.env["account.move.line"].search([("clinic_session_id", "in", sessions.ids)])


@tagged("post_install", "-at_install")
class TestPerSessionBilling(BillingCase):
    def test_month_with_cancellations_and_a_no_show(self):
        w1, w2, w3, w4 = self._mondays()
        done_1 = self._session(w1)
        done_2 = self._session(w2)
        missed = self._session(w3, state="no_show")
        late = self._session(w4, state="cancelled", cancel_party="patient")
        by_clinic = self._session(w4, hour=14, state="cancelled", cancel_party="clinic")
        run = self._run()

        invoice = run.move_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.patient.partner_id)
        self.assertEqual(invoice.state, "draft")
        charges = {line.clinic_session_id: line for line in invoice.invoice_line_ids}
        self.assertEqual(
            invoice.invoice_line_ids.clinic_session_id, done_1 | done_2 | missed | late
        )
        self.assertEqual(charges[done_1].price_unit, 70.0)
        self.assertEqual(charges[missed].clinic_charge, "no_show_fee")
        self.assertEqual(charges[missed].price_unit, 30.0)
        self.assertEqual(charges[late].clinic_charge, "late_cancel_fee")
        self.assertEqual(charges[late].price_unit, 35.0, "50% of the session price")
        self.assertAlmostEqual(invoice.amount_untaxed, 205.0)
        self.assertIn(w1.strftime("%d %b %Y"), charges[done_1].name)
        self.assertIn("Tess Therapist", charges[done_1].name)
        self.assertFalse(self._lines(by_clinic), "a clinic cancellation costs the patient nothing")
        self.assertEqual(done_1.invoice_status, "invoiced")
        self.assertEqual(by_clinic.invoice_status, "nothing")

    def test_rerun_bills_nothing_twice(self):
        sessions = self._session(self._mondays()[0]) | self._session(self._mondays()[1])
        self._run()
        again = self._run()
        self.assertFalse(again.move_ids)
        self.assertEqual(len(self._lines(sessions)), 2)
        later = self._session(self._mondays()[2])
        third = self._run()
        self.assertEqual(third.move_ids.invoice_line_ids.clinic_session_id, later)

    def test_session_billed_at_most_once_by_the_database(self):
        session = self._session(self._mondays()[0])
        run = self._run()
        line = run.move_ids.invoice_line_ids
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.patient.partner_id.id,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "product_id": self.product.id,
                                "price_unit": 70,
                                "clinic_session_id": session.id,
                                "clinic_charge": "session",
                            }
                        )
                    ],
                }
            )
        self.assertEqual(self._lines(session), line)

    def test_cancelled_invoice_frees_its_sessions(self):
        session = self._session(self._mondays()[0])
        self._run().move_ids.button_cancel()
        self.assertEqual(session.invoice_status, "to_invoice")
        rerun = self._run()
        self.assertEqual(rerun.move_ids.invoice_line_ids.clinic_session_id, session)

    def test_unsigned_note_blocks_when_required(self):
        self.company.clinic_require_signed_note = True
        session = self._session(self._mondays()[0])
        run = self._run()
        self.assertFalse(run.move_ids)
        self.assertEqual(run.skip_ids.session_id, session)
        self.assertEqual(run.skip_ids.reason, "Treatment note not signed")
        self.assertEqual(session.invoice_status, "blocked")
        note = self.env["clinic.treatment.note"].create(
            {
                "session_id": session.id,
                "line_ids": [
                    fields.Command.create(
                        {
                            "region_id": self.env.ref(
                                "trigger_point_clinic.body_region_upper_trapezius"
                            ).id,
                            "technique": "stretching",
                        }
                    )
                ],
            }
        )
        note.action_sign()
        self.assertEqual(self._run().move_ids.invoice_line_ids.clinic_session_id, session)

    def test_unclosed_past_session_listed_not_lost(self):
        session = self._session(self._mondays()[0], state="confirmed")
        run = self._run()
        self.assertFalse(run.move_ids)
        self.assertIn("Not closed", run.skip_ids.filtered(lambda s: s.session_id == session).reason)

    def test_posted_when_set_and_amount_due(self):
        self.company.clinic_invoice_post = True
        session = self._session(self._mondays()[0])
        invoice = self._run().move_ids
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(self.patient.amount_due, invoice.amount_total)
        self.assertAlmostEqual(session.amount_due, invoice.amount_total)
        self.assertEqual(self.patient.invoice_count, 1)
        action = self.patient.action_view_invoices()
        self.assertEqual(action["res_id"], invoice.id)

    def test_pricelist_and_billing_partner(self):
        parent = self.env["res.partner"].create({"name": "Parent Payer"})
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Reduced",
                "item_ids": [
                    fields.Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.product.id,
                            "compute_price": "fixed",
                            "fixed_price": 55.0,
                        }
                    )
                ],
            }
        )
        self.patient.partner_id.property_product_pricelist = pricelist
        (self.patient | self.patient_2).billing_partner_id = parent
        self._session(self._mondays()[0])
        self._session(self._mondays()[0], hour=14, patient=self.patient_2)
        invoice = self._run().move_ids
        self.assertEqual(len(invoice), 1, "one invoice per billing partner")
        self.assertEqual(invoice.partner_id, parent)
        prices = {
            line.clinic_session_id.patient_id: line.price_unit for line in invoice.invoice_line_ids
        }
        self.assertEqual(prices, {self.patient: 55.0, self.patient_2: 70.0})


@tagged("post_install", "-at_install")
class TestPrepaidBilling(BillingCase):
    def test_week_billed_in_advance_and_clinic_cancellation_credited(self):
        self.company.clinic_invoice_post = True
        plan = self._plan("weekly")
        next_monday = self.this_monday + timedelta(weeks=1)
        following = next_monday + timedelta(weeks=1)
        first = self._session(next_monday, state="draft", plan=plan)
        second = self._session(following, state="draft", plan=plan)
        week_1 = self._run(next_monday, next_monday + timedelta(days=6))
        invoice = week_1.move_ids
        self.assertEqual(invoice.invoice_line_ids.clinic_session_id, first)
        self.assertEqual(invoice.state, "posted")
        total = invoice.amount_total

        first._cancel("Therapist ill", "clinic")
        self.assertEqual(first.invoice_status, "to_invoice", "its credit is due")
        week_2 = self._run(following, following + timedelta(days=6))
        refund = week_2.move_ids.filtered(lambda move: move.move_type == "out_refund")
        next_invoice = week_2.move_ids - refund
        credit = refund.invoice_line_ids
        self.assertEqual(credit.clinic_charge, "credit", "a credit note, not a negative line")
        self.assertEqual(credit.clinic_session_id, first)
        self.assertEqual((credit.quantity, credit.price_unit), (1, 70.0))
        self.assertEqual(refund.reversed_entry_id, invoice, "it reverses the week's invoice")
        self.assertEqual(next_invoice.invoice_line_ids.clinic_charge, "session")
        self.assertEqual(next_invoice.invoice_line_ids.clinic_session_id, second)
        self.assertEqual(first.invoice_status, "credited")
        self.assertEqual((invoice.state, invoice.amount_total), ("posted", total), "untouched")
        self.assertEqual(len(invoice.invoice_line_ids), 1)
        self.assertFalse(self._run(following, following + timedelta(days=6)).move_ids)

    def test_credit_alone_makes_a_credit_note(self):
        plan = self._plan("monthly")
        session = self._session(self.this_monday + timedelta(weeks=1), state="draft", plan=plan)
        self._run(self.this_monday, self.this_monday + timedelta(weeks=2))
        session._cancel("Room flooded", "clinic")
        refund = self._run(self.this_monday, self.this_monday + timedelta(weeks=2)).move_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.invoice_line_ids.clinic_charge, "credit")
        self.assertAlmostEqual(refund.amount_untaxed, 70.0)

    def test_patient_cancellation_in_time_of_a_paid_session_is_credited(self):
        plan = self._plan("weekly")
        monday = self.this_monday + timedelta(weeks=2)
        session = self._session(monday, state="draft", plan=plan)
        self._run(monday, monday + timedelta(days=6))
        session._cancel("Holiday", "patient")
        self.assertFalse(session.late_cancel)
        refund = self._run(monday, monday + timedelta(days=6)).move_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.invoice_line_ids.clinic_session_id, session)
        self.assertEqual(session.invoice_status, "credited")
        self.assertFalse(self._run(monday, monday + timedelta(days=6)).move_ids)


@tagged("post_install", "-at_install")
class TestPackageBilling(BillingCase):
    def test_package_paid_up_front_and_balance(self):
        plan = self._plan("package", package_size=3)
        w1, w2, w3, w4 = self._mondays()
        sessions = [self._session(day, state="draft", plan=plan) for day in (w1, w2, w3, w4)]
        run = self._run()
        package = run.move_ids.invoice_line_ids
        self.assertEqual((package.clinic_charge, package.quantity), ("package", 3))
        self.assertEqual(package.clinic_plan_id, plan)
        self.assertAlmostEqual(run.move_ids.amount_untaxed, 210.0)
        self.assertEqual(plan.package_balance, 3)
        self._walk(sessions[0], "done")
        self._walk(sessions[1], "no_show")
        self.assertEqual(plan.package_balance, 1)
        self.assertEqual(self.patient.package_balance, 1)
        self.assertEqual(sessions[0].invoice_status, "package")
        self.assertFalse(self._run().move_ids, "a session is left on the package")
        self._walk(sessions[2] | sessions[3], "done")
        self.assertEqual(plan.package_balance, -1)
        renewal = self._run().move_ids.invoice_line_ids
        self.assertEqual((renewal.clinic_charge, renewal.quantity), ("package", 3))
        self.assertEqual(plan.package_balance, 2)
        self.assertFalse(self._lines(sessions[0] | sessions[1]), "covered, not billed one by one")


@tagged("post_install", "-at_install")
class TestBillingInput(BillingCase):
    def test_period_end_before_start_refused(self):
        runs = self.env["clinic.billing.run"].search_count([])
        with self.assertRefused(ValidationError, "ends on .* before it starts"):
            self._run(self.month_end, self.month_start)
        self.assertEqual(self.env["clinic.billing.run"].search_count([]), runs)

    def test_plan_without_service_refused(self):
        plans = self.env["clinic.plan"].search_count([])
        with self.assertRefused(ValidationError, "A plan needs its Service"):
            self._plan("per_session", product_id=False)
        plan = self._plan("per_session")
        with self.assertRefused(ValidationError, "A plan needs its Service"):
            plan.product_id = False
        self.assertEqual(self.env["clinic.plan"].search_count([]), plans + 1)
        self.assertEqual(plan.product_id, self.product)

    def test_negative_fee_refused(self):
        for field in ("clinic_no_show_fee", "clinic_late_cancel_fee"):
            with self.assertRefused(ValidationError, "a fee cannot be negative"):
                self.company[field] = -5
        with self.assertRefused(ValidationError, "at most 100"):
            self.company.write({"clinic_no_show_fee_type": "percent", "clinic_no_show_fee": 150})
        self.assertEqual(
            (self.company.clinic_no_show_fee, self.company.clinic_late_cancel_fee), (30.0, 50.0)
        )

    def test_zero_fee_listed_as_not_billed(self):
        self.company.clinic_no_show_fee = 0
        missed = self._session(self._mondays()[0], state="no_show")
        run = self._run()
        self.assertFalse(run.move_ids)
        self.assertEqual(run.skip_ids.session_id, missed)

    def test_only_managers_run_billing(self):
        self._session(self._mondays()[0])
        for user in (self.user_front_desk, self.user_therapist):
            with self.assertRaises(AccessError):
                self._run(user=user)
        with self.assertRefused(UserError, "This billing run is done"):
            self._run().action_run()
