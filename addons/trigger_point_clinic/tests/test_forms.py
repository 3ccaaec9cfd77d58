from datetime import timedelta

from odoo.tests import Form, tagged

from .common import ScheduleCase


@tagged("post_install", "-at_install")
class TestCreateForms(ScheduleCase):
    """Each role creates the clinic's records through their forms, as the web client does:
    a new record sends every field of its form that is not read-only, defaults included. The
    gate refuses a workflow field (a state) sent by a caller, so the forms show states
    read-only; a form showing one editable could not create anything."""

    def test_front_desk_books_a_session(self):
        start = self._utc(self._next_weekday(1))
        with Form(self.env["clinic.session"].with_user(self.user_front_desk)) as form:
            form.patient_id = self.patient
            form.start = start
            form.stop = start + timedelta(hours=1)
            form.therapist_id = self.therapist
            form.room_id = self.room
        self.assertEqual(form.record.state, "draft")

    def test_front_desk_plans_weekly_sessions(self):
        with Form(self.env["clinic.plan"].with_user(self.user_front_desk)) as form:
            form.patient_id = self.patient
            form.therapist_id = self.therapist
            form.room_id = self.room
            form.monday = True
        self.assertEqual(form.record.state, "draft")

    def test_manager_starts_a_billing_run(self):
        today = self._next_weekday(0).date()
        with Form(self.env["clinic.billing.run"].with_user(self.user_manager)) as form:
            form.date_from = today - timedelta(days=7)
            form.date_to = today - timedelta(days=1)
        self.assertEqual(form.record.state, "draft")

    def test_therapist_records_a_clearance_on_the_patient(self):
        self._book(self._next_weekday(1))
        physician = self.env["res.partner"].create({"name": "Dr. Form"})
        patient = self.patient.with_user(self.user_therapist)
        with Form(patient) as form, form.clearance_ids.new() as clearance:
            clearance.physician_id = physician
            clearance.contraindication_ids.add(self._contraindication("recent_surgery"))
        self.assertEqual(patient.clearance_ids.state, "active")

    def test_therapist_starts_an_intake(self):
        self._book(self._next_weekday(1))
        with Form(self.env["clinic.intake"].with_user(self.user_therapist)) as form:
            form.patient_id = self.patient
        self.assertEqual(form.record.state, "draft")

    def test_therapist_starts_a_treatment_note(self):
        session = self._book(self._next_weekday(1), state="confirmed")
        notes = self.env["clinic.treatment.note"].with_user(self.user_therapist)
        with Form(notes) as form:
            form.session_id = session
        self.assertEqual(form.record.state, "draft")
