from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .test_home_programme import HomeProgrammeCase


@tagged("post_install", "-at_install")
class TestHomeProgrammeTours(HomeProgrammeCase):
    """Issue 22's tour in Chromium: the patient on a phone (390 x 844) logs two practices
    with pain and answers the daily check with a red flag; then the therapist (1280 x 800)
    sees the re-screening activity, the adherence and the pain series."""

    browser_size = "390x844"
    touch_enabled = True

    def test_patient_logs_and_flags_then_the_therapist_sees_it(self):
        note = self._note(
            1,
            [
                ("upper_trapezius", {"pressure": "firm", "side": "left"}),
                ("piriformis", {}),
            ],
            sign=False,
        )
        note.line_ids.write({"pain_before": 7})
        note.with_user(self.user_therapist).action_sign()
        self._submit_intake(self.patient, medications=["anticoagulant"])
        # Yesterday's practice, for a pain series of more than one day.
        practice = self.programmes._for_patient(self.patient)["practices"][0]
        self.env["clinic.home.log"]._log_practice(
            self.patient, practice, 7, when=fields.Datetime.now() - timedelta(days=1)
        )
        self._portal_user(self.patient, "sol_phone")
        self.start_tour(
            "/my/clinic/today", "trigger_point_clinic_home_programme_phone", login="sol_phone"
        )
        logs = self.env["clinic.home.log"].search(
            [("patient_id", "=", self.patient.id)], order="id"
        )
        self.assertEqual(logs[1:].mapped("pain"), [6, 3])
        check = self.env["clinic.home.check"].search([("patient_id", "=", self.patient.id)])
        self.assertEqual(check.state, "paused")
        self.assertEqual(check.flagged_ids.mapped("code"), ["dvt"])

        self.browser_size = "1280x800"
        self.touch_enabled = False
        self.start_tour(
            "/odoo", "trigger_point_clinic_home_programme_therapist", login="clinic_therapist"
        )
        check.invalidate_recordset()
        self.assertEqual(check.state, "rescreened")
        self.assertTrue(check.date_closed, "closed by the re-screening the tour made")
