"""Security review (issue #14): public JSON-RPC paths by which a therapist reads clinical
content without leaving an entry in the access log, and a forged emergency-access review.

Each test reads as the product promises: a read of clinical content either leaves an entry or
is refused."""

import base64

from odoo import fields
from odoo.tests import tagged

from .rpc_common import AccessLogCase

SECRET = "REVIEW-SECRET-SOAP"


@tagged("post_install", "-at_install")
class TestReviewAuditBypass(AccessLogCase):
    def setUp(self):
        super().setUp()
        note = self._draft_note()
        note.subjective = f"<p>{SECRET} 1</p>"
        self.note = self._signed_note(note)
        note_2 = self._draft_note()
        note_2.subjective = f"<p>{SECRET} 2</p>"
        self.note_2 = self._signed_note(note_2)

    def _entries(self, since, records, slot=None):
        """The entries of ``records`` written since entry ``since``, or folded into an entry of
        the therapist's in the same FOLD_MINUTES ``slot`` (a read the same way just before)."""
        self.env.flush_all()
        return self.Log.search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                "|",
                ("id", ">", since),
                "&",
                ("user_id", "=", self.user_therapist.id),
                ("fold_slot", "=", slot),
            ]
        )

    def assertReadIsLoggedOrRefused(self, model, method, args, kwargs=None, records=None):
        """Either the call is refused, or it returns no secret, or every note whose secret it
        returned has an entry."""
        since = self._last_id()
        slot = self._slot()
        ok, result = self.rpc("therapist", model, method, args, kwargs)
        if not ok or SECRET not in str(result):
            return
        records = records or (self.note | self.note_2)
        leaked = records.filtered(lambda n: n.subjective and n.subjective[3:-4] in str(result))
        logged = self._entries(since, leaked, slot)
        self.assertEqual(
            set(logged.mapped("res_id")),
            set(leaked.ids),
            f"{model}.{method} returned the SOAP text of {leaked.ids} and logged "
            f"{logged.mapped('res_id')}: {str(result)[:300]}",
        )

    # ------------------------------------------------------------------ read paths

    def test_review_read_with_an_empty_field_list_is_logged(self):
        """read(ids, []) reads every field (Odoo: "not fields" means all), but the mixin sees
        no clinical field in [] and logs nothing."""
        self.assertReadIsLoggedOrRefused("clinic.treatment.note", "read", [self.note.ids, []])
        self.assertReadIsLoggedOrRefused(
            # The other note: a second "rpc" read of the first within minutes folds.
            "clinic.treatment.note",
            "search_read",
            [[("id", "=", self.note_2.id)], []],
        )

    def test_review_nested_read_under_a_non_clinical_field_is_logged(self):
        """web_read of one note asking only patient_id (not clinical, so no entry) with the
        patient's notes nested: the nested reads run inside the outer audited call and add
        nothing, so every note of the patient is read and nothing is logged."""
        spec = {"patient_id": {"fields": {"treatment_note_ids": {"fields": {"subjective": {}}}}}}
        self.assertReadIsLoggedOrRefused("clinic.treatment.note", "web_read", [self.note.ids, spec])

    def test_review_nested_read_of_other_records_is_logged(self):
        """Even when the outer read is logged, it logs only its own record: the other notes
        read through the nested spec leave no entry."""
        spec = {
            "subjective": {},
            "patient_id": {"fields": {"treatment_note_ids": {"fields": {"subjective": {}}}}},
        }
        self.assertReadIsLoggedOrRefused("clinic.treatment.note", "web_read", [self.note.ids, spec])

    def test_review_read_group_aggregates_are_logged_or_refused(self):
        """formatted_read_group / read_group / web_read_group with array_agg on a clinical
        field return the text of every matching note."""
        domain = [("id", "in", (self.note | self.note_2).ids)]
        calls = [
            ("formatted_read_group", [domain, [], ["subjective:array_agg"]], None),
            ("formatted_read_group", [domain, ["subjective"], ["__count"]], None),
            ("read_group", [domain, ["subjective:array_agg"], []], None),
            ("web_read_group", [domain, [], ["subjective:array_agg"]], None),
        ]
        for method, args, kwargs in calls:
            with self.subTest(method=method, args=args[1:]):
                self.assertReadIsLoggedOrRefused("clinic.treatment.note", method, args, kwargs)

    def test_review_copy_data_is_logged_or_refused(self):
        self.assertReadIsLoggedOrRefused("clinic.treatment.note", "copy_data", [self.note.ids])

    def test_review_export_from_the_session_is_logged(self):
        """export_data of a session (not audited) with a path into its treatment notes."""
        sessions = (self.note | self.note_2).session_id
        self.assertReadIsLoggedOrRefused(
            "clinic.session", "export_data", [sessions.ids, ["treatment_note_ids/subjective"]]
        )

    def test_review_binary_urls_are_logged(self):
        """The clearance letter and the intake signature through /web/content and /web/image:
        clinical content, read with no entry."""
        clearance = self._clearance(
            self.patient,
            document=base64.b64encode(b"%PDF-1.4 clearance letter"),
            document_name="a.pdf",
        )
        intake = self.patient.current_intake_id
        self.assertTrue(intake.signature)
        self.authenticate(self.user_therapist.login, self.user_therapist.login)
        self._logged_in = "therapist"
        for record, url in (
            (clearance, f"/web/content/clinic.clearance/{clearance.id}/document"),
            (intake, f"/web/image/clinic.intake/{intake.id}/signature"),
        ):
            with self.subTest(url=url):
                since = self._last_id()
                response = self.url_open(url)
                if response.status_code != 200:
                    continue
                self.assertTrue(
                    self._entries(since, record), f"{url} served {len(response.content)} bytes"
                )

    # ------------------------------------------------------------------ emergency access

    def test_review_a_therapist_cannot_create_a_grant_already_reviewed(self):
        """The grant is created inside the workflow, so the caller's reviewed_by_id and
        date_reviewed pass: a therapist files their own emergency access as reviewed by a
        manager."""
        stranger = self._make_patient("Rita Review")
        ok, result = self.rpc(
            "therapist",
            "clinic.access.grant",
            "create",
            [
                {
                    "patient_id": stranger.id,
                    "reason": "Covering a colleague, patient called in pain.",
                    "reviewed_by_id": self.user_manager.id,
                    "date_reviewed": fields.Datetime.to_string(fields.Datetime.now()),
                }
            ],
        )
        if not ok:
            return
        grant = self.env["clinic.access.grant"].browse(result)
        self.assertFalse(grant.reviewed_by_id, "the therapist forged the manager's review")
        self.assertFalse(grant.date_reviewed)
