from datetime import datetime, time, timedelta

from dateutil.relativedelta import MO, relativedelta

from odoo import Command, fields
from odoo.tests import tagged

from .tour_common import TourCase


@tagged("post_install", "-at_install")
class TestRoleTours(TourCase):
    """Each back-office role walks its screens in Chromium, clicking and typing as its users
    do (tours in static/tests/tours/). The records come from here, not from the demo data:
    the clinic of ScheduleCase, in Paris, with Tess Therapist, Theo Therapist, Room 1 and
    Room 2, and one user per role."""

    def test_therapist_charts_and_signs_the_day_s_session(self):
        vera = self._make_patient("Vera Varicose")
        self._submit_intake(vera, yes=["varicose_veins"], days_ago=1)
        session = self._book_today(vera, self.therapist, self.room, state="confirmed")
        # Not on Tess's day: a colleague's session today, and her own session tomorrow.
        self._book_today(self.patient_2, self.therapist_2, self.room_2)
        tomorrow = self._local(session.start) + timedelta(days=1)
        self._book(tomorrow, patient_id=vera.id, forced_schedule=True)

        self.start_tour("/odoo", "trigger_point_clinic_therapist_day", login="clinic_therapist")

        self.assertEqual(session.state, "in_progress")
        note = session.treatment_note_ids
        self.assertEqual(note.state, "signed")
        self.assertEqual(note.signed_by_id, self.user_therapist)
        self.assertEqual(note.line_ids.region_id, self._region("upper_trapezius"))
        self.assertEqual(note.line_ids.technique, "pressure_release")
        self.assertTrue(note.hash_verified)

    def test_front_desk_books_a_session_and_sends_an_intake(self):
        nina = self._make_patient("Nina Newcomer")
        today = self._local(fields.Datetime.now()).date()
        tuesday = today - timedelta(days=today.weekday()) + timedelta(weeks=1, days=1)

        self.start_tour("/odoo", "trigger_point_clinic_front_desk", login="clinic_front_desk")

        booked = self.env["clinic.session"].search(
            [("therapist_id", "=", self.therapist.id), ("state", "!=", "cancelled")]
        )
        self.assertEqual(len(booked), 1, "the double booking was not saved")
        self.assertEqual(booked.patient_id, self.patient)
        self.assertEqual(booked.room_id, self.room)
        self.assertEqual(booked.state, "draft")
        self.assertEqual(
            self._local(booked.start),
            datetime.combine(tuesday, time(10)),
        )
        self.assertEqual(booked.duration, 1.0)
        self.assertEqual(booked.create_uid, self.user_front_desk)
        self.assertEqual(nina.intake_ids.state, "sent")

    def test_manager_overrides_a_screening_and_bills_last_week(self):
        dora = self._make_patient("Dora Danger")
        self._submit_intake(dora, yes=["dvt"], days_ago=1)
        stopped = self._book(self._next_weekday(2), patient_id=dora.id)
        bella = self._make_patient("Bella Billing")
        self._submit_intake(bella, days_ago=30)
        today = fields.Date.today()
        wednesday = today - timedelta(days=today.weekday() + 7) + timedelta(days=2)
        attended = self._book(
            datetime.combine(wednesday, time(10)),
            state="done",
            patient_id=bella.id,
        )
        self._sign_note(attended)

        self.start_tour("/odoo", "trigger_point_clinic_manager", login="clinic_manager")

        override = dora.override_ids
        self.assertEqual(override.user_id, self.user_manager)
        self.assertIn("clot has resolved", override.reason)
        self.assertEqual(override.session_id, stopped)
        self.assertTrue(override.date_used)
        self.assertEqual(stopped.state, "confirmed")
        run = self.env["clinic.billing.run"].search([("user_id", "=", self.user_manager.id)])
        self.assertEqual(run.state, "done")
        self.assertEqual(run.patient_ids, bella)
        self.assertEqual(
            (run.date_from, run.date_to),
            (wednesday - timedelta(days=2), wednesday + timedelta(days=4)),
        )
        self.assertEqual(run.move_ids.partner_id, bella.partner_id)
        self.assertEqual(run.move_ids.invoice_line_ids.clinic_session_id, attended)

    def test_administrator_reads_last_month_s_utilisation(self):
        first = fields.Date.today().replace(day=1) - relativedelta(months=1)
        last = first + relativedelta(months=1, days=-1)
        # Two hours attended on a Monday of last month.
        monday = first + relativedelta(days=7, weekday=MO)
        for hour in (10, 14):
            self._book(datetime.combine(monday, time(hour)), state="done")

        self.start_tour("/odoo", "trigger_point_clinic_administrator", login="clinic_administrator")

        wizard = self.env["clinic.utilisation.wizard"].search([], order="id desc", limit=1)
        self.assertEqual((wizard.date_from, wizard.date_to), (first, last))
        self.assertEqual(wizard.create_uid, self.user_administrator)

    def test_emergency_access_then_the_manager_s_audit(self):
        """Tess opens the record of a patient of Theo's through emergency access; a manager
        then finds her read in the patient's access history, reviews the access and verifies
        the chain of signed records."""
        ella = self._make_patient("Ella Emergency")
        self._submit_intake(ella, days_ago=3)
        session = self._book(
            self._next_weekday(1, 10, weeks_ahead=-1),
            state="in_progress",
            patient_id=ella.id,
            therapist_id=self.therapist_2.id,
        )
        note = self._sign_note(session, "erector_spinae_lumbar")
        self.assertFalse(ella._clinic_in_care(self.user_therapist, True))

        self.start_tour("/odoo", "trigger_point_clinic_emergency_access", login="clinic_therapist")

        grant = self.env["clinic.access.grant"].search([("patient_id", "=", ella.id)])
        self.assertEqual(grant.user_id, self.user_therapist)
        self.assertIn("off sick", grant.reason)
        reads = self.env["clinic.access.log"].search(
            [("access_grant_id", "=", grant.id), ("res_model", "=", note._name)]
        )
        self.assertEqual(set(reads.mapped("res_id")), {note.id})
        self.assertEqual(set(reads.mapped("access_type")), {"list", "form"})

        self.start_tour("/odoo", "trigger_point_clinic_audit", login="clinic_manager")

        self.assertEqual(grant.reviewed_by_id, self.user_manager)
        verification = self.env["clinic.record.verification"].search(
            [("create_uid", "=", self.user_manager.id)]
        )
        self.assertEqual(verification.state, "intact")

    def test_therapist_revokes_a_clearance(self):
        rita = self._make_patient(
            "Rita Revoke", care_team_ids=[Command.set(self.user_therapist.ids)]
        )
        self._submit_intake(rita, yes=["thrombocytopenia"], days_ago=2)
        clearance = self._clearance(rita)
        self.assertEqual(rita.screening_ids.verdict, "cleared_with_precautions")

        self.start_tour("/odoo", "trigger_point_clinic_clearance_revoke", login="clinic_therapist")

        self.assertEqual(clearance.state, "revoked")
        self.assertEqual(clearance.revoked_by_id, self.user_therapist)
        self.assertEqual(clearance.revoke_reason, "Recorded for the wrong patient.")
        self.assertEqual(rita.screening_ids.verdict, "clearance_required")

    def test_administrator_sets_the_clinic_s_policies(self):
        self.start_tour(
            "/odoo/action-trigger_point_clinic.res_config_settings_action",
            "trigger_point_clinic_settings",
            login="admin",
        )
        company = self.env.ref("base.main_company")
        self.assertEqual(company.clinic_appointment_reminder_hours, 48)
        self.assertEqual(company.clinic_online_weekly_limit, 3)
        self.assertEqual(company.clinic_access_log_days, 400)
        self.assertEqual(company.clinic_emergency_access_hours, 12)
