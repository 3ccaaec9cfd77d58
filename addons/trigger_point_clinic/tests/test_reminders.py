"""Nothing waits unseen: a submitted intake, a note left unsigned after its session, a
clearance about to expire each give the therapist concerned one to-do."""

from datetime import date, datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from ..models.clinic_reminder_mixin import retype_open_todos
from .common import ScheduleCase


@tagged("post_install", "-at_install")
class TestReminders(ScheduleCase):
    def _todos(self, records, summary):
        return records.activity_ids.filtered(lambda a: a.summary == summary)

    def test_submitted_intake_asks_the_next_sessions_therapist_to_review(self):
        patient = self._make_patient("Rhea Review")
        self._book(self._next_weekday(2), patient_id=patient.id)
        intake = self._submit_intake(patient, yes=["varicose_veins"])
        todo = self._todos(intake, "Review the intake")
        self.assertEqual(todo.user_id, self.user_therapist)
        intake.with_user(self.user_therapist).action_review()
        self.assertFalse(self._todos(intake, "Review the intake"), "done once reviewed")

    def test_a_to_do_reads_in_the_therapists_language_and_is_closed_by_its_type(self):
        """A French therapist reads "Relire le questionnaire"; reviewing the intake closes it,
        whatever language it was written in."""
        self.env["res.lang"]._activate_lang("fr_FR")
        kind = self.env.ref("trigger_point_clinic.mail_activity_type_review_intake")
        kind.with_context(lang="fr_FR").name = "Relire le questionnaire"
        self.user_therapist.lang = "fr_FR"
        patient = self._make_patient("Rhea Relire")
        self._book(self._next_weekday(2), patient_id=patient.id)
        intake = self._submit_intake(patient, yes=["varicose_veins"])
        todo = intake.activity_ids.filtered(lambda a: a.activity_type_id == kind)
        self.assertEqual(
            (todo.summary, todo.user_id), ("Relire le questionnaire", self.user_therapist)
        )
        intake.with_user(self.user_therapist).action_review()
        self.assertFalse(intake.activity_ids, "done once reviewed")

    def test_to_dos_made_before_their_type_are_closed_after_the_upgrade(self):
        """A to-do made by 19.0.1.2.0 (the generic type, the English summary) is given its
        type by the migration, and reviewing the intake closes it."""
        patient = self._make_patient("Rhea Before")
        self._book(self._next_weekday(2), patient_id=patient.id)
        intake = self._submit_intake(patient, yes=["varicose_veins"])
        intake.activity_ids.unlink()
        old = intake.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Review the intake",
            user_id=self.user_therapist.id,
        )
        retype_open_todos(self.env)
        self.assertEqual(
            old.activity_type_id,
            self.env.ref("trigger_point_clinic.mail_activity_type_review_intake"),
        )
        intake.with_user(self.user_therapist).action_review()
        self.assertFalse(intake.activity_ids, "done once reviewed")

    def test_unsigned_notes_are_brought_to_their_therapist_once(self):
        monday = fields.Date.today() - timedelta(days=fields.Date.today().weekday(), weeks=1)
        at = datetime(monday.year, monday.month, monday.day)
        without_note = self._book(at.replace(hour=9), state="done")
        with_draft = self._book(at.replace(hour=10), state="done")
        draft = self.env["clinic.treatment.note"].create({"session_id": with_draft.id})
        signed_session = self._book(at.replace(hour=11), state="done")
        signed = self.env["clinic.treatment.note"].create(
            {
                "session_id": signed_session.id,
                "line_ids": [
                    fields.Command.create(
                        {"region_id": self._region("leg").id, "technique": "stretching"}
                    )
                ],
            }
        )
        signed.with_user(self.user_therapist).action_sign()
        notes = self.env["clinic.treatment.note"]
        notes._cron_remind_unsigned()
        notes._cron_remind_unsigned()
        self.assertEqual(len(self._todos(without_note, "Sign the treatment note")), 1)
        self.assertEqual(len(self._todos(draft, "Sign the treatment note")), 1)
        self.assertEqual(self._todos(draft, "Sign the treatment note").user_id, self.user_therapist)
        self.assertFalse(self._todos(signed, "Sign the treatment note"))
        draft.write(
            {
                "line_ids": [
                    fields.Command.create(
                        {"region_id": self._region("leg").id, "technique": "stretching"}
                    )
                ]
            }
        )
        draft.with_user(self.user_therapist).action_sign()
        self.assertFalse(self._todos(draft, "Sign the treatment note"), "done once signed")

    def test_clearance_about_to_expire_is_brought_to_the_next_therapist(self):
        patient = self._make_patient("Cleo Clearance")
        self._submit_intake(patient, yes=["thrombocytopenia"])
        self._book(self._next_weekday(3), patient_id=patient.id)
        today = date.today()
        soon, later = (
            self._clearance(patient, date_issued=today - timedelta(days=80), date_expiry=expiry)
            for expiry in (today + timedelta(days=10), today + timedelta(days=40))
        )
        clearances = self.env["clinic.clearance"]
        clearances._cron_remind_expiring()
        clearances._cron_remind_expiring()
        todo = self._todos(soon, "Renew the clearance")
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.user_therapist)
        self.assertEqual(todo.date_deadline, soon.date_expiry)
        self.assertFalse(self._todos(later, "Renew the clearance"))
