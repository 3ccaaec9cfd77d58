from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .tour_common import TourCase


@tagged("post_install", "-at_install")
class TestDeskTours(TourCase):
    """The front desk's and the manager's day in Chromium (tours in static/tests/tours/desk_*),
    on the clinic of ScheduleCase."""

    def _last_wednesday(self):
        today = fields.Date.today()
        return today - timedelta(days=today.weekday() + 7) + timedelta(days=2)

    def test_manager_reads_a_billing_run_s_invoices(self):
        """Opening an invoice from a run's Invoices tab crashed ("Oops! Something went
        wrong"), and the Invoices button's list had no customer column."""
        wednesday = self._last_wednesday()
        for hour, name in ((10, "Bella Billing"), (11, "Carl Customer")):
            patient = self._make_patient(name)
            self._submit_intake(patient, days_ago=30)
            self._sign_note(
                self._book(
                    datetime.combine(wednesday, time(hour)), state="done", patient_id=patient.id
                )
            )
        run = (
            self.env["clinic.billing.run"]
            .with_user(self.user_manager)
            .create({"date_from": wednesday, "date_to": wednesday})
        )
        run.action_run()
        self.assertEqual(run.move_count, 2)
        self.start_tour(
            f"/odoo/action-trigger_point_clinic.clinic_billing_run_action/{run.id}",
            "trigger_point_clinic_billing_invoices",
            login="clinic_manager",
        )

    def test_front_desk_checks_in_and_out_taking_the_payment(self):
        """There was no arrived status, no way to see what a patient owes or to take a payment,
        and staff landed on Discuss."""
        if not self.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", self.company.id)]
        ):
            self.env["account.journal"].create(
                {"name": "Desk Cash", "code": "DCSH", "type": "cash", "company_id": self.company.id}
            )
        self.company.clinic_invoice_post = True
        sol = self._book_today(self.patient, self.therapist, self.room, state="confirmed")
        tom = self._book_today(self.patient_2, self.therapist_2, self.room_2, state="in_progress")
        tom._desk_mark("arrived_at")
        tom.action_done()
        self._sign_note(tom)
        today = self._local(tom.start).date()
        run = self.env["clinic.billing.run"].create(
            {"date_from": today, "date_to": today, "patient_ids": [Command.set(self.patient_2.ids)]}
        )
        run._run()
        invoice = run.move_ids
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertTrue(tom.session_price)

        self.start_tour("/odoo", "trigger_point_clinic_front_desk_day", login="clinic_front_desk")

        self.assertTrue(sol.arrived_at)
        self.assertFalse(sol.left_at)
        self.assertTrue(tom.left_at)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_front_desk_drags_a_session_to_another_therapist(self):
        """The calendar had no row per therapist, and a double booking was refused only at
        save; a drag had no undo."""
        tina = self.env["clinic.therapist"].create(
            {"name": "Tina Third", "calendar_id": self.calendar.id}
        )
        room_3 = self.env["clinic.room"].create({"name": "Room 3", "calendar_id": self.calendar.id})
        sol = self._book_today(self.patient, self.therapist, self.room, state="confirmed")
        self._book_today(self.patient_2, self.therapist_2, self.room_2, state="confirmed")
        sol.room_id = room_3

        self.start_tour("/odoo", "trigger_point_clinic_schedule", login="clinic_front_desk")

        self.assertEqual(sol.therapist_id, self.therapist, "the clash was written, or not undone")
        moves = sol.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "therapist_id"
        )
        self.assertEqual(sorted(moves.mapped("new_value_char")), ["Tess Therapist", "Tina Third"])
        self.assertNotIn("Theo Therapist", moves.mapped("new_value_char"))
        self.assertTrue(tina)

    def test_manager_overrides_from_the_refusal(self):
        """The override lived on the patient's header only, not where the session's refusal
        says to ask a manager; the session showed no screening nor a link to the patient."""
        dora = self._make_patient("Dora Danger")
        self._submit_intake(dora, yes=["dvt"], days_ago=1)
        stopped = self._book(self._next_weekday(2), patient_id=dora.id)

        self.start_tour(
            f"/odoo/action-trigger_point_clinic.clinic_session_action/{stopped.id}",
            "trigger_point_clinic_override_from_refusal",
            login="clinic_manager",
        )

        self.assertEqual(dora.override_ids.session_id, stopped)
        self.assertEqual(dora.override_ids.user_id, self.user_manager)
        self.assertEqual(stopped.state, "confirmed")
