"""The clinical access log and emergency access, as users reach them: over HTTP, each read the
way a client makes it (a form, a list, a report URL, an export, plain RPC), as each role."""

from datetime import timedelta

import psycopg2

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.sql_db import db_connect
from odoo.tests import get_db_name, tagged
from odoo.tools import mute_logger

from .frozen_common import refused_each_in_sql
from .rpc_common import AccessLogCase

ACCESS = r"not allowed to|doesn't have '\w+' access|top-secret|enough rights"


@tagged("post_install", "-at_install")
class TestAccessLog(AccessLogCase):
    def setUp(self):
        super().setUp()
        note = self._draft_note()
        note.homecare_ids.instructions = "Press the knot against a wall for 90 s."
        self.note = self._signed_note(note)

    def _opens(self, role, records, spec):
        """``role`` opens ``records`` in a form reading ``spec`` (``web_read``), allowed."""
        self.assertRpc(role, True, records._name, "web_read", [records.ids, spec])

    def _new_entries(self, since_id):
        self.env.flush_all()
        return self.Log.search([("id", ">", since_id)], order="id")

    def assertLogged(self, since_id, user, record, how, patient=None):
        entries = self._new_entries(since_id)
        self.assertEqual(len(entries), 1, f"{record._name} read {how}: {entries.read()}")
        self.assertRecordValues(
            entries,
            [
                {
                    "user_id": user.id,
                    "patient_id": (patient or self.patient).id,
                    "res_model": record._name,
                    "res_id": record.id,
                    "access_type": how,
                    "access_grant_id": False,
                }
            ],
        )

    # ------------------------------------------------------------------ what is logged

    def test_each_kind_of_clinical_read_leaves_one_entry(self):
        note, tess = self.note, self.user_therapist
        line = note.line_ids[0]
        reads = [
            (note, "form", "web_read", [note.ids, {"subjective": {}, "line_ids": {"fields": {}}}]),
            (note, "list", "web_search_read", [[("id", "=", note.id)], {"subjective": {}}]),
            (note, "rpc", "read", [note.ids, ["assessment"]]),
            (line, "rpc", "search_read", [[("id", "=", line.id)], ["pain_after"]]),
            (note, "export", "export_data", [note.ids, ["subjective", "assessment"]]),
        ]
        for record, how, method, args in reads:
            with self.subTest(how=how, method=method):
                since = self._last_id()
                self.assertRpc("therapist", True, record._name, method, args)
                self.assertLogged(since, tess, record, how)
                # A second read the same way within minutes is folded into the entry (unless
                # the two reads fall on both sides of a FOLD_MINUTES slot's end).
                first_slot = self._slot()
                self.assertRpc("therapist", True, record._name, method, args)
                slots = len({first_slot, self._slot()})
                self.assertEqual(len(self._new_entries(since)), slots)

        for report in ("report_treatment_note", "report_homecare_sheet"):
            with self.subTest(report=report):
                self.Log.flush_model()
                self.env.cr.execute(
                    "ALTER TABLE clinic_access_log DISABLE TRIGGER clinic_access_log_append_only"
                )
                self.env.cr.execute("DELETE FROM clinic_access_log WHERE access_type = 'report'")
                self.env.cr.execute(
                    "ALTER TABLE clinic_access_log ENABLE TRIGGER clinic_access_log_append_only"
                )
                since = self._last_id()
                response = self.url_open(f"/report/pdf/trigger_point_clinic.{report}/{note.id}")
                self.assertEqual(response.status_code, 200)
                self.assertLogged(since, tess, note, "report")

        intake = self.patient.current_intake_id
        homecare = note.homecare_ids[0]
        amendment = self.env["clinic.treatment.note.amendment"].create(
            {"note_id": note.id, "text": "Pain before was 7, not 6."}
        )
        clearance = self._clearance(self.patient)
        self.env.flush_all()
        outcome = self.env["clinic.region.outcome"].search(
            [("patient_id", "=", self.patient.id)], limit=1
        )
        records = [
            (self.patient.screening_ids, ["reasons"]),
            (intake, ["goals"]),
            (intake.answer_ids[0], ["answer"]),
            (clearance, ["note"]),
            (amendment, ["text"]),
            (outcome, ["first_pain"]),
            (homecare, ["instructions"]),
        ]
        for record, names in records:
            with self.subTest(model=record._name):
                self.assertTrue(record, record._name)
                since = self._last_id()
                self.assertRpc("therapist", True, record._name, "read", [record.ids, names])
                self.assertLogged(since, tess, record, "rpc")

    def test_a_note_read_with_its_lines_is_one_entry(self):
        """The lines a note's form shows are part of the note: one entry, the note's. A line
        read on its own is an entry of its own."""
        note, line = self.note, self.note.line_ids[0]
        since = self._last_id()
        self._opens(
            "therapist", note, {"subjective": {}, "line_ids": {"fields": {"pain_before": {}}}}
        )
        self.assertLogged(since, self.user_therapist, note, "form")
        since = self._last_id()
        self._opens("therapist", line, {"pain_before": {}})
        self.assertLogged(since, self.user_therapist, line, "form")

    def test_pain_map_and_override_reads_are_logged(self):
        intake = self._submit_intake(self._make_patient("Pia Pain"), pain={"upper_trapezius": 6})
        patient = intake.patient_id
        patient.care_team_ids = self.user_therapist
        override = self.env["clinic.screening.override"].create(
            {"patient_id": patient.id, "reason": "The physician agreed on the phone."}
        )
        for record, names in ((intake.pain_ids, ["pain"]), (override, ["reason"])):
            with self.subTest(model=record._name):
                since = self._last_id()
                self.assertRpc("therapist", True, record._name, "read", [record.ids, names])
                self.assertLogged(since, self.user_therapist, record, "rpc", patient=patient)

    def test_reads_of_fields_that_are_not_clinical_leave_no_entry(self):
        since = self._last_id()
        self._opens("front_desk", self.patient, {"name": {}, "phone": {}, "booking_status": {}})
        self.assertRpc(
            "front_desk",
            True,
            "clinic.intake",
            "web_search_read",
            [[("patient_id", "=", self.patient.id)], {"state": {}, "date_sent": {}}],
        )
        self._opens("therapist", self.patient, {"name": {}, "session_count": {}})
        self.assertFalse(self._new_entries(since))
        # The same therapist opening the screening is logged.
        self._opens(
            "therapist", self.patient, {"name": {}, "screening_ids": {"fields": {"reasons": {}}}}
        )
        self.assertLogged(since, self.user_therapist, self.patient, "form")

    def test_a_refused_read_leaves_no_entry_and_front_desk_reads_no_note(self):
        since = self._last_id()
        self.assertRpc(
            "front_desk", ACCESS, "clinic.treatment.note", "read", [self.note.ids, ["subjective"]]
        )
        self.assertRpc("portal", ACCESS, "clinic.treatment.note", "read", [self.note.ids, []])
        self.assertFalse(self._new_entries(since))

    def test_a_read_alone_does_not_wait_for_the_disk_a_write_does(self):
        """A read that wrote nothing before commits its entry asynchronously; a transaction
        that saved clinical data keeps PostgreSQL's synchronous commit."""
        self.env.cr.execute("SHOW synchronous_commit")
        default = self.env.cr.fetchone()[0]
        with self.env.cr.savepoint():
            self.env["clinic.access.log"].with_user(self.user_therapist)._log_reads(
                self.note, "rpc"
            )
            self.env.cr.execute("SHOW synchronous_commit")
            # The test's transaction wrote its fixtures first: it stays synchronous.
            self.assertEqual(self.env.cr.fetchone()[0], default)
        # A request of its own: a transaction that read a committed (demo) patient only.
        cr = db_connect(get_db_name()).cursor()
        self.addCleanup(cr.close)
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["clinic.access.log"]._log_reads(env["clinic.patient"].search([], limit=1), "rpc")
        cr.execute("SHOW synchronous_commit")
        self.assertEqual(cr.fetchone()[0], "off")
        cr.rollback()

    # ------------------------------------------------------------------ append-only

    def test_nobody_changes_or_deletes_an_entry(self):
        since = self._last_id()
        self.assertRpc(
            "therapist", True, "clinic.treatment.note", "read", [self.note.ids, ["subjective"]]
        )
        entry = self._new_entries(since)
        for method, args in (
            ("write", [entry.ids, {"user_id": self.user_front_desk.id}]),
            ("unlink", [entry.ids]),
            ("create", [{"res_model": "clinic.patient", "res_id": 1}]),
        ):
            for role in ("manager", "administrator", "therapist"):
                with self.subTest(method=method, role=role):
                    self.assertRpc(
                        role,
                        r"cannot be changed|cannot be deleted|written by the clinic|" + ACCESS,
                        "clinic.access.log",
                        method,
                        args,
                    )
        with self.assertRaises(UserError):
            entry.sudo().write({"access_type": "list"})
        with self.assertRaises(UserError):
            entry.sudo().unlink()
        refused_each_in_sql(
            self,
            (
                "UPDATE clinic_access_log SET user_id = %(user)s WHERE id = %(id)s",
                "DELETE FROM clinic_access_log WHERE id = %(id)s",
                "TRUNCATE clinic_access_log",
            ),
            {"user": self.user_front_desk.id, "id": entry.id},
            psycopg2.errors.IntegrityConstraintViolation,
        )
        self.assertRecordValues(entry, [{"user_id": self.user_therapist.id}])

    def test_retention_removes_only_entries_older_than_the_setting(self):
        self.env.cr.execute(
            """
            INSERT INTO clinic_access_log (accessed_at, user_id, patient_id, company_id,
                                           res_model, res_id, access_type)
            VALUES (%(old)s, %(uid)s, %(patient)s, %(company)s, 'clinic.patient', %(patient)s,
                    'form'),
                   (%(recent)s, %(uid)s, %(patient)s, %(company)s, 'clinic.patient',
                    %(patient)s, 'list')
            RETURNING id
            """,
            {
                "old": fields.Datetime.now() - timedelta(days=400),
                "recent": fields.Datetime.now() - timedelta(days=300),
                "uid": self.user_therapist.id,
                "patient": self.patient.id,
                "company": self.company.id,
            },
        )
        old_id, recent_id = (row[0] for row in self.env.cr.fetchall())
        self.company.clinic_access_log_days = 365
        self.env.flush_all()
        with (
            self.assertRaises(psycopg2.errors.IntegrityConstraintViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute("DELETE FROM clinic_access_log WHERE id = %s", [recent_id])
        self.env["clinic.access.log"]._cron_purge()
        remaining = self.Log.browse([old_id, recent_id]).exists()
        self.assertEqual(remaining.ids, [recent_id])
        with self.assertRaisesRegex(ValidationError, "Keep the Access Log.*between 365"):
            self.company.clinic_access_log_days = 30

    def test_managers_see_the_history_of_a_patient(self):
        since = self._last_id()
        self._opens("therapist", self.note, {"objective": {}})
        self._opens("therapist", self.patient, {"screening_ids": {"fields": {"reasons": {}}}})
        action = self.assertRpc(
            "manager", True, "clinic.patient", "action_view_access_log", [self.patient.ids]
        )
        result = self.assertRpc(
            "manager",
            True,
            "clinic.access.log",
            "web_search_read",
            [
                action["domain"],
                {"user_id": {}, "model_name": {}, "record_name": {}, "access_type": {}},
            ],
        )
        listed = {
            (record["model_name"], record["record_name"])
            for record in result["records"]
            if record["id"] in self._new_entries(since).ids
        }
        self.assertEqual(
            listed,
            {
                ("Treatment Note", self.note.display_name),
                ("Patient", self.patient.display_name),
            },
        )
        self.assertRpc(
            "therapist", ACCESS, "clinic.patient", "action_view_access_log", [self.patient.ids]
        )
        self.assertRpc(
            "front_desk", ACCESS, "clinic.access.log", "search_read", [[], ["patient_id"]]
        )

    # ------------------------------------------------------------------ break-the-glass

    def test_emergency_access_grants_logs_and_expires(self):
        """Marco does not treat Sol: he reads nothing of hers until he states why; then his
        reads are logged as emergency reads, the managers are asked to review, and the access
        ends by itself."""
        note = self.note
        self.assertRpc(
            "therapist", True, "clinic.treatment.note", "read", [note.ids, ["subjective"]]
        )
        self.users["marco"] = self.user_marco
        self.assertRpc("marco", ACCESS, "clinic.treatment.note", "read", [note.ids, ["subjective"]])
        self.assertRpc(
            "marco",
            "Reason: say in at least 15 characters",
            "clinic.access.grant",
            "create",
            [{"patient_id": self.patient.id, "reason": "urgent"}],
        )
        self.assertRpc(
            "therapist",
            "in your care",
            "clinic.access.grant",
            "create",
            [{"patient_id": self.patient.id, "reason": "Covering for a colleague today."}],
        )
        grant_id = self.assertRpc(
            "marco",
            True,
            "clinic.access.grant",
            "create",
            [
                {
                    "patient_id": self.patient.id,
                    "reason": "Tess is ill; Sol is here with acute neck pain.",
                    "date_expires": "2099-01-01 00:00:00",
                }
            ],
        )
        grant = self.env["clinic.access.grant"].browse(grant_id)
        hours = (grant.date_expires - grant.date_granted).total_seconds() / 3600
        self.assertEqual(hours, 24, "the context or values cannot lengthen the access")
        self.assertEqual(grant.user_id, self.user_marco)
        self.assertIn(
            self.user_manager, grant.activity_ids.user_id, "the managers review the access"
        )
        since = self._last_id()
        self.assertRpc("marco", True, "clinic.treatment.note", "read", [note.ids, ["subjective"]])
        entry = self._new_entries(since)
        self.assertRecordValues(
            entry, [{"user_id": self.user_marco.id, "access_grant_id": grant.id, "emergency": True}]
        )
        self.assertRpc(
            "marco",
            r"cannot be changed|cannot be written directly",
            "clinic.access.grant",
            "write",
            [[grant.id], {"date_expires": "2099-01-01 00:00:00"}],
        )
        self.assertRpc("marco", ACCESS, "clinic.access.grant", "unlink", [[grant.id]])
        # The day is over: the access ends by itself.
        self.env.cr.execute(
            "UPDATE clinic_access_grant SET date_expires = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(minutes=1), grant.id],
        )
        self.env.invalidate_all()
        self.assertRpc("marco", ACCESS, "clinic.treatment.note", "read", [note.ids, ["subjective"]])
        self.assertRpc(
            "marco",
            "Only a manager reviews",
            "clinic.access.grant",
            "action_mark_reviewed",
            [[grant.id]],
        )
        self.assertRpc("manager", True, "clinic.access.grant", "action_mark_reviewed", [[grant.id]])
        grant.invalidate_recordset()
        self.assertEqual(grant.reviewed_by_id, self.user_manager)
        self.assertFalse(grant.activity_ids)

    def test_emergency_access_can_be_ended_early(self):
        self.users["marco"] = self.user_marco
        grant_id = self.assertRpc(
            "marco",
            True,
            "clinic.access.grant",
            "create",
            [{"patient_id": self.patient.id, "reason": "Tess is ill; Sol is here in pain."}],
        )
        self.assertRpc(
            "marco", True, "clinic.treatment.note", "read", [self.note.ids, ["objective"]]
        )
        self.assertRpc("marco", True, "clinic.access.grant", "action_end", [[grant_id]])
        self.assertRpc(
            "marco", ACCESS, "clinic.treatment.note", "read", [self.note.ids, ["objective"]]
        )
