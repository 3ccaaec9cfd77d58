"""The utilisation's daily aggregate against a recount from the raw sessions, after the front
desk's own calls over JSON-RPC; the available hours after a leave; and the "try again" answer
when the database stays too busy for a request."""

from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.service import model as service_model
from odoo.tests import HttpCase, tagged

from .common import ScheduleCase, new_test_user
from .rpc_common import call_kw

BOOKED = ("confirmed", "in_progress", "done", "no_show")
BUSY_SQL = """
    DO $$ BEGIN
        RAISE EXCEPTION USING ERRCODE = 'serialization_failure',
              MESSAGE = 'could not serialize access due to concurrent update';
    END $$
"""


@tagged("post_install", "-at_install")
class TestUtilisationAggregate(ScheduleCase, HttpCase):
    def _aggregate(self):
        """{(kind, owner, day): figures} as the report reads them from the aggregate."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT kind, owner_id, date, SUM(booked_hours), SUM(attended_hours),
                   SUM(sessions), SUM(attended), SUM(no_shows), SUM(late_cancellations),
                   SUM(revenue)
              FROM clinic_utilisation_day
          GROUP BY kind, owner_id, date
            """
        )
        return {
            tuple(row[:3]): tuple(float(v) for v in row[3:])
            for row in self.env.cr.fetchall()
            if any(row[3:])
        }

    def _recount(self):
        """The same figures counted here, from the sessions and the posted invoice lines."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT owner.kind, owner.id, s.local_date,
                   SUM(s.duration) FILTER (WHERE s.state IN %(booked)s),
                   SUM(s.duration) FILTER (WHERE s.state = 'done'),
                   COUNT(*) FILTER (WHERE s.state IN %(booked)s),
                   COUNT(*) FILTER (WHERE s.state = 'done'),
                   COUNT(*) FILTER (WHERE s.state = 'no_show'),
                   COUNT(*) FILTER (WHERE s.state = 'cancelled' AND s.late_cancel),
                   SUM((SELECT SUM(line.price_subtotal) FROM account_move_line line
                         WHERE line.clinic_session_id = s.id AND line.parent_state = 'posted'))
              FROM clinic_session s,
                   LATERAL (VALUES ('therapist', s.therapist_id), ('room', s.room_id))
                   AS owner(kind, id)
             WHERE owner.id IS NOT NULL
          GROUP BY 1, 2, 3
            """,
            {"booked": BOOKED},
        )
        return {
            tuple(row[:3]): tuple(float(v or 0) for v in row[3:])
            for row in self.env.cr.fetchall()
            if any(row[3:])
        }

    def assertAggregateIsRecount(self, step):
        self.assertEqual(self._aggregate(), self._recount(), f"after {step}")

    def _desk(self, model, method, *args, user=None, **kwargs):
        """``method`` over JSON-RPC as the front desk (or ``user``), which must succeed."""
        user = user or self.user_front_desk
        self.authenticate(user.login, user.login)
        body = call_kw(self, model, method, args, kwargs)
        self.assertNotIn("error", body, body.get("error"))
        return body["result"]

    def test_front_desk_calls_keep_the_aggregate_equal_to_a_recount(self):
        monday = self._next_weekday(0, 9, weeks_ahead=2)
        values = self._session_values(monday)
        values.update((key, fields.Datetime.to_string(values[key])) for key in ("start", "stop"))
        [session_id] = self._desk("clinic.session", "create", [values])
        self.assertAggregateIsRecount("a draft booked")
        self._desk("clinic.session", "action_confirm", [session_id])
        day = monday.date()
        self.assertEqual(
            self._aggregate()[("therapist", self.therapist.id, day)][2], 1, "one session booked"
        )
        self.assertAggregateIsRecount("a confirmation")

        tuesday = self._session_values(monday + timedelta(days=1, hours=5), 1.5)
        self._desk(
            "clinic.session",
            "write",
            [session_id],
            {
                "start": fields.Datetime.to_string(tuesday["start"]),
                "stop": fields.Datetime.to_string(tuesday["stop"]),
                "room_id": self.room_2.id,
            },
        )
        figures = self._aggregate()
        self.assertNotIn(("therapist", self.therapist.id, day), figures, "moved off Monday")
        self.assertEqual(figures[("room", self.room_2.id, day + timedelta(days=1))][0], 1.5)
        self.assertAggregateIsRecount("a move to another day, room and length")

        second = self._session_values(monday + timedelta(hours=2), patient_id=self.patient_2.id)
        second.update((key, fields.Datetime.to_string(second[key])) for key in ("start", "stop"))
        [second_id] = self._desk("clinic.session", "create", [second])
        self._desk("clinic.session", "action_confirm", [second_id])
        wizard = self._desk(
            "clinic.session.cancel",
            "create",
            [{"session_ids": [(6, 0, [session_id])], "reason": "Flu", "party": "patient"}],
        )
        wizard = wizard[0] if isinstance(wizard, list) else wizard
        self._desk("clinic.session.cancel", "action_confirm", [wizard])
        self.assertEqual(self.env["clinic.session"].browse(session_id).state, "cancelled")
        self.assertAggregateIsRecount("a cancellation")

        third = self._session_values(monday + timedelta(hours=4))
        third.update((key, fields.Datetime.to_string(third[key])) for key in ("start", "stop"))
        [third_id] = self._desk("clinic.session", "create", [third])
        # Deleting is the manager's (the desk cancels).
        self._desk("clinic.session", "unlink", [third_id], user=self.user_manager)
        self.assertFalse(self.env["clinic.session"].browse(third_id).exists())
        self.assertAggregateIsRecount("a deletion")

        self.env["clinic.utilisation.day"]._fold()
        self.assertAggregateIsRecount("folding")
        self.env.cr.execute(
            "SELECT COUNT(*), COUNT(DISTINCT (kind, owner_id, date)), bool_and(folded) "
            "FROM clinic_utilisation_day"
        )
        rows, days, folded = self.env.cr.fetchone()
        self.assertEqual((rows, folded), (days, True), "one row per day once folded")

    def test_sql_and_sudo_paths_reach_the_aggregate(self):
        """No code path to remember: a bulk SQL update and a sudo write count as well."""
        session = self._book(self._next_weekday(2, 10, weeks_ahead=3), state="confirmed")
        session.sudo().write({"therapist_id": self.therapist_2.id})
        self.assertAggregateIsRecount("a sudo write")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE clinic_session SET duration = 2.0, state = 'no_show' WHERE id = %s",
            [session.id],
        )
        self.assertAggregateIsRecount("an update in SQL")
        self.env.cr.execute("DELETE FROM clinic_session WHERE id = %s", [session.id])
        self.assertAggregateIsRecount("a delete in SQL")

    def test_a_leave_recomputes_only_its_days(self):
        monday = self._next_weekday(0, 9, weeks_ahead=2).date()
        days = self.env["clinic.availability.day"]
        days._refresh(monday, monday + timedelta(days=6))
        resource = self.therapist.resource_id

        def rows():
            self.env.cr.execute(
                "SELECT date, hours, ctid::text FROM clinic_availability_day "
                "WHERE resource_id = %s AND date BETWEEN %s AND %s ORDER BY date",
                [resource.id, monday, monday + timedelta(days=6)],
            )
            return {day: (float(hours), ctid) for day, hours, ctid in self.env.cr.fetchall()}

        before = rows()
        self.assertEqual(before[monday][0], 10.0)
        wednesday = monday + timedelta(days=2)
        manager = self.env(user=self.user_manager)
        triggers = self.env["ir.cron.trigger"].search([])
        calendar_class = type(self.env["resource.calendar"])
        with patch.object(
            calendar_class,
            "_work_intervals_batch",
            autospec=True,
            side_effect=calendar_class._work_intervals_batch,
        ) as computed:
            self.env["resource.calendar.leaves"].with_env(manager).sudo().create(
                {
                    "name": "Tess's day off",
                    "resource_id": resource.id,
                    "calendar_id": self.calendar.id,
                    "date_from": self._utc(datetime.combine(wednesday, datetime.min.time())),
                    "date_to": self._utc(datetime.combine(wednesday, datetime.max.time())),
                }
            )
            self.env.flush_all()
        self.assertFalse(computed.called, "the leave's request computes no available hours")
        self.assertEqual(rows(), before, "the days are folded after the request, not in it")
        fold = self.env.ref("trigger_point_clinic.ir_cron_clinic_availability_fold")
        self.assertEqual(
            (self.env["ir.cron.trigger"].search([]) - triggers).cron_id,
            fold,
            "the fold is woken for after the commit",
        )
        fold.method_direct_trigger()
        after = rows()
        self.assertEqual(after[wednesday][0], 0.0, "the leave's day, without opening the report")
        self.assertNotEqual(after[wednesday][1], before[wednesday][1])
        for day, (hours, ctid) in after.items():
            if day != wednesday:
                self.assertEqual((hours, ctid), before[day], f"{day} is not rewritten")
        # What a full recompute gives now: the same hours, nothing more to write.
        self.assertFalse(days._refresh(monday, monday + timedelta(days=6)))

    def test_availability_refresh_writes_only_the_days_that_changed(self):
        monday = self._next_weekday(0, 9, weeks_ahead=2).date()
        days = self.env["clinic.availability.day"]
        # A week never computed: the suite's earlier tests (or its crons) may have computed it.
        self.env.cr.execute(
            "DELETE FROM clinic_availability_day WHERE date BETWEEN %s AND %s",
            [monday, monday + timedelta(days=6)],
        )
        written = days._refresh(monday, monday + timedelta(days=6))
        self.assertEqual(len(written), 7 * len(days._resources(self.company)))
        self.assertFalse(days._refresh(monday, monday + timedelta(days=6)), "nothing changed")


