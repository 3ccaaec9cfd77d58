"""A real streaming replica of the test cluster behind an Odoo server: the reads marked
read-only are answered by the standby (counted by PostgreSQL on the standby), every write and
every access-log entry reaches the primary, no page is served twice, and what a read sees while
the standby lags behind."""

from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.sql_db import db_connect
from odoo.tests import get_db_name, tagged

from ..models.clinic_workflow import workflow
from .common import GROUPS, CommittedCase, new_test_user
from .replica_common import Browser, ReplicaServer, StreamingReplica


@tagged("post_install", "-at_install")
class TestStreamingReplica(CommittedCase):
    """Works on committed data (the demo clinic's signed notes, a manager and the records the
    tests make), since the standby sees only what the primary committed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = get_db_name()
        cls.replica = StreamingReplica.start_for_test(cls.dbname)
        cls.addClassCleanup(cls.replica.stop)
        cr = db_connect(cls.dbname).cursor()
        cls.addClassCleanup(cr.close)
        cls.env = env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        cls.note = env["clinic.treatment.note"].search(
            [("state", "=", "signed"), ("session_id.therapist_id.user_id", "!=", False)], limit=1
        )
        cls.therapist_user = cls.note.session_id.therapist_id.user_id
        cls.manager = new_test_user(
            env,
            login="replica_manager",
            groups=f"base.group_user,{GROUPS['manager']}",
            name="Replica Manager",
        )
        env.cr.commit()
        cls.addClassCleanup(cls._archive_manager)
        cls.replica.wait_for_replay()
        cls.server = ReplicaServer(cls.dbname, cls.replica)
        cls.addClassCleanup(cls.server.stop)
        cls.therapist = Browser(cls.server, env, cls.therapist_user)
        cls.desk = Browser(cls.server, env, cls.manager)

    @classmethod
    def _archive_manager(cls):
        env = cls.env
        cls.manager.active = False
        env.cr.commit()

    def setUp(self):
        super().setUp()
        self.assertTrue(self.note, "the demo clinic has signed treatment notes")
        self.retries_before = self.server.retries()

    def tearDown(self):
        self.assertEqual(
            self.server.retries(),
            self.retries_before,
            f"a request was refused by the replica and served again; see {self.server.log}",
        )
        super().tearDown()

    def assertAnsweredByReplica(self, tables, browser, model, method, *args):
        before = self.replica.scans(tables)
        ok, result = browser.call(model, method, *args)
        self.assertTrue(ok, f"{model}.{method}: {result}")
        grown = self.replica.wait_for_scans(before, tables)
        self.assertEqual(grown, set(tables), f"{model}.{method} was not answered by the replica")
        return result

    def _primary_log_entries(self, since, user, model, res_id, how):
        return self.replica.query(
            "SELECT count(*) FROM clinic_access_log WHERE id > %s AND user_id = %s "
            "AND res_model = %s AND res_id = %s AND access_type = %s",
            [since, user.id, model, res_id, how],
            primary=True,
        )[0][0]

    def _last_log_id(self):
        return self.replica.query(
            "SELECT COALESCE(max(id), 0) FROM clinic_access_log", primary=True
        )[0][0]

    # ------------------------------------------------------------------ the tests

    def test_marked_reads_are_answered_by_the_replica(self):
        today = fields.Date.today()
        monday = today - timedelta(days=today.weekday())
        week = [
            ("start", ">=", fields.Datetime.to_string(monday)),
            ("start", "<", fields.Datetime.to_string(monday + timedelta(days=7))),
        ]
        spec = {"start": {}, "state": {}, "patient_id": {"fields": {"display_name": {}}}}
        reads = [
            (["clinic_session"], self.therapist, "clinic.session", "web_search_read",
             [("is_today", "=", True)], spec),
            (["clinic_session"], self.desk, "clinic.session", "web_search_read", week, spec),
            (["clinic_availability_day"], self.desk, "clinic.utilisation",
             "formatted_read_grouping_sets", [], [["therapist_id"]], ["available_hours:sum"]),
            (["clinic_access_log"], self.desk, "clinic.access.log", "web_search_read", [],
             {"user_id": {}, "res_model": {}}),
        ]  # fmt: skip
        for tables, browser, model, method, *args in reads:
            with self.subTest(model=model, method=method):
                self.assertAnsweredByReplica(tables, browser, model, method, *args)

    def test_a_clinical_report_read_on_the_replica_is_logged_once_on_the_primary(self):
        since = self._last_log_id()
        line = self.note.line_ids[:1]
        result = self.assertAnsweredByReplica(
            ["clinic_treatment_note_line"],
            self.therapist,
            "clinic.treatment.note.line",
            "formatted_read_group",
            [("id", "=", line.id)],
            ["region_id"],
            ["pain_before:avg"],
        )
        self.assertTrue(result)
        self.assertEqual(
            self._primary_log_entries(
                since, self.therapist_user, "clinic.treatment.note.line", line.id, "grouped"
            ),
            1,
        )
        before = self.replica.scans(["clinic_treatment_note"])
        status, page = self.therapist.open(
            f"/report/html/trigger_point_clinic.report_treatment_note/{self.note.id}"
        )
        self.assertEqual(status, 200, page[:300])
        self.assertEqual(
            self.replica.wait_for_scans(before, ["clinic_treatment_note"]),
            {"clinic_treatment_note"},
        )
        self.assertEqual(
            self._primary_log_entries(
                since, self.therapist_user, "clinic.treatment.note", self.note.id, "report"
            ),
            1,
        )

    def test_writes_reach_the_primary_and_reads_lag_with_the_replica(self):
        therapist = self.note.session_id.therapist_id
        room = self.note.session_id.room_id
        start = datetime.combine(fields.Date.today() + timedelta(days=400), datetime.min.time())
        self.replica.pause()
        self.addCleanup(self.replica.resume)
        # A write over JSON-RPC while the standby lags: on the primary at once.
        ok, patient_id = self.desk.call(
            "clinic.patient", "create", [{"name": "Replica Lag Patient"}]
        )
        self.assertTrue(ok, patient_id)
        patient_id = patient_id[0] if isinstance(patient_id, list) else patient_id
        self.addCleanup(self._remove, "clinic.patient", patient_id)
        self.assertEqual(
            self.replica.query(
                "SELECT count(*) FROM clinic_patient WHERE id = %s", [patient_id], primary=True
            ),
            [(1,)],
        )
        self.assertEqual(
            self.replica.query("SELECT count(*) FROM clinic_patient WHERE id = %s", [patient_id]),
            [(0,)],
        )
        # A booking committed on the primary: the calendar, read from the standby, does not
        # show it while the standby lags; the patient's record, a clinical read kept on the
        # primary, is there.
        env = self.env
        # A new transaction: its snapshot holds the patient the server just committed.
        env.cr.rollback()
        with workflow("clinic.session", "schedule_checked"):
            session = env["clinic.session"].create(
                {
                    "patient_id": patient_id,
                    "therapist_id": therapist.id,
                    "room_id": room.id,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                }
            )
        env.cr.commit()
        self.addCleanup(self._remove, "clinic.session", session.id)
        calendar = [[("id", "=", session.id)], {"start": {}}]
        ok, shown = self.desk.call("clinic.session", "web_search_read", *calendar)
        self.assertTrue(ok, shown)
        self.assertEqual(shown["records"], [])
        ok, patient = self.desk.call(
            "clinic.patient", "web_read", [patient_id], {"display_name": {}}
        )
        self.assertTrue(ok, patient)
        self.assertEqual(patient[0]["display_name"], "Replica Lag Patient")
        # Replayed: the calendar shows the booking.
        self.replica.resume()
        ok, shown = self.desk.call("clinic.session", "web_search_read", *calendar)
        self.assertEqual([record["id"] for record in shown["records"]], [session.id])

    def _remove(self, model, record_id):
        env = self.env
        env.cr.rollback()
        env[model].browse(record_id).exists().unlink()
        env.cr.commit()
