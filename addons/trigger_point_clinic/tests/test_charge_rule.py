"""The one charge rule, row by row: what the portal's cancel page tells the patient (read over
HTTP as the patient), what the reminder mail says, and what the billing run posts (invoice or
credit note) agree to the cent, in every billing mode. Prices carry a 20% tax (excluded): the
patient is shown the tax-included amount the invoice shows."""

import html
import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ScheduleCase

AMOUNT = re.compile(r"(\d+\.\d{2})")


def _text(body):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body or "")).split())


def _amounts(text):
    return [float(amount) for amount in AMOUNT.findall(text.replace(",", ""))]


class ChargeRuleCase(ScheduleCase):
    """Sol Session with a portal login; the session costs 70.00 + 20% tax = 84.00, a late
    cancellation 50% of it (35.00 + tax = 42.00), a no-show 30.00 + tax = 36.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls.env["account.tax"].create(
            {"name": "VAT 20", "amount": 20.0, "type_tax_use": "sale", "price_include": False}
        )
        cls.product = cls.env.ref("trigger_point_clinic.product_trigger_point_session")
        cls.product.write({"lst_price": 70.0, "taxes_id": [fields.Command.set(cls.tax.ids)]})
        for fee in ("product_clinic_no_show_fee", "product_clinic_late_cancel_fee"):
            cls.env.ref(f"trigger_point_clinic.{fee}").taxes_id = cls.tax
        cls.company.write(
            {
                "clinic_late_cancel_hours": 24,
                "clinic_late_cancel_fee": 50.0,
                "clinic_late_cancel_fee_type": "percent",
                "clinic_no_show_fee": 30.0,
                "clinic_no_show_fee_type": "fixed",
                "clinic_invoice_post": True,
                "clinic_require_signed_note": False,
                "clinic_appointment_reminder_hours": 24 * 7,
            }
        )
        cls.user_sol = cls._portal_user(cls.patient, "sol")

    def _plan(self, mode):
        if mode == "per_session":
            return self.env["clinic.plan"]
        return self.env["clinic.plan"].create(
            {
                "patient_id": self.patient.id,
                "therapist_id": self.therapist.id,
                "room_id": self.room.id,
                "monday": True,
                "hour": 10.0,
                "billing_mode": mode,
                "date_start": fields.Date.today() - timedelta(days=7),
                "package_size": 3,
            }
        )

    def _session(self, plan, hours_ahead, state="draft"):
        """A session of ``plan`` starting ``hours_ahead`` hours from now (forced: any hour)."""
        start = fields.Datetime.now().replace(second=0, microsecond=0) + timedelta(
            hours=hours_ahead
        )
        local = self._local(start)
        vals = {"forced_schedule": True}
        if plan:
            vals.update(plan_id=plan.id, plan_slot_date=local.date())
        return self._book(local, state=state, **vals)

    def _run(self, session):
        day = session.start.date()
        run = (
            self.env["clinic.billing.run"]
            .with_user(self.user_manager)
            .create(
                {
                    "date_from": day - timedelta(days=2),
                    "date_to": day + timedelta(days=2),
                    "patient_ids": [fields.Command.set(self.patient.ids)],
                }
            )
        )
        run.action_run()
        return run.move_ids

    def _portal_terms(self, session):
        """The cancel page's terms, read as the patient over HTTP."""
        self.authenticate("sol", "sol")
        response = self.url_open(f"/my/clinic/sessions/{session.id}/cancel")
        self.assertEqual(response.status_code, 200)
        page = response.text
        start = page.index("o_clinic_cancel_terms")
        return _text(page[start : page.index("</div>", start)].split(">", 1)[1])

    def _reminder(self, session):
        self.env["clinic.session"]._cron_send_appointment_reminders()
        mail = self.env["mail.mail"].search(
            [("model", "=", "clinic.session"), ("res_id", "=", session.id)], order="id desc"
        )[:1]
        self.assertTrue(mail, "the reminder was sent")
        return _text(mail.body_html)

    def _cancel_on_portal(self, session):
        self.authenticate("sol", "sol")
        page = self.url_open(f"/my/clinic/sessions/{session.id}/cancel").text
        marker = 'name="csrf_token" value="'
        at = page.index(marker) + len(marker)
        response = self.url_open(
            f"/my/clinic/sessions/{session.id}/cancel",
            data={"csrf_token": page[at : page.index('"', at)], "reason": "Cannot come"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(session.state, "cancelled")

    def _close(self, session, state):
        """Take ``session`` to done or no-show, as the clinic does once it has started."""
        with freeze_time(session.start + timedelta(minutes=10)):
            self._walk(session, state)

    def _lines(self, session, kind):
        return self.env["account.move.line"].search(
            [
                ("clinic_session_id", "=", session.id),
                ("clinic_charge", "=", kind),
                ("parent_state", "=", "posted"),
            ]
        )


@tagged("post_install", "-at_install")
class TestChargeRuleCancellations(ChargeRuleCase, HttpCase):
    """A patient cancels on the portal: late (5 hours ahead) or in time (3 days ahead)."""

    def _late_cancel(self, mode):
        plan = self._plan(mode)
        session = self._session(plan, 5)
        before = self._run(session)  # pre-paid weeks and packages are billed in advance
        terms = self._portal_terms(session)
        reminder = self._reminder(session)
        self.assertIn("late cancellation", terms)
        self._cancel_on_portal(session)
        self.assertTrue(session.late_cancel)
        after = self._run(session)
        return plan, session, before, after, terms, reminder

    def test_per_session_patient_cancels_late_pays_the_fee(self):
        _plan, session, _before, after, terms, reminder = self._late_cancel("per_session")
        fee = self._lines(session, "late_cancel_fee")
        self.assertEqual(fee.move_id, after)
        self.assertAlmostEqual(fee.price_total, 42.00)
        self.assertEqual(_amounts(terms), [42.00], terms)
        self.assertIn("cancelling it now counts as a late cancellation, and a fee of", reminder)
        self.assertIn(42.00, _amounts(reminder))
        self.assertAlmostEqual(after.amount_total, 42.00)
        self.assertEqual(session.with_user(self.user_front_desk).charge_amount, 42.00)

    def test_weekly_prepaid_patient_cancels_late_keeps_the_session(self):
        _plan, session, before, after, terms, reminder = self._late_cancel("weekly")
        billed = self._lines(session, "session")
        self.assertEqual(billed.move_id, before)
        self.assertAlmostEqual(billed.price_total, 84.00)
        self.assertIn("paid in advance", terms)
        self.assertEqual(_amounts(terms), [84.00], terms)
        self.assertIn("the session paid in advance", reminder)
        self.assertIn(84.00, _amounts(reminder))
        self.assertNotIn(42.00, _amounts(terms) + _amounts(reminder), "no fee on top")
        self.assertFalse(after, "no fee, no credit: the pre-paid session is kept")
        self.assertFalse(self._lines(session, "late_cancel_fee") | self._lines(session, "credit"))

    def test_monthly_prepaid_patient_cancels_late_keeps_the_session(self):
        _plan, _session, before, after, terms, _reminder = self._late_cancel("monthly")
        self.assertAlmostEqual(before.amount_total, 84.00)
        self.assertEqual(_amounts(terms), [84.00], terms)
        self.assertFalse(after)

    def test_package_patient_cancels_late_uses_one_session(self):
        plan, _session, before, after, terms, reminder = self._late_cancel("package")
        self.assertEqual(before.invoice_line_ids.clinic_charge, "package")
        self.assertIn("uses one session of your package", terms)
        self.assertEqual(_amounts(terms), [], "no fee is announced")
        self.assertIn("uses one session of your package", reminder)
        self.assertNotIn(42.00, _amounts(reminder))
        self.assertFalse(after, "no fee is billed")
        self.assertEqual(plan.package_balance, 2, "one session of the package of 3 is used")

    def _cancel_in_time(self, mode):
        plan = self._plan(mode)
        session = self._session(plan, 72)
        before = self._run(session)
        terms = self._portal_terms(session)
        self.assertIn("Free of charge until", terms)
        self._cancel_on_portal(session)
        self.assertFalse(session.late_cancel)
        return plan, session, before, self._run(session), terms

    def test_weekly_prepaid_cancels_in_time_is_credited(self):
        _plan, session, before, after, terms = self._cancel_in_time("weekly")
        self.assertAlmostEqual(before.amount_total, 84.00)
        self.assertIn("credited", terms)
        self.assertEqual(_amounts(terms), [84.00], terms)
        self.assertEqual(after.move_type, "out_refund", "a credit note, not a negative line")
        self.assertEqual(after.reversed_entry_id, before)
        self.assertEqual(after.state, "posted")
        self.assertAlmostEqual(after.amount_total, 84.00)
        self.assertEqual(after.invoice_line_ids.clinic_charge, "credit")
        self.assertEqual(after.invoice_line_ids.clinic_session_id, session)
        self.assertEqual(session.invoice_status, "credited")
        self.assertFalse(self._run(session), "credited once, also when runs repeat")

    def test_monthly_prepaid_cancels_in_time_is_credited(self):
        _plan, _session, before, after, terms = self._cancel_in_time("monthly")
        self.assertEqual(_amounts(terms), [84.00], terms)
        self.assertEqual(after.move_type, "out_refund")
        self.assertAlmostEqual(after.amount_total, before.amount_total)

    def test_per_session_cancels_in_time_is_free(self):
        _plan, session, before, after, terms = self._cancel_in_time("per_session")
        self.assertEqual(_amounts(terms), [], terms)
        self.assertFalse(before | after)
        self.assertFalse(session.with_user(self.user_front_desk).charge_amount)

    def test_in_time_the_reminder_and_the_cancel_page_name_the_same_deadline(self):
        """Three days ahead, in every mode: the reminder says until when cancelling is in
        time, and the cancel page says the same local day and time."""
        for hours, mode in enumerate(("per_session", "weekly", "monthly", "package"), start=3):
            with self.subTest(mode=mode):
                session = self._session(self._plan(mode), 24 * hours)
                reminder = self._reminder(session)
                terms = self._portal_terms(session)
                deadline = self.env.company._clinic_local_datetime(
                    session.start - timedelta(hours=24)
                )
                clock, day = f"{deadline:%H:%M}", str(deadline.day)
                self.assertIn("Free of charge until", terms)
                self.assertIn(clock, terms)
                self.assertIn(day, terms.split("Free of charge until", 1)[1].split())
                self.assertRegex(reminder, rf"\((after|by) [^)]*\b{day}\b[^)]*{clock}\)")

    def test_package_cancels_in_time_is_free_and_keeps_the_package(self):
        plan, _session, _before, after, terms = self._cancel_in_time("package")
        self.assertEqual(_amounts(terms), [], terms)
        self.assertFalse(after)
        self.assertEqual(plan.package_balance, 3)


@tagged("post_install", "-at_install")
class TestChargeRuleOutcomes(ChargeRuleCase):
    """Attended, missed, cancelled by the clinic and moved sessions, in every mode."""

    def test_clinic_cancellation(self):
        for mode, credit in (("per_session", 0), ("weekly", 84.0), ("monthly", 84.0)):
            with self.subTest(mode=mode):
                session = self._session(self._plan(mode), 72 + 24 * len(mode))
                before = self._run(session)
                self.assertEqual(
                    session.with_user(self.user_front_desk).charge_amount,
                    0.0,
                    "cancelling in time costs nothing",
                )
                session.with_user(self.user_front_desk)._cancel("Therapist ill", "clinic")
                after = self._run(session)
                self.assertAlmostEqual(sum(after.mapped("amount_total")), credit)
                if credit:
                    self.assertEqual(after.move_type, "out_refund")
                    self.assertEqual(after.reversed_entry_id, before)

    def test_no_show_per_mode_matches_the_reminder(self):
        expected = {"per_session": 36.0, "weekly": 84.0, "monthly": 84.0, "package": None}
        for hours, (mode, amount) in enumerate(expected.items(), start=1):
            with self.subTest(mode=mode):
                session = self._session(self._plan(mode), 24 * hours + 48)
                reminder = self._reminder(session)
                before = self._run(session)
                self._close(session, "no_show")
                after = self._run(session)
                if mode == "per_session":
                    self.assertRegex(reminder, r"A missed appointment costs \S*\s?36\.00")
                    self.assertAlmostEqual(after.amount_total, 36.0)
                    self.assertEqual(after.invoice_line_ids.clinic_charge, "no_show_fee")
                elif mode == "package":
                    self.assertIn("If you miss the appointment, it uses one session", reminder)
                    self.assertFalse(after)
                else:
                    self.assertIn(f"{amount:.2f}", reminder)
                    self.assertAlmostEqual(before.amount_total, amount)
                    self.assertFalse(after, "the pre-paid session is kept, no fee")

    def test_attended_package_uses_one_session_billed_once(self):
        plan = self._plan("package")
        session = self._session(plan, 72)
        before = self._run(session)
        self.assertEqual(before.invoice_line_ids.clinic_charge, "package")
        self._close(session, "done")
        self.assertFalse(self._run(session), "the package pays it: nothing more is billed")
        self.assertEqual(plan.package_balance, 2, "one session of the package of 3 is used")
        self.assertFalse(self._lines(session, "session"))

    def test_clinic_cancellation_of_a_package_session_keeps_the_package(self):
        plan = self._plan("package")
        session = self._session(plan, 5)
        self._run(session)
        session.with_user(self.user_front_desk)._cancel("Therapist ill", "clinic")
        self.assertFalse(session.late_cancel, "the clinic's cancellation is never late")
        self.assertFalse(self._run(session), "no fee, nothing billed")
        self.assertEqual(plan.package_balance, 3, "no session of the package is used")

    def test_attended_per_mode(self):
        for hours, mode in enumerate(("per_session", "weekly", "monthly"), start=1):
            with self.subTest(mode=mode):
                session = self._session(self._plan(mode), 24 * hours + 48)
                before = self._run(session)
                self._close(session, "done")
                after = self._run(session)
                self.assertAlmostEqual(sum((before | after).mapped("amount_total")), 84.0)
                self.assertEqual(self._lines(session, "session").price_total, 84.0)
                self.assertFalse(self._run(session), "billed once")

    def test_rescheduled_costs_nothing(self):
        modes = ("per_session", "weekly", "monthly", "package")
        for hours, mode in enumerate(modes, start=1):
            with self.subTest(mode=mode):
                session = self._session(self._plan(mode), 24 * hours + 48)
                before = self._run(session)
                session.write(
                    {
                        "start": session.start + timedelta(hours=1),
                        "stop": session.stop + timedelta(hours=1),
                    }
                )
                self.assertFalse(self._run(session), "moving a session bills nothing new")
                rule = self.env["clinic.charge.rule"]
                charge = rule._charge(session, "rescheduled")
                self.assertEqual((charge.amount, charge.credit), (0.0, 0.0))
                self.assertLessEqual(len(before.invoice_line_ids), 1)


@tagged("post_install", "-at_install")
class TestChargeRuleDeposits(ChargeRuleCase):
    """A deposit of 24.00 (20.00 + tax) paid at booking, on its own posted invoice."""

    def _deposit(self, session):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.patient.partner_id.id,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": self.product.id,
                            "name": "Deposit",
                            "price_unit": 20.0,
                            "clinic_session_id": session.id,
                            "clinic_charge": "deposit",
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_attended_deducts_the_deposit(self):
        session = self._session(self._plan("per_session"), 72)
        self._deposit(session)
        self._close(session, "done")
        invoice = self._run(session)
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertAlmostEqual(invoice.amount_total, 84.0 - 24.0)
        self.assertEqual(
            set(invoice.invoice_line_ids.mapped("clinic_charge")), {"session", "deposit_deduction"}
        )
        self.assertFalse(self._run(session), "deducted once")

    def test_cancel_in_time_credits_the_deposit(self):
        session = self._session(self._plan("per_session"), 72)
        deposit = self._deposit(session)
        terms = self.env["clinic.online.booking"]._cancel_terms(session)
        self.assertIn("deposit of", terms["summary"])
        self.assertEqual(terms["credit"], 24.0)
        session._cancel("Cannot come", "patient")
        refund = self._run(session)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, deposit)
        self.assertAlmostEqual(refund.amount_total, 24.0)
        self.assertFalse(self._run(session), "credited once")

    def test_late_cancel_keeps_the_deposit_against_the_fee(self):
        session = self._session(self._plan("per_session"), 5)
        self._deposit(session)
        terms = self.env["clinic.online.booking"]._cancel_terms(session)
        self.assertEqual((terms["fee"], terms["credit"]), (42.0, 0.0))
        self.assertIn("your deposit pays", terms["summary"])
        session._cancel("Cannot come", "patient")
        invoice = self._run(session)
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertAlmostEqual(invoice.amount_total, 42.0 - 24.0, msg="the rest of the fee")

    def test_no_show_with_a_small_fee_credits_the_rest(self):
        self.company.clinic_no_show_fee = 10.0  # 12.00 with tax, below the deposit of 24.00
        session = self._session(self._plan("per_session"), 72)
        self._deposit(session)
        self._close(session, "no_show")
        moves = self._run(session)
        invoice = moves.filtered(lambda m: m.move_type == "out_invoice")
        refund = moves.filtered(lambda m: m.move_type == "out_refund")
        self.assertAlmostEqual(invoice.amount_total, 0.0, msg="the fee is paid by the deposit")
        self.assertAlmostEqual(refund.amount_total, 12.0)