@tagged("post_install", "-at_install")
class TestClinicBusy(ScheduleCase, HttpCase):
    """Out of Odoo's tries on a serialisation failure: a readable answer, nothing saved."""

    def setUp(self):
        super().setUp()
        # One try: the failure below happens on every try, so more would only wait longer.
        patcher = patch.object(service_model, "MAX_TRIES_ON_CONCURRENCY_FAILURE", 1)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_json_rpc_answers_try_again(self):
        session = self._book(self._next_weekday(1, 10, weeks_ahead=2))
        sessions = type(self.env["clinic.session"])
        original = sessions.write

        def busy_write(records, vals):
            result = original(records, vals)
            records.env.flush_all()
            records.env.cr.execute(BUSY_SQL)
            return result

        self.authenticate(self.user_front_desk.login, self.user_front_desk.login)
        with patch.object(sessions, "write", busy_write):
            body = call_kw(self, "clinic.session", "write", [session.ids, {"note": "Saved?"}])
        error = body["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.UserError", error["name"])
        self.assertEqual(
            error["message"], "The clinic is busy: nothing was saved, please try again"
        )
        self.assertNotIn("psycopg2", error["message"])
        self.env.invalidate_all()
        self.assertFalse(session.note, "nothing was saved")

    def test_portal_page_answers_try_again(self):
        user = new_test_user(self.env, login="clinic_busy_portal", groups="base.group_portal")
        booking = type(self.env["clinic.online.booking"])

        def busy_patient_of(records, portal_user):
            portal_user.partner_id.sudo().write({"comment": "Saved?"})
            records.env.flush_all()
            records.env.cr.execute(BUSY_SQL)

        self.authenticate(user.login, user.login)
        with patch.object(booking, "_patient_of", busy_patient_of):
            response = self.url_open("/my/clinic/card")
        self.assertEqual(response.status_code, 409)
        self.assertIn("The clinic is busy: nothing was saved, please try again", response.text)
        self.assertNotIn("SerializationFailure", response.text)
        self.env.invalidate_all()
        self.assertFalse(user.partner_id.comment, "nothing was saved")
