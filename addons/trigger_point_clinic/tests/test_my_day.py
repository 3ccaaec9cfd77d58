from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ScheduleCase


@tagged("post_install", "-at_install")
class TestMyDay(ScheduleCase):
    """My Day: a therapist's sessions of the clinic's current day, with each patient's
    screening. The clinic's day is its local one (Paris here), not the server's UTC day."""

    def _forced(self, local_start, **vals):
        return self._book(local_start, forced_schedule=True, **vals)

    def _my_day(self, user, day=None):
        """The sessions My Day lists: the action's domain and the day the view adds
        (static/src/my_day): the clinic's today, or the local ``day`` chosen."""
        action = self.env.ref("trigger_point_clinic.clinic_session_action_my_day")
        domain = safe_eval(action.domain, {"uid": user.id})
        domain += [("local_date", "=", day)] if day else [("is_today", "=", True)]
        return self.env["clinic.session"].with_user(user).search(domain)

    @freeze_time("2026-01-14 23:30:00")
    def test_today_is_the_clinic_s_local_day(self):
        # 23:30 UTC on the 14th is 00:30 on the 15th in Paris.
        early = self._forced(datetime(2026, 1, 15, 0, 15))
        evening = self._forced(datetime(2026, 1, 14, 23, 0))
        self.assertEqual(early.start.day, 14, "in UTC, both sessions are on the 14th")
        today = self.env["clinic.session"].search([("is_today", "=", True)])
        self.assertIn(early, today)
        self.assertNotIn(evening, today)
        self.assertIn(evening, self.env["clinic.session"].search([("is_today", "=", False)]))
        self.assertEqual((early | evening).mapped("is_today"), [True, False])

    @freeze_time("2026-01-14 09:00:00")
    def test_my_day_lists_the_therapist_s_own_sessions_of_today(self):
        mine = self._forced(datetime(2026, 1, 14, 16, 0))
        self._forced(datetime(2026, 1, 15, 16, 0))
        self._forced(
            datetime(2026, 1, 14, 16, 0),
            therapist_id=self.therapist_2.id,
            room_id=self.room_2.id,
            patient_id=self.patient_2.id,
        )
        self.assertEqual(self._my_day(self.user_therapist), mine)
        self.assertFalse(self._my_day(self.user_front_desk))

    @freeze_time("2026-01-14 09:00:00")
    def test_my_day_shows_any_day(self):
        """Issue 23: My Day could not move to tomorrow. The action no longer holds the day."""
        action = self.env.ref("trigger_point_clinic.clinic_session_action_my_day")
        self.assertNotIn("is_today", action.domain)
        self.assertIn("kanban", action.view_mode, "a card per session on a phone")
        self._forced(datetime(2026, 1, 14, 16, 0))
        tomorrow = self._forced(datetime(2026, 1, 15, 9, 0))
        self.assertEqual(self._my_day(self.user_therapist, "2026-01-15"), tomorrow)

    @freeze_time("2026-01-14 09:00:00")
    def test_the_day_shows_what_the_screening_asks_to_avoid(self):
        vera = self._make_patient("Vera Varicose")
        self._submit_intake(vera, yes=["varicose_veins"], days_ago=1)
        session = self._forced(datetime(2026, 1, 14, 16, 0), patient_id=vera.id)
        seen = session.with_user(self.user_therapist)
        self.assertEqual(seen.patient_screening_verdict, "cleared_with_precautions")
        self.assertIn(self._region("leg"), seen.patient_excluded_region_ids)
        self.assertEqual(seen.patient_max_pressure, "moderate")
        # The front desk has no right on the screening: the session's fields stay empty.
        desk = session.with_user(self.user_front_desk).read(
            ["patient_screening_verdict", "patient_excluded_region_ids", "patient_max_pressure"]
        )[0]
        self.assertFalse(desk["patient_screening_verdict"])
        self.assertFalse(desk["patient_excluded_region_ids"])
        self.assertFalse(desk["patient_max_pressure"])
