"""What Odoo 19 may send to a read replica, as each role's client reaches it.

Tests run with Odoo's read-only test cursors: a request routed read-only gets a transaction that
PostgreSQL keeps read-only, as a replica would; one that writes is refused and Odoo serves it
again read/write (``odoo/http.py``, ``_serve_db``): a page rendered twice. Each request below
records the mode Odoo served it in: ``ro`` (answered read-only, once), ``ro->rw`` (refused,
served again) or ``rw`` (read/write from the start)."""

import threading
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.http import Request
from odoo.tests import tagged

from .rpc_common import AccessLogCase, call_kw


@tagged("post_install", "-at_install")
class TestReplicaReads(AccessLogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sol = cls._portal_user(cls.patient, "replica_sol")
        cls.users["patient"] = cls.user_sol

    def setUp(self):
        super().setUp()
        self.note = self._signed_note()

    @contextmanager
    def served(self):
        """The modes Odoo served the requests made inside in, in order."""
        modes = []
        serve_db = Request._serve_db

        def recording(request):
            try:
                return serve_db(request)
            finally:
                modes.append(getattr(threading.current_thread(), "cursor_mode", None))

        with patch.object(Request, "_serve_db", recording):
            yield modes

    def _as(self, role):
        self.env.flush_all()
        if getattr(self, "_logged_in", None) != role:
            self.authenticate(self.users[role].login, self.users[role].login)
            self._logged_in = role

    def assertServedOnce(self, role, model, method, args, kwargs=None, mode="ro"):
        self._as(role)
        with self.served() as modes:
            body = call_kw(self, model, method, args, kwargs)
        self.assertNotIn("error", body, f"{role}: {model}.{method}: {body.get('error')}")
        self.assertEqual(modes, [mode], f"{role}: {model}.{method} served {modes}")
        return body["result"]

    def test_reports_my_day_and_calendars_are_read_only(self):
        today = fields.Date.today()
        week = [
            ("start", ">=", fields.Datetime.to_string(today - timedelta(days=today.weekday()))),
            ("start", "<", fields.Datetime.to_string(today + timedelta(days=7))),
        ]
        spec = {"start": {}, "patient_id": {"fields": {"display_name": {}}}, "state": {}}
        reads = [
            # My Day, its list and its phone cards.
            ("therapist", "clinic.session", "web_search_read", [[("is_today", "=", True)], spec]),
            # The desk's calendar and timeline of the week.
            ("front_desk", "clinic.session", "web_search_read", [week, spec]),
            (
                "manager",
                "clinic.utilisation",
                "formatted_read_grouping_sets",
                [[], [["therapist_id"]], ["available_hours:sum", "booked_hours:sum"]],
            ),
            ("manager", "clinic.what.works", "formatted_read_group", [[], ["region_id"], []]),
            ("manager", "clinic.rebooking", "formatted_read_group", [[], ["therapist_id"], []]),
            ("manager", "clinic.access.log", "web_search_read", [[], {"user_id": {}}]),
        ]
        for role, model, method, args in reads:
            with self.subTest(model=model, method=method):
                self.assertServedOnce(role, model, method, args)

    def test_outcome_reports_read_only_and_logged_once_on_the_primary(self):
        """The Outcomes graph reads clinical lines: served read-only, its entry written once
        (on the primary, by a cursor of its own), the report not computed twice."""
        line = self.note.line_ids[:1]
        for model, method, args, record in (
            (
                "clinic.treatment.note.line",
                "formatted_read_group",
                [[("id", "=", line.id)], ["region_id"], ["pain_before:avg"]],
                line,
            ),
            (
                "clinic.region.outcome",
                "web_search_read",
                [[("patient_id", "=", self.patient.id)], {"first_pain": {}}],
                None,
            ),
        ):
            with self.subTest(model=model):
                since = self._last_id()
                result = self.assertServedOnce("therapist", model, method, args)
                self.assertTrue(result)
                entries = self.Log.search([("id", ">", since), ("res_model", "=", model)])
                self.assertTrue(entries, f"{model}: the read left no entry")
                if record:
                    self.assertEqual(entries.res_id, record.id)
                self.assertEqual(set(entries.mapped("user_id")), {self.user_therapist})

    def test_a_clinical_report_url_is_rendered_once_and_logged(self):
        self._as("therapist")
        since = self._last_id()
        renders = []
        report = type(self.env["ir.actions.report"])
        render = report._render_qweb_html

        def counting(this, report_ref, docids, data=None):
            renders.append(report_ref)
            return render(this, report_ref, docids, data=data)

        with self.served() as modes, patch.object(report, "_render_qweb_html", counting):
            response = self.url_open(
                f"/report/html/trigger_point_clinic.report_treatment_note/{self.note.id}"
            )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(modes, ["ro"])
        self.assertEqual(len(renders), 1)
        entries = self.Log.search([("id", ">", since)])
        self.assertEqual(
            entries.mapped(lambda e: (e.user_id, e.res_model, e.res_id, e.access_type)),
            [(self.user_therapist, "clinic.treatment.note", self.note.id, "report")],
        )

    def test_clinical_forms_and_lists_stay_on_the_primary(self):
        """What a therapist saved, the form reads back at once: not from a replica behind."""
        self.assertServedOnce(
            "therapist",
            "clinic.treatment.note",
            "web_read",
            [self.note.ids, {"subjective": {}}],
            mode="rw",
        )
        self.assertServedOnce(
            "therapist",
            "clinic.patient",
            "web_search_read",
            [[("id", "=", self.patient.id)], {"name": {}}],
            mode="rw",
        )

    def test_the_patients_read_pages_are_read_only(self):
        session = self.env["clinic.session"].search([("patient_id", "=", self.patient.id)])[:1]
        self.assertTrue(session)
        pages = [
            "/my/clinic",
            "/my/clinic/sessions",
            f"/my/clinic/sessions/{session.id}",
            f"/my/clinic/sessions/{session.id}/calendar.ics",
            "/my/clinic/book",
            "/my/clinic/calendar",
            "/my/clinic/today",
            "/my/clinic/balance",
        ]
        token = self.env["clinic.calendar.feed"]._make(self.patient)
        pages.append(f"/clinic/calendar/{token}.ics")
        self._as("patient")
        for page in pages:
            with self.subTest(page=page), self.served() as modes:
                response = self.url_open(page)
                self.assertEqual(response.status_code, 200, response.text[:300])
                self.assertEqual(modes, ["ro"], page)
