from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import ScheduleCase

MY_DAY = "/odoo/action-trigger_point_clinic.clinic_session_action_my_day"


class ChartingTourCase(ScheduleCase, HttpCase):
    """Pia (anticoagulant: moderate pressure at most; varicose veins: no leg work) has a
    session with Tess now, and a signed note of three weeks ago to copy forward; Nico has a
    session with Tess tomorrow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pia = cls._make_patient("Pia Pain")
        cls._submit_intake(
            cls.pia,
            yes=["varicose_veins"],
            medications=["anticoagulant"],
            pain={"upper_trapezius": 7, "low_back_hip": 5},
            days_ago=30,
        )
        now = cls._local(fields.Datetime.now().replace(second=0, microsecond=0))
        earlier = cls._book(
            now - timedelta(weeks=3),
            patient_id=cls.pia.id,
            state="done",
            forced_schedule=True,
        )
        cls.previous = cls.env["clinic.treatment.note"].create(
            {
                "session_id": earlier.id,
                "line_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "region_id": cls._region("upper_trapezius").id,
                            "side": "right",
                            "technique": "stretching",
                            "minutes": 10,
                            "pain_before": 7,
                            "pain_after": 4,
                        }
                    ),
                ],
            }
        )
        cls.previous.action_sign()
        cls.pia_session = cls._book(
            now, patient_id=cls.pia.id, state="in_progress", forced_schedule=True
        )
        nico = cls._make_patient("Nico Next")
        cls._book(now + timedelta(days=1), patient_id=nico.id, forced_schedule=True)


@tagged("post_install", "-at_install")
class TestChartingOnATablet(ChartingTourCase):
    browser_size = "1024x768"

    def test_a_two_region_note_within_fifteen_clicks(self):
        # The tour counts its clicks and fails beyond 15 (issue 23: about 45 before).
        self.start_tour(MY_DAY, "trigger_point_clinic_therapist_charting", login="clinic_therapist")

        note = self.pia_session.treatment_note_ids
        self.assertEqual(note.state, "signed")
        self.assertEqual(
            [
                (line.region_id.code, line.side, line.technique, line.pressure)
                for line in note.line_ids.sorted("sequence")
            ],
            [
                ("upper_trapezius", "right", "stretching", "moderate"),
                ("piriformis", "left", "stretching", "light"),
            ],
        )
        self.assertEqual(note.line_ids.sorted("sequence").mapped("pain_before"), [6, 5])
        self.assertEqual(note.line_ids.sorted("sequence").mapped("pain_after"), [3, 2])


@tagged("post_install", "-at_install")
class TestMyDayOnAPhone(ChartingTourCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_my_day_on_a_phone_for_any_day(self):
        self.start_tour(MY_DAY, "trigger_point_clinic_my_day_phone", login="clinic_therapist")
        self.assertTrue(self.pia_session.treatment_note_ids, "the note was opened from My Day")
