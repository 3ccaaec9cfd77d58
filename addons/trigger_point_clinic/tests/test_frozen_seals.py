"""Frozen records and their seals: renaming the catalogue changes no seal, records sealed with the
first recipe still verify, and a recorded clearance keeps its expiry and letter."""

import base64
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .test_frozen import FrozenCase


@tagged("post_install", "-at_install")
class TestFrozenSeals(FrozenCase):
    def test_reproduction_9_renaming_the_catalogue_changes_no_seal(self):
        """Issue 19, reproduction 9: renaming a body region made the verification report signed
        notes as changed. Every region, muscle and contraindication is renamed here."""
        records = self._frozen_records()
        note = records["clinic.treatment.note"]
        self.assertTrue(note.content_hash.startswith("$2$"))
        Verification = self.env["clinic.record.verification"]
        self.env.flush_all()
        self.assertEqual(Verification._verify(self.company).state, "intact")
        for model in ("clinic.body.region", "clinic.contraindication"):
            catalogue = self.env[model].with_context(active_test=False).search([])
            self.assertTrue(catalogue, model)
            for entry in catalogue:
                values = {"name": f"{entry.name} (renamed)"}
                if model == "clinic.contraindication" and entry.question:
                    values["question"] = f"{entry.question} (renamed)"
                entry.write(values)
        self.env.flush_all()
        self.env.invalidate_all()
        verification = Verification._verify(self.company)
        self.assertEqual(verification.state, "intact", verification.problems)
        self.assertTrue(note.hash_verified)

    def test_version_1_seals_still_verify(self):
        """A note and an intake sealed with the first recipe (before the hash carried a
        version) are checked with that recipe."""
        Seal = type(self.env["clinic.record.seal"])
        with patch.object(Seal, "_clinic_hash_version", lambda self: 1):
            note = self._signed_note()
            intake = self._submit_intake(self._make_patient("Old Recipe"))
        self.assertFalse(note.content_hash.startswith("$"))
        self.env.cr.execute(
            "SELECT content_hash FROM clinic_record_seal WHERE res_model = %s AND res_id = %s",
            ["clinic.intake", intake.id],
        )
        self.assertFalse(self.env.cr.fetchone()[0].startswith("$"))
        self.assertTrue(note.hash_verified)
        newer = self._signed_note()
        self.assertTrue(newer.content_hash.startswith("$2$"))
        self.env.flush_all()
        verification = self.env["clinic.record.verification"]._verify(self.company)
        self.assertEqual(verification.state, "intact", verification.problems)
        # On upgrade, records sealed with the first recipe are sealed again with the current
        # one: renaming their region no longer breaks them.
        self.assertEqual(self.env["clinic.record.seal"]._reseal_version_1(), 2)
        self.assertEqual(self.env["clinic.record.seal"]._reseal_version_1(), 0)
        note.line_ids.region_id.sudo().name = "Renamed after the upgrade"
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertTrue(note.hash_verified)
        verification = self.env["clinic.record.verification"]._verify(self.company)
        self.assertEqual(verification.state, "intact", verification.problems)
        # A change of the content is still caught: the line's, behind the triggers.
        self.env.cr.execute("ALTER TABLE clinic_treatment_note_line DISABLE TRIGGER USER")
        self.env.cr.execute(
            "UPDATE clinic_treatment_note_line SET pain_after = 0 WHERE note_id = %s", note.ids
        )
        self.env.cr.execute("ALTER TABLE clinic_treatment_note_line ENABLE TRIGGER USER")
        self.env.invalidate_all()
        self.assertFalse(note.hash_verified)
        verification = self.env["clinic.record.verification"]._verify(self.company)
        self.assertEqual(verification.state, "broken")

    def test_clearance_expiry_and_letter_fixed_when_recorded(self):
        """Raising a contraindication's validity moved a recorded clearance's expiry; a
        therapist replaced a recorded clearance's letter."""
        clearance = self._clearance(
            self.patient,
            document=base64.b64encode(b"%PDF-1.4 letter"),
            document_name="letter.pdf",
        )
        expiry = clearance.date_expiry
        self.assertEqual(expiry, fields.Date.add(clearance.date_issued, days=90))
        self._contraindication("thrombocytopenia").clearance_validity_days = 3650
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(clearance.date_expiry, expiry)
        for values in (
            {"document": base64.b64encode(b"%PDF-1.4 another letter").decode()},
            {"document_name": "another.pdf"},
            {"date_expiry": "2036-01-01"},
            {"note": "changed"},
        ):
            with self.subTest(values=list(values)):
                ok, message = self.rpc(
                    "therapist", "clinic.clearance", "write", [clearance.ids, values]
                )
                self.assertFalse(ok)
                self.assertRegex(message, "does not change")
        self.assertEqual(
            base64.b64decode(clearance.with_context(bin_size=False).document), b"%PDF-1.4 letter"
        )
        # What the allow-list names still happens: a therapist revokes it.
        clearance.with_user(self.user_therapist).action_revoke("Recorded for the wrong patient.")
        self.assertEqual(clearance.state, "revoked")
