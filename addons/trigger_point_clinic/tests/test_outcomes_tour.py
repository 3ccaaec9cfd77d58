from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import ScheduleCase


@tagged("post_install", "-at_install")
class TestOutcomesTour(ScheduleCase, HttpCase):
    """A therapist opens an episode and reads its charts; a manager reads What Works, exports
    the outcomes for research and sends the letter; in Chromium at 1280 x 800, on an episode
    of Sol with Tess: three signed notes, NRS 7, 6, 4 and PPT 1.5, 1.8, 2.4 kg/cm2."""

    browser_size = "1280x800"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.physician = cls.env["res.partner"].create(
            {"name": "Dr. Lettera", "email": "lettera@physician.example.com"}
        )
        cls.patient.referring_physician_id = cls.physician
        today = fields.Date.today()
        cls.episode = cls.env["clinic.episode"].create(
            {
                "patient_id": cls.patient.id,
                "complaint": "Neck pain when driving.",
                "planned_sessions": 6,
                "date_start": today - timedelta(weeks=6),
                "region_ids": [Command.set(cls._region("upper_trapezius").ids)],
            }
        )
        monday = today - timedelta(days=today.weekday())
        for weeks, pain, ppt in ((5, 7, 1.5), (4, 6, 1.8), (3, 4, 2.4)):
            day = monday - timedelta(weeks=weeks)
            session = cls._book(datetime.combine(day, time(10)), state="done")
            note = cls.env["clinic.treatment.note"].create(
                {
                    "session_id": session.id,
                    "line_ids": [
                        Command.create(
                            {
                                "region_id": cls._region("upper_trapezius").id,
                                "side": "left",
                                "technique": "pressure_release",
                                "minutes": 10,
                                "pain_before": pain,
                                "pain_after": pain - 2,
                                "ppt_measured": True,
                                "ppt": ppt,
                            }
                        )
                    ],
                }
            )
            note.action_sign()
        assert len(cls.episode.session_ids) == 3, cls.episode.session_ids

    def test_therapist_reads_is_this_working_on_the_episode(self):
        self.start_tour(
            "/odoo", "trigger_point_clinic_outcomes_therapist", login="clinic_therapist"
        )

    def test_manager_reads_what_works_exports_and_sends_the_letter(self):
        self.start_tour("/odoo", "trigger_point_clinic_outcomes_manager", login="clinic_manager")
        export = self.env["clinic.research.export"].search([])
        self.assertEqual(export.user_id, self.user_manager)
        self.assertEqual(export.episode_count, 1)
        letter = self.episode.message_ids.filtered(lambda m: self.physician in m.partner_ids)
        self.assertEqual(len(letter), 1)
        self.assertEqual(letter.attachment_ids.mimetype, "application/pdf")
