from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import ScheduleCase


@tagged("post_install", "-at_install")
class TestDeskTours(ScheduleCase, HttpCase):
    """The front desk's and the manager's day in Chromium (tours in static/tests/tours/desk_*),
    on the clinic of ScheduleCase."""

    @classmethod
    def _sign_note(cls, session, region_code="upper_trapezius"):
        note = cls.env["clinic.treatment.note"].create(
            {
                "session_id": session.id,
                "line_ids": [
                    Command.create(
                        {"region_id": cls._region(region_code).id, "technique": "pressure_release"}
                    )
                ],
            }
        )
        note.action_sign()
        return note

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
