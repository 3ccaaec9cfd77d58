"""Input that a user can send and that the clinic never means: each is refused with a message
naming the field and the fix, and nothing is stored (a database error or an overflow would have
been a server error instead)."""

from datetime import date, datetime

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ScheduleCase


@tagged("post_install", "-at_install")
class TestBadInput(ScheduleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.physician = cls.env["res.partner"].create({"name": "Dr. Bounds"})

    def _plan_values(self, **vals):
        return {
            "patient_id": self.patient.id,
            "therapist_id": self.therapist.id,
            "room_id": self.room.id,
            "monday": True,
            "date_start": date.today(),
            **vals,
        }

    def test_plan_hour_that_rounds_to_midnight(self):
        with self.assertRefused(ValidationError, "Local Time must be between 00:00 and 23:59"):
            self.env["clinic.plan"].create(self._plan_values(hour=23.995))
        self.assertFalse(self.env["clinic.plan"].search([("patient_id", "=", self.patient.id)]))

    def test_dates_at_the_ends_of_the_calendar(self):
        first, last = date(1, 1, 1), date(9999, 12, 31)
        cases = [
            ("clinic.plan", self._plan_values(date_start=first), "Start Date is 0001-01-01"),
            (
                "clinic.plan",
                self._plan_values(end_type="date", date_end=last),
                "End Date is 9999-12-31",
            ),
            (
                "clinic.clearance",
                {
                    "patient_id": self.patient.id,
                    "physician_id": self.physician.id,
                    "contraindication_ids": [
                        fields.Command.set(self._contraindication("thrombocytopenia").ids)
                    ],
                    "date_issued": first,
                },
                "Clearance date is 0001-01-01",
            ),
            (
                "clinic.clearance",
                {
                    "patient_id": self.patient.id,
                    "physician_id": self.physician.id,
                    "contraindication_ids": [
                        fields.Command.set(self._contraindication("thrombocytopenia").ids)
                    ],
                    "date_expiry": last,
                },
                "Expiry is 9999-12-31",
            ),
            ("clinic.billing.run", {"date_from": first, "date_to": date.today()}, "From is 0001"),
            ("clinic.billing.run", {"date_from": date.today(), "date_to": last}, "To is 9999"),
            (
                "clinic.utilisation.wizard",
                {"date_from": first, "date_to": date.today()},
                "From is 0001",
            ),
            (
                "clinic.billing.run",
                {"date_from": date(2020, 1, 1), "date_to": date(2026, 1, 1)},
                "longer than 1098 days",
            ),
        ]
        for model, values, message in cases:
            with self.subTest(model=model, message=message):
                before = self.env[model].search_count([])
                with self.assertRefused(ValidationError, message):
                    self.env[model].create(values)
                self.assertEqual(self.env[model].search_count([]), before)
        with self.assertRefused(ValidationError, "Date of Birth is 0001-01-01"):
            self.patient.birthdate = first
        self.assertFalse(self.patient.birthdate)

    def _note(self):
        session = self._book(datetime(2026, 11, 16, 10), state="done")
        return self.env["clinic.treatment.note"].create({"session_id": session.id})

    def test_ppt_above_what_an_algometer_reads(self):
        note = self._note()
        with self.assertRefused(ValidationError, "algometer reads up to 20.0"):
            note.write(
                {
                    "line_ids": [
                        fields.Command.create(
                            {"region_id": self._region("upper_trapezius").id, "ppt": 25.0}
                        )
                    ]
                }
            )
        self.assertFalse(note.line_ids)

    def test_minutes_beyond_the_session(self):
        note = self._note()
        lines = [
            fields.Command.create({"region_id": self._region(code).id, "minutes": 35})
            for code in ("upper_trapezius", "leg")
        ]
        with self.assertRefused(ValidationError, "add up to 70 minutes, more than the 60"):
            note.write({"line_ids": lines})
        self.assertFalse(note.line_ids)
        note.write({"line_ids": lines[:1]})
        self.assertEqual(note.total_minutes, 35)

    def test_text_that_cannot_be_stored_or_is_far_too_long(self):
        session = self._book(self._next_weekday(1))
        cases = [
            (session, {"note": "Arrives\x00late"}, "Note contains a NUL character"),
            (self.patient, {"name": "Sol\x00Session"}, "Name contains a NUL character"),
            (session, {"note": "x" * 10_001}, "Note is 10001 characters long"),
            (self.patient, {"emergency_contact_name": "x" * 501}, "500 characters at most"),
        ]
        for record, vals, message in cases:
            with self.subTest(message=message):
                before = record.read(list(vals))[0]
                with self.assertRefused(ValidationError, message):
                    record.write(vals)
                self.assertEqual(record.read(list(vals))[0], before)
        note = self._note()
        with self.assertRefused(ValidationError, "Subjective is 50001 characters long"):
            note.write({"subjective": "<p>" + "x" * 49_994 + "</p>"})
        self.assertFalse(note.subjective)

    def test_intake_text_with_nul_refused_in_the_back_office(self):
        intake = self.env["clinic.intake"].create({"patient_id": self.patient.id})
        with self.assertRefused(ValidationError, "Goals contains a NUL character"):
            intake.goals = "Sleep\x00better"
        self.assertFalse(intake.goals)

    def test_plan_sessions_longer_than_a_working_day(self):
        with self.assertRefused(ValidationError, "at most 12 hours"):
            self.env["clinic.plan"].create(self._plan_values(duration=30))
        self.assertFalse(self.env["clinic.plan"].search([("patient_id", "=", self.patient.id)]))
