"""Two Odoo processes start the same clinic cron at the same moment: one does the work, the
other leaves it to the first; nothing is created twice and nothing is left undone."""

import select
import signal
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytz

from odoo import fields
from odoo.tests import get_db_name, tagged
from odoo.tools import config

from ..models.clinic_workflow import workflow
from .common import CommittedCase

WORKER = Path(__file__).with_name("cron_worker.py")


@tagged("post_install", "-at_install")
class TestCronOnTwoServers(CommittedCase):
    """Works on committed data with connections of its own, and removes what it made."""

    def setUp(self):
        super().setUp()
        env = self._env()
        calendar = env.ref("resource.resource_calendar_std")
        self.therapist = env["clinic.therapist"].create(
            {"name": "Cron Race Therapist", "calendar_id": calendar.id}
        )
        self.room = env["clinic.room"].create(
            {"name": "Cron Race Room", "calendar_id": calendar.id}
        )
        self.patient = env["clinic.patient"].create({"name": "Cron Race Patient"})
        monday = date.today() + timedelta(days=7 - date.today().weekday())
        self.plan = env["clinic.plan"].create(
            {
                "patient_id": self.patient.id,
                "therapist_id": self.therapist.id,
                "room_id": self.room.id,
                "monday": True,
                "thursday": True,
                "hour": 10.0,
                "date_start": monday,
            }
        )
        # Active, its sessions not generated yet: the cron's work.
        with workflow("clinic.plan"):
            self.plan.write({"state": "active"})
        env.cr.commit()
        self.addCleanup(self._remove)

    def _remove(self):
        env = self._env()
        plan = self.plan.with_env(env)
        env["clinic.session"].search([("plan_id", "=", plan.id)]).unlink()
        plan.skip_ids.unlink()
        plan.unlink()
        env["clinic.availability.day"].search(
            [("resource_id", "in", [self.therapist.resource_id.id, self.room.resource_id.id])]
        ).unlink()
        # Archived, not deleted: a patient with a submitted intake is kept.
        self.patient.with_env(env).action_archive()
        self.therapist.with_env(env).unlink()
        self.room.with_env(env).unlink()
        env.cr.commit()

    def _server(self, model, method, record_id=None):
        args = [model, method, *([str(record_id)] if record_id else [])]
        return subprocess.Popen(
            [sys.executable, str(WORKER), config["config"], get_db_name(), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ran(self, server):
        """What the server says it did; a server waiting on the other's rows (a double run
        that PostgreSQL holds back) says nothing, which fails here instead of hanging."""
        ready, _w, _x = select.select([server.stdout], [], [], 90)
        self.assertTrue(ready, "the server finished its run without waiting for the other")
        line = server.stdout.readline().split()
        self.assertEqual(line[:1], ["RAN"], "the worker ran the cron")
        return line[1]

    def _commit(self, server):
        out, _err = server.communicate("commit\n", timeout=120)
        self.assertIn("DONE", out)

    def _race(self, model, method):
        """Server A runs the cron and keeps its transaction open while server B starts the
        same cron; then both commit. Returns what each said."""
        first = self._server(model, method)
        self.addCleanup(first.kill)
        ran_first = self._ran(first)
        second = self._server(model, method)
        self.addCleanup(second.kill)
        ran_second = self._ran(second)
        self._commit(second)
        self._commit(first)
        return ran_first, ran_second

    def test_plan_generation_on_two_servers(self):
        first, second = self._race("clinic.plan", "_cron_generate_sessions")
        self.assertEqual(second, "skipped", "the second server leaves the work to the first")
        env = self._env()
        sessions = env["clinic.session"].search([("plan_id", "=", self.plan.id)])
        self.assertEqual(len(sessions), int(first))
        slots = sessions.mapped("plan_slot_date")
        self.assertEqual(len(slots), len(set(slots)), "one session per slot")
        expected = list(
            self.plan.with_env(env)._slot_dates(
                date.today() + timedelta(weeks=env.company.clinic_plan_horizon_weeks)
            )
        )
        self.assertEqual(sorted(slots), expected, "nothing skipped")

    def test_availability_refresh_on_two_servers(self):
        first, second = self._race("clinic.availability.day", "_cron_refresh")
        self.assertEqual(second, "skipped")
        env = self._env()
        days = env["clinic.availability.day"].search(
            [("resource_id", "=", self.therapist.resource_id.id)]
        )
        self.assertTrue(days)
        self.assertEqual(len(days), len(set(days.mapped("date"))), "one row per day")
        horizon = timedelta(weeks=env.company.clinic_plan_horizon_weeks)
        self.assertEqual(len(days), (horizon + timedelta(days=401)).days, "nothing skipped")
        self.assertGreaterEqual(int(first), len(days))
        self.assertIn(fields.Date.today(), days.mapped("date"))

    def _hour_at(self, env, patient, start):
        """In ``env``, a session of an hour from ``start`` for ``patient`` with the test's
        therapist, in its room."""
        return env["clinic.session"].create(
            {
                "patient_id": patient.id,
                "therapist_id": self.therapist.id,
                "room_id": self.room.id,
                "start": start,
                "stop": start + timedelta(hours=1),
            }
        )

    def _attended_sessions(self, env):
        """Three sessions of last week, attended, for the patient (who gets an intake): what
        the billing and the reminders work on. Billed without waiting for signed notes."""
        company = env.company
        self.addCleanup(self._restore_policy, company.clinic_require_signed_note)
        company.clinic_require_signed_note = False
        patient = self.patient.with_env(env)
        self._submitted_intake(env, patient)
        last_week = date.today() - timedelta(days=date.today().weekday(), weeks=1)
        sessions = env["clinic.session"].browse()
        for day in range(3):
            local = datetime.combine(last_week + timedelta(days=day), time(10))
            start = company._clinic_tz().localize(local).astimezone(pytz.utc).replace(tzinfo=None)
            sessions |= self._hour_at(env, patient, start)
        sessions.action_confirm()
        sessions.action_start()
        sessions.action_done()
        self.session_ids = sessions.ids
        return sessions, last_week

    def _remove_made_from_now(self, env):
        """Remove, after the test, the invoices, billing runs and activities made from now on,
        by whichever server: a cron works on the whole database."""
        marks = {}
        for model in ("account.move", "clinic.billing.run", "mail.activity"):
            marks[model] = env[model].sudo().search([], order="id desc", limit=1).id or 0

        def remove():
            env = self._env()
            moves = env["account.move"].search([("id", ">", marks["account.move"])])
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            for model in ("clinic.billing.run", "mail.activity"):
                env[model].search([("id", ">", marks[model])]).unlink()
            env.cr.commit()

        self.addCleanup(remove)

    def test_billing_cron_on_two_servers(self):
        env = self._env()
        sessions, _week = self._attended_sessions(env)
        self._remove_made_from_now(env)
        env.cr.commit()
        first, second = self._race("clinic.billing.run", "_cron_bill")
        self.assertEqual(second, "skipped", "the second server leaves the billing to the first")
        self.assertGreater(int(first), 0)
        check = self._env()
        lines = check["account.move.line"].search([("clinic_session_id", "in", sessions.ids)])
        self.assertEqual(len(lines), 3, "each session billed once: nothing twice, nothing left")
        self.assertEqual(set(lines.clinic_session_id.ids), set(sessions.ids))

    def test_reminder_cron_on_two_servers(self):
        env = self._env()
        # Reminders go to the therapist's user.
        self.therapist.with_env(env).user_id = env.ref("base.user_admin")
        sessions, _week = self._attended_sessions(env)
        self._remove_made_from_now(env)
        env.cr.commit()
        _first, second = self._race("clinic.treatment.note", "_cron_remind_unsigned")
        self.assertEqual(second, "skipped")
        check = self._env()
        for session in sessions.with_env(check):
            todos = session.activity_ids.filtered(lambda a: a.summary == "Sign the treatment note")
            self.assertEqual(len(todos), 1, "one reminder per session")
            self.assertEqual(todos.user_id, check.ref("base.user_admin"))

    def test_appointment_reminder_cron_on_two_servers(self):
        """Two servers send the patients' appointment reminders at once: each session's
        reminder is queued once, by the first, with its marker."""
        env = self._env()
        patient = self.patient.with_env(env)
        patient.partner_id.email = "cron.race@patient.example.com"
        self._submitted_intake(env, patient)
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        sessions = env["clinic.session"].browse()
        # Outside the therapist's hours maybe (the test runs at any time): the schedule check
        # is not what this test is about.
        with workflow("schedule_checked"):
            for hours in (3, 5, 7):
                start = now + timedelta(hours=hours)
                sessions |= self._hour_at(env, patient, start)
        self.session_ids = sessions.ids
        self._remove_reminders_made_from_now(env)
        env.cr.commit()
        first, second = self._race("clinic.session", "_cron_send_appointment_reminders")
        self.assertEqual(second, "skipped", "the second server leaves the reminders to the first")
        self.assertGreaterEqual(int(first), 3)
        check = self._env()
        for session in sessions.with_env(check):
            mails = check["mail.mail"].search(
                [("model", "=", "clinic.session"), ("res_id", "=", session.id)]
            )
            self.assertEqual(len(mails), 1, "one reminder per session")
            self.assertEqual(session.reminder_sent_for, session.start)
        self.assertFalse(
            check["clinic.session"]._cron_send_appointment_reminders() & sessions,
            "a third run, after both, sends nothing again",
        )

    def _remove_reminders_made_from_now(self, env):
        """A cron works on the whole database: after the test, remove the reminder mails and
        messages made from now on, and the markers set, whichever sessions they were for."""
        mark = env["mail.message"].sudo().search([], order="id desc", limit=1).id or 0
        since = fields.Datetime.now() - timedelta(seconds=1)

        def remove():
            env = self._env()
            messages = env["mail.message"].search(
                [("id", ">", mark), ("model", "=", "clinic.session")]
            )
            env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
            messages.exists().unlink()
            env.cr.execute(
                "UPDATE clinic_session SET reminder_sent_for = NULL, reminder_sent_at = NULL"
                " WHERE reminder_sent_at >= %s",
                [since],
            )
            env["clinic.session"].browse(self.session_ids).unlink()
            env.cr.commit()

        self.addCleanup(remove)

    def test_billing_run_killed_halfway_leaves_nothing_and_the_next_completes(self):
        env = self._env()
        sessions, last_week = self._attended_sessions(env)
        patient = self.patient.with_env(env)
        run = env["clinic.billing.run"].create(
            {
                "date_from": last_week,
                "date_to": last_week + timedelta(days=6),
                "patient_ids": [fields.Command.set(patient.ids)],
            }
        )
        env.cr.commit()

        server = self._server("clinic.billing.run", "_run", run.id)
        self.addCleanup(server.kill)
        self.assertEqual(self._ran(server), "1", "one invoice made, not committed yet")
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=60)

        check = self._env()
        lines = check["account.move.line"].search([("clinic_session_id", "in", sessions.ids)])
        self.assertFalse(lines, "a killed run leaves no partial invoice")
        self.assertEqual(run.with_env(check).state, "draft")
        moves = run.with_env(check)._run()
        check.cr.commit()
        self.assertEqual(
            sorted(moves.invoice_line_ids.clinic_session_id.ids),
            sorted(sessions.ids),
            "the next run bills the whole period",
        )

    def _restore_policy(self, required):
        env = self._env()
        lines = env["account.move.line"].search(
            [("clinic_session_id", "in", getattr(self, "session_ids", []))]
        )
        runs = env["clinic.billing.run"].search([("patient_ids", "in", self.patient.ids)])
        moves = lines.move_id | runs.move_ids
        moves.filtered(lambda m: m.state == "posted").button_draft()
        moves.unlink()
        runs.unlink()
        env["clinic.session"].browse(getattr(self, "session_ids", [])).unlink()
        env.company.clinic_require_signed_note = required
        env.cr.commit()
