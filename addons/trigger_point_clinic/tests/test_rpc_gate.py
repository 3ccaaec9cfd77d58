"""The model is the one gate: every role tries the clinic's records over HTTP JSON-RPC, as a
real client does (``/web/dataset/call_kw`` with its own context), and each rule holds there.

The matrix covers every public method of the clinic's models (a test fails when a new public
method has no row), for the therapist, the front desk, the manager, the administrator, a portal
user and an anonymous visitor. Refusals are checked by their message, and that nothing changed.
"""

import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import tagged

from . import rpc_matrix
from .rpc_common import RpcCase
from .rpc_matrix import (
    GATE,
    OUTSIDERS,
    ROLES,
)


@tagged("post_install", "-at_install")
class TestRpcGate(RpcCase):
    # ------------------------------------------------------------------ the matrix

    def _cases(self):
        """Every row of the matrix (``rpc_matrix``): (model, method, build, expectations)."""
        return [row for module in rpc_matrix.modules() for row in module.rows(self)]

    def _grant(self):
        """An emergency access of Tess to Nadia, who is not in her care."""
        return (
            self.env["clinic.access.grant"]
            .with_user(self.user_therapist)
            .create({"patient_id": self.nadia.id, "reason": "Covering for Marco today."})
            .sudo()
        )

    def _audit_call(self, model, method):
        """The arguments of ``method`` on a record of the audit trail ``model``."""
        if method == "create":
            return [{"company_id": self.company.id}], {}, {}
        if model == "clinic.access.log":
            self.env["clinic.access.log"]._log_reads(self.nadia, "rpc")
        elif model == "clinic.record.seal":
            self._signed_note()
        else:
            self.env["clinic.record.verification"]._verify(self.company)
        record = self.env[model].search([], order="id desc", limit=1)
        return (
            [record.ids, *([{"company_id": self.company.id}] if method == "write" else [])],
            {},
            {},
        )

    def test_every_role_against_every_public_method(self):
        for model, method, build, rules in self._cases():
            for role in ROLES:
                with self.subTest(model=model, method=method, role=role):
                    args, kwargs, context = build(role)
                    self.assertRpc(role, rules[role], model, method, args, kwargs, context)

    def _signature_of(self, intake):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "clinic.intake"),
                    ("res_id", "=", intake.id),
                    ("res_field", "=", "signature"),
                ]
            )
        )

    def test_the_matrix_covers_every_public_method(self):
        """A public method added to a clinic model without a row above fails here."""
        covered = {(model, method) for model, method, _build, _rules in self._cases()}
        public = set()
        for name, model_class in self.env.registry.items():
            if model_class._abstract:
                continue
            model = self.env[name]
            for klass in type(model).mro():
                if not klass.__module__.startswith("odoo.addons.trigger_point_clinic"):
                    continue
                # The audit mixin (and the export of every model) declare Odoo's reading
                # methods again only to log them; who reads what stays Odoo's access rights
                # (test_audit_trail and test_review_audit_bypass, per role).
                if klass.__module__.endswith((".models.clinic_audited", ".models.base")):
                    continue
                for attr, value in vars(klass).items():
                    if callable(value) and not attr.startswith("_"):
                        try:
                            get_public_method(model, attr)
                        except AccessError:  # private by decorator
                            continue
                        public.add((name, attr))
        self.assertFalse(public - covered, "public methods without a row in the matrix")

    # ------------------------------------------------------------------ the reports

    def test_screening_holds_on_write_as_well_as_on_the_button(self):
        """Reproduction 1: front desk confirmed a do-not-treat patient by writing the state."""
        session = self._draft(self.nadia)
        self.assertRpc(
            "front_desk", "cannot be treated", "clinic.session", "action_confirm", [session.ids]
        )
        for state in ("confirmed", "in_progress", "done"):
            self.assertRpc(
                "front_desk", GATE, "clinic.session", "write", [session.ids, {"state": state}]
            )
        self.assertEqual(session.state, "draft")

    def test_a_form_may_send_the_initial_state_but_no_other(self):
        """The web client sends the state a new record's form shows: the initial one passes,
        any other is the workflow's to set."""
        created = self.assertRpc(
            "front_desk",
            True,
            "clinic.session",
            "create",
            [{**self._free_slot(), "state": "draft"}],
        )
        self.assertEqual(self.env["clinic.session"].browse(created).state, "draft")
        self.assertRpc(
            "front_desk",
            GATE,
            "clinic.session",
            "create",
            [{**self._free_slot(), "state": "confirmed"}],
        )

    def test_front_desk_cannot_forge_a_clear_intake(self):
        """Reproduction 2: front desk made, signed and submitted an intake for the patient."""
        png = base64.b64encode(self._signature_png()).decode()
        self.assertRpc(
            "front_desk",
            "enough rights|consent",
            "clinic.intake",
            "create",
            [{"patient_id": self.nadia.id, "consent": True, "signer_name": "N", "signature": png}],
        )
        intake_id = self.assertRpc(
            "front_desk", True, "clinic.intake", "create", [{"patient_id": self.nadia.id}]
        )
        self.assertRpc(
            "front_desk", "only a therapist", "clinic.intake", "action_submit", [intake_id]
        )
        self.assertEqual(self.nadia.screening_ids.verdict, "do_not_treat")

    def test_no_context_key_switches_the_schedule_check_off(self):
        """Reproduction 3: a session at 03:00 with {"clinic_schedule_checked": true}."""
        night = self._utc(self._next_weekday(2, 3, weeks_ahead=3))
        values = {
            "patient_id": self.patient.id,
            "therapist_id": self.therapist.id,
            "room_id": self.room.id,
            "start": fields.Datetime.to_string(night),
            "stop": fields.Datetime.to_string(night + timedelta(hours=1)),
        }
        for context in ({}, {"clinic_schedule_checked": True}):
            self.assertRpc(
                "front_desk",
                "ask a manager to force the booking",
                "clinic.session",
                "create",
                [values],
                context=context,
            )
        self.assertFalse(self.env["clinic.session"].search([("start", "=", night)]))

    def test_therapist_cannot_move_a_session_to_read_another_patient(self):
        """Reproduction 4: marco pointed his own session at tess's patient to read her notes."""
        note = self._signed_note()
        own = self._draft(self.patient_2, therapist=self.therapist_2)
        self.authenticate(self.user_marco.login, self.user_marco.login)
        self._logged_in = "marco"
        self.users["marco"] = self.user_marco
        self.assertRpc(
            "marco",
            "Only the front desk or a manager books",
            "clinic.session",
            "write",
            [own.ids, {"patient_id": self.patient.id}],
        )
        notes = self.assertRpc(
            "marco",
            True,
            "clinic.treatment.note",
            "search_read",
            [[("patient_id", "=", self.patient.id)]],
            {"fields": ["subjective"]},
        )
        self.assertEqual(notes, [])
        self.assertEqual(own.patient_id, self.patient_2)
        self.assertRpc("therapist", True, "clinic.treatment.note", "read", [note.ids, ["state"]])

    def test_front_desk_gets_no_clinical_content_in_errors(self):
        """Reproduction 5: the refusal listed each contraindication and its guidance."""
        session = self._draft(self.nadia)
        message = self.assertRpc(
            "front_desk", "cannot be treated", "clinic.session", "action_confirm", [session.ids]
        )
        self.assertIn("A therapist or a manager can see why", message)
        for clinical in ("thrombosis", "clot", "Absolute"):
            self.assertNotIn(clinical, message)
        message = self.assertRpc(
            "manager", "cannot be treated", "clinic.session", "action_confirm", [session.ids]
        )
        self.assertIn("thrombosis", message, "managers read why")

    def test_signed_note_is_signed_only_by_its_action(self):
        session = self._session("done")
        note_id = self.assertRpc(
            "therapist", True, "clinic.treatment.note", "create", [{"session_id": session.id}]
        )
        self.assertRpc(
            "therapist",
            GATE,
            "clinic.treatment.note",
            "write",
            [
                [note_id],
                {
                    "state": "signed",
                    "signed_by_id": self.user_manager.id,
                    "date_signed": "2026-01-01 10:00:00",
                    "content_hash": "0" * 64,
                },
            ],
        )
        self.assertEqual(self.env["clinic.treatment.note"].browse(note_id).state, "draft")

    def test_signed_session_keeps_patient_therapist_and_time(self):
        note = self._signed_note()
        for vals in (
            {"patient_id": self.patient_2.id},
            {"therapist_id": self.therapist_2.id},
            {"start": fields.Datetime.to_string(note.session_id.start - timedelta(hours=1))},
        ):
            self.assertRpc(
                "manager",
                "signed treatment note|can no longer change",
                "clinic.session",
                "write",
                [note.session_id.ids, vals],
            )
        self.assertTrue(note.hash_verified)

    def test_portal_user_and_visitor_reach_no_clinical_record(self):
        for model in (
            "clinic.patient",
            "clinic.intake",
            "clinic.session",
            "clinic.treatment.note",
            "clinic.waitlist",
        ):
            for role in ("portal", "public"):
                with self.subTest(model=model, role=role):
                    self.assertRpc(role, OUTSIDERS[role], model, "search_read", [[]])

    def test_billing_run_for_another_company_is_refused(self):
        other_patient = self.env["clinic.patient"].create(
            {"name": "Elsewhere Patient", "company_id": self.other_company.id}
        )
        self.assertRpc(
            "manager",
            "compan",
            "clinic.billing.run",
            "create",
            [
                {
                    "date_from": "2026-11-01",
                    "date_to": "2026-11-07",
                    "patient_ids": [(6, 0, other_patient.ids)],
                }
            ],
        )
