"""The counted limits of the portal under concurrency, over real HTTP requests sent at once by
one patient (reproduction 6 of issue 19): the weekly online-booking limit and the waiting list
hold, each request in its own transaction of the server."""

import threading
from datetime import timedelta

import requests

from odoo import fields
from odoo.tests import get_db_name, tagged
from odoo.tools import config

from .common import CommittedCase, csrf_of

PASSWORD = "portal-limit-Pw-2026"


@tagged("post_install", "-at_install")
class TestConcurrentPortalLimit(CommittedCase):
    """Works on committed data through the test server (no test cursor: each request is a
    transaction of its own, as in production), and removes what it made."""

    def setUp(self):
        super().setUp()
        self._committed_clinic("Portal Limit", submit_intakes=True)
        env = self._env()
        self.patient = self.patients[0].with_env(env)
        self.company = self.patient.company_id
        self.limit = self.company.clinic_online_weekly_limit
        self.company.clinic_online_weekly_limit = 2
        self.user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": self.patient.name,
                    "login": "portal-limit-patient",
                    "password": PASSWORD,
                    "partner_id": self.patient.partner_id.id,
                    "group_ids": [fields.Command.set([env.ref("base.group_portal").id])],
                }
            )
        )
        # One session already in the week of self.start (Monday 10:00): one more is allowed.
        session = env["clinic.session"].create(
            {
                "patient_id": self.patient.id,
                "therapist_id": self.therapist.id,
                "room_id": self.room.id,
                "start": self.start,
                "stop": self.start + timedelta(hours=1),
            }
        )
        session.action_confirm()
        env.cr.commit()
        self.addCleanup(self._remove_user)
        self.base = f"http://127.0.0.1:{config['http_port']}"

    def _remove_user(self):
        env = self._env()
        env["clinic.waitlist"].search([("patient_id", "=", self.patient.id)]).unlink()
        env.company.clinic_online_weekly_limit = self.limit
        user = self.user.with_env(env)
        try:
            with env.cr.savepoint():
                user.unlink()
        except Exception:  # a user who made records is archived instead
            user.write({"active": False, "login": f"portal-limit-gone-{user.id}"})
        env.cr.commit()

    def _login(self):
        """A logged-in session of the patient's portal user, and a CSRF token of it."""
        http = requests.Session()
        response = http.post(
            f"{self.base}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {"db": get_db_name(), "login": self.user.login, "password": PASSWORD},
            },
            timeout=60,
        )
        self.assertNotIn("error", response.json(), response.text[:500])
        page = http.get(f"{self.base}/my/clinic/book", timeout=60)
        self.assertEqual(page.status_code, 200, page.text[:500])
        token = csrf_of(page.text)
        return http.cookies.get("session_id"), token

    def _all_at_once(self, path, forms):
        """POST each of ``forms`` to ``path`` at the same moment; the status of each answer."""
        cookie, token = self._login()
        barrier = threading.Barrier(len(forms))
        statuses = [None] * len(forms)

        def post(index, form):
            barrier.wait()
            response = requests.post(
                f"{self.base}{path}",
                data={**form, "csrf_token": token},
                cookies={"session_id": cookie},
                allow_redirects=False,
                timeout=120,
            )
            statuses[index] = response.status_code

        threads = [
            threading.Thread(target=post, args=(index, form)) for index, form in enumerate(forms)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        return statuses

    def test_four_bookings_at_once_keep_the_weekly_limit(self):
        starts = [self.start + timedelta(days=day, hours=hour) for day in (1, 2) for hour in (0, 2)]
        statuses = self._all_at_once(
            "/my/clinic/book",
            [
                {"therapist_id": self.therapist.id, "start": fields.Datetime.to_string(start)}
                for start in starts
            ],
        )
        self.assertEqual(sorted(statuses), [303, 400, 400, 400], statuses)
        check = self._env()
        week = check["clinic.session"].search(
            [
                ("patient_id", "=", self.patient.id),
                ("state", "!=", "cancelled"),
                ("start", ">=", self.start - timedelta(hours=12)),
                ("start", "<", self.start + timedelta(days=6)),
            ]
        )
        self.assertEqual(len(week), 2, "the limit is 2 sessions a week")

    def test_joining_the_waiting_list_twice_at_once_adds_one_entry(self):
        statuses = self._all_at_once(
            "/my/clinic/waitlist", [{"therapist_id": self.therapist.id}] * 3
        )
        self.assertEqual(statuses, [303, 303, 303])
        check = self._env()
        entries = check["clinic.waitlist"].search(
            [("patient_id", "=", self.patient.id), ("state", "=", "waiting")]
        )
        self.assertEqual(len(entries), 1)
