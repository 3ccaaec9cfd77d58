from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ScheduleCase

# A fixed "now" three weeks before the end of daylight-saving time in Paris (25 Oct 2026).
NOW = "2026-10-05 06:00:00"
MONDAY = date(2026, 10, 5)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestPlanGeneration(ScheduleCase):
    def _plan(self, **vals):
        values = {
            "patient_id": self.patient.id,
            "therapist_id": self.therapist.id,
            "room_id": self.room.id,
            "monday": True,
            "hour": 10.0,
            "duration": 1.0,
            "date_start": MONDAY,
        }
        values.update(vals)
        return self.env["clinic.plan"].create(values)

    def _local_starts(self, plan):
        sessions = plan.session_ids.filtered(lambda s: s.state != "cancelled").sorted("start")
        return [self._local(s.start) for s in sessions]

    def test_weekly_within_horizon_and_idempotent(self):
        self.company.clinic_plan_horizon_weeks = 4
        plan = self._plan()
        plan.action_activate()
        self.assertEqual(
            self._local_starts(plan),
            [datetime(2026, 10, 5, 10) + timedelta(weeks=w) for w in range(5)],
        )
        self.assertFalse(plan._generate_sessions(), "re-running adds nothing")
        self.env["clinic.plan"]._cron_generate_sessions()
        self.assertEqual(len(plan.session_ids), 5)

    def test_dst_change_keeps_local_time(self):
        plan = self._plan(end_type="date", date_end=date(2026, 11, 2))
        plan.action_activate()
        sessions = plan.session_ids.sorted("start")
        self.assertEqual(len(sessions), 5)
        self.assertTrue(all(self._local(s.start).hour == 10 for s in sessions))
        utc_hours = [s.start.hour for s in sessions]
        self.assertEqual(utc_hours, [8, 8, 8, 9, 9], "10:00 CEST is 08:00 UTC, 10:00 CET 09:00")

    def test_every_two_weeks_and_end_by_count(self):
        plan = self._plan(interval_weeks=2, end_type="count", session_count=3, wednesday=True)
        plan.action_activate()
        days = [d.date() for d in self._local_starts(plan)]
        self.assertEqual(days, [date(2026, 10, 5), date(2026, 10, 7), date(2026, 10, 19)])

    def test_end_by_date(self):
        plan = self._plan(end_type="date", date_end=date(2026, 10, 19))
        plan.action_activate()
        self.assertEqual(len(plan.session_ids), 3)

    def test_leave_and_closing_day_are_skipped_and_listed(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Conference",
                "resource_id": self.therapist.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": self._utc(datetime(2026, 10, 12, 0)),
                "date_to": self._utc(datetime(2026, 10, 12, 23)),
            }
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": self._utc(datetime(2026, 10, 26, 0)),
                "date_to": self._utc(datetime(2026, 10, 26, 23)),
            }
        )
        plan = self._plan(end_type="date", date_end=date(2026, 11, 2))
        plan.action_activate()
        days = [d.date() for d in self._local_starts(plan)]
        self.assertEqual(days, [date(2026, 10, 5), date(2026, 10, 19), date(2026, 11, 2)])
        skips = {s.slot_date: s.reason for s in plan.skip_ids}
        self.assertEqual(skips[date(2026, 10, 12)], "Tess Therapist on leave")
        self.assertEqual(skips[date(2026, 10, 26)], "Clinic closed")
        self.env["clinic.plan"]._cron_generate_sessions()
        self.assertEqual(len(plan.session_ids), 3, "re-running the cron adds nothing")
        self.assertEqual(len(plan.skip_ids), 2)

    def test_slot_taken_by_another_booking_is_skipped(self):
        self._book(datetime(2026, 10, 12, 10), patient_id=self.patient_2.id, room_id=self.room_2.id)
        plan = self._plan(end_type="date", date_end=date(2026, 10, 19))
        plan.action_activate()
        self.assertEqual(len(plan.session_ids), 2)
        self.assertEqual(plan.skip_ids.reason, "Therapist already booked")

    def test_editing_moves_future_drafts_only(self):
        plan = self._plan(end_type="date", date_end=date(2026, 10, 26))
        plan.action_activate()
        first, second, *_later = plan.session_ids.sorted("start")
        second.action_confirm()
        plan.write({"hour": 14.5, "room_id": self.room_2.id})
        self.assertEqual(self._local(first.start), datetime(2026, 10, 5, 14, 30))
        self.assertEqual(self._local(second.start), datetime(2026, 10, 12, 10), "confirmed: kept")
        self.assertEqual(first.room_id, self.room_2)
        self.assertEqual(len(plan.session_ids), 4)

    def test_pause_cancels_future_drafts_and_resume_rebooks_them(self):
        plan = self._plan(end_type="date", date_end=date(2026, 10, 26))
        plan.action_activate()
        sessions = plan.session_ids.sorted("start")
        sessions[0].action_confirm()
        with freeze_time("2026-10-06 06:00:00"):
            done = sessions[0]
            done.action_start()
            done.action_done()
            plan.action_pause()
        self.assertEqual(done.state, "done")
        self.assertEqual(set(sessions[1:].mapped("state")), {"cancelled"})
        self.assertEqual(set(sessions[1:].mapped("cancel_reason")), {"Plan paused"})
        with freeze_time("2026-10-06 06:00:00"):
            plan.action_activate()
        self.assertEqual(set(sessions[1:].mapped("state")), {"draft"})
        self.assertEqual(len(plan.session_ids), 4, "the same sessions are booked again")

    def test_bad_plans_are_refused(self):
        cases = {
            "interval 0": ({"interval_weeks": 0}, "from 1 to 52"),
            "end before start": (
                {"end_type": "date", "date_end": MONDAY - timedelta(days=1)},
                "before it starts",
            ),
            "no weekday": ({"monday": False}, "at least one weekday"),
            "zero duration": ({"duration": 0}, "more than zero"),
            "no count": ({"end_type": "count", "session_count": 0}, "from 1 to 1000"),
        }
        for label, (vals, message) in cases.items():
            with self.subTest(label), self.assertRefused(ValidationError, message):
                self._plan(**vals)
        self.assertFalse(self.env["clinic.plan"].search([("patient_id", "=", self.patient.id)]))
