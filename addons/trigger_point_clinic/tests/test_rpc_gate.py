"""The model is the one gate: every role tries the clinic's records over HTTP JSON-RPC, as a
real client does (``/web/dataset/call_kw`` with its own context), and each rule holds there.

The matrix covers every public method of the clinic's models (a test fails when a new public
method has no row), for the therapist, the front desk, the manager, the administrator, a portal
user and an anonymous visitor. Refusals are checked by their message, and that nothing changed.
"""

import base64
import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import tagged

from . import (
    rpc_rows_homeprog,
    rpc_rows_money_pay,
    rpc_rows_money_rule,
    rpc_rows_outcomes,
    rpc_rows_scale,
    rpc_rows_signin,
)
from .rpc_common import RpcCase

ROLES = ("therapist", "front_desk", "manager", "administrator", "portal", "public")
# Odoo's own refusals: the access rights (model) and the record rules (records).
ACCESS = r"not allowed to|doesn't have '\w+' access|top-secret|enough rights"
GATE = r"cannot be written directly"
FROZEN = r"does not change"
ONLY_THERAPIST = r"only a therapist|the session's therapist, or a manager"
OUTSIDERS = {"portal": ACCESS, "public": r"Session expired|SessionExpired"}
ALL_INTERNAL = dict.fromkeys(("therapist", "front_desk", "manager", "administrator"), True)
STAFF = {"front_desk": True, "manager": True, "administrator": True}
CLINICAL = {"therapist": True, "manager": True, "administrator": True}
MANAGERS = {"manager": True, "administrator": True}


def expect(allowed=None, default=ACCESS, **refused):
    """{role: True (allowed) or the regex of the refusal}: ``allowed`` roles succeed, the
    roles named in ``refused`` fail with their message, other internal roles with
    ``default``, and outsiders (portal, public) are always refused."""
    result = dict.fromkeys(ROLES[:4], default)
    result.update(allowed or {})
    result.update(refused)
    result.update(OUTSIDERS)
    return result


@tagged("post_install", "-at_install")
class TestRpcGate(RpcCase):
    # ------------------------------------------------------------------ the matrix

    def _cases(self):
        """(model, method, build, expectations): ``build(role)`` makes fresh records as the
        clinic would and returns (args, kwargs, context) of the call. A refusal's message is
        the first rule that stops the call: the clinic's own rules run before Odoo checks the
        access rights, so some roles without rights meet a clinic rule first."""
        s = self
        return [
            # -- sessions
            (
                "clinic.session",
                "create",
                lambda role: ([s._free_slot()], {}, {}),
                expect(STAFF),
            ),
            (
                "clinic.session",
                "create",
                lambda role: (
                    [s._free_slot(hour=3)],
                    {},
                    {"clinic_schedule_checked": True, "default_state": "confirmed"},
                ),
                expect(default="cannot be booked", therapist=ACCESS),
            ),
            (
                "clinic.session",
                "write",
                lambda role: ([s._session().ids, {"state": "confirmed"}], {}, {}),
                expect(default=GATE),
            ),
            (
                "clinic.session",
                "write",
                lambda role: ([s._session("cancelled").ids, {"late_cancel": False}], {}, {}),
                expect(default=GATE),
            ),
            (
                "clinic.session",
                "write",
                lambda role: ([s._session("done").ids, {"treatment_note_state": "signed"}], {}, {}),
                expect(default=GATE),
            ),
            (
                "clinic.session",
                "write",
                lambda role: ([s._session().ids, {"plan_id": s._plan().id}], {}, {}),
                expect(default=GATE),
            ),
            (
                "clinic.session",
                "write",
                lambda role: (
                    [s._session().ids, {"reminder_sent_for": "2030-01-01 09:00:00"}],
                    {},
                    {},
                ),
                expect(default=GATE),
            ),
            (
                "clinic.session",
                "write",
                lambda role: (
                    [
                        s._session().ids,
                        {
                            "patient_confirmed_at": "2030-01-01 09:00:00",
                            "patient_confirmation": "confirmed",
                        },
                    ],
                    {},
                    {},
                ),
                expect(default=GATE),
            ),
            (
                "clinic.session",
                "write",
                lambda role: ([s._session().ids, {"patient_id": s.patient_2.id}], {}, {}),
                expect(STAFF, therapist="Only the front desk or a manager books"),
            ),
            (
                "clinic.session",
                "write",
                lambda role: ([s._signed_note().session_id.ids, {"note": "Moved?"}], {}, {}),
                expect(ALL_INTERNAL),
            ),
            (
                "clinic.session",
                "action_confirm",
                lambda role: ([s._session().ids], {}, {}),
                expect(ALL_INTERNAL),
            ),
            (
                "clinic.session",
                "action_start",
                lambda role: ([s._session("confirmed", past=True).ids], {}, {}),
                expect(CLINICAL, front_desk=ONLY_THERAPIST),
            ),
            (
                "clinic.session",
                "action_done",
                lambda role: ([s._session("in_progress").ids], {}, {}),
                expect(CLINICAL, front_desk=ONLY_THERAPIST),
            ),
            (
                "clinic.session",
                "action_no_show",
                lambda role: ([s._session("confirmed", past=True).ids], {}, {}),
                expect(ALL_INTERNAL),
            ),
            (
                "clinic.session",
                "action_cancel",
                lambda role: ([s._session().ids], {}, {}),
                expect(ALL_INTERNAL),
            ),
            (
                "clinic.session",
                "action_reset_to_draft",
                lambda role: ([s._session("cancelled", past=True).ids], {}, {}),
                expect(
                    MANAGERS,
                    therapist="only a manager",
                    front_desk="only a manager",
                ),
            ),
            (
                "clinic.session",
                "action_open_treatment_note",
                lambda role: ([s._session("done").ids], {}, {}),
                expect(
                    {"therapist": True},
                    default="only Tess Therapist, its therapist, writes it",
                ),
            ),
            (
                "clinic.session",
                "action_view_invoices",
                lambda role: ([s._session().ids], {}, {}),
                expect(ALL_INTERNAL),
            ),
            (
                "clinic.session",
                "unlink",
                lambda role: ([s._session().ids], {}, {}),
                expect(MANAGERS),
            ),
            (
                "clinic.session.cancel",
                "action_confirm",
                lambda role: (
                    [
                        s._env_of(role)["clinic.session.cancel"]
                        .create(
                            {
                                "session_ids": [fields.Command.set(s._session().ids)],
                                "reason": "Patient is travelling",
                            }
                        )
                        .ids
                    ],
                    {},
                    {},
                ),
                expect(ALL_INTERNAL),
            ),
            # -- intakes
            (
                "clinic.intake",
                "create",
                lambda role: ([{"patient_id": s.patient.id}], {}, {}),
                expect(ALL_INTERNAL),
            ),
            (
                "clinic.intake",
                "create",
                lambda role: (
                    [{"patient_id": s.patient.id, "date_submitted": "2026-01-01 10:00:00"}],
                    {},
                    {"default_state": "submitted"},
                ),
                expect(default=GATE),
            ),
            (
                "clinic.intake",
                "write",
                lambda role: ([s._intake().ids, {"goals": "Rewritten"}], {}, {}),
                expect(default=FROZEN),
            ),
            (
                "clinic.intake",
                "write",
                lambda role: ([s._intake().ids, {"patient_id": s.nadia.id}], {}, {}),
                expect(default=f"{FROZEN}|stays with the patient"),
            ),
            (
                "clinic.intake",
                "write",
                lambda role: ([s._intake().ids, {"state": "draft"}], {}, {}),
                expect(default=GATE),
            ),
            (
                "clinic.intake",
                "unlink",
                lambda role: ([s._intake().ids], {}, {}),
                expect(manager=FROZEN, administrator=FROZEN),
            ),
            (
                "clinic.intake",
                "action_send",
                lambda role: ([s._intake("draft").ids], {}, {}),
                expect(ALL_INTERNAL),
            ),
            (
                "clinic.intake",
                "action_submit",
                lambda role: ([s._intake("draft").ids], {}, {}),
                expect(CLINICAL, front_desk=ONLY_THERAPIST),
            ),
            (
                "clinic.intake",
                "action_review",
                lambda role: ([s._intake().ids], {}, {}),
                expect(CLINICAL, front_desk=ONLY_THERAPIST),
            ),
            (
                "clinic.intake",
                "action_new_intake",
                lambda role: ([s._intake().ids], {}, {}),
                expect(ALL_INTERNAL),
            ),
            (
                "clinic.intake.answer",
                "write",
                lambda role: ([s._intake().answer_ids[:1].ids, {"answer": "yes"}], {}, {}),
                expect(default=FROZEN, front_desk=f"{FROZEN}|{ACCESS}"),
            ),
            (
                "clinic.intake.answer",
                "write",
                lambda role: ([s._intake("draft").answer_ids[:1].ids, {"answer": "yes"}], {}, {}),
                expect(CLINICAL),
            ),
            (
                "clinic.intake.answer",
                "create",
                lambda role: (
                    [
                        {
                            "intake_id": s._intake().id,
                            "contraindication_id": s._contraindication("dvt").id,
                            "answer": "yes",
                        }
                    ],
                    {},
                    {},
                ),
                expect(default=FROZEN, front_desk=f"{FROZEN}|{ACCESS}"),
            ),
            (
                "clinic.intake.answer",
                "unlink",
                lambda role: ([s._intake().answer_ids[:1].ids], {}, {}),
                expect(manager=FROZEN, administrator=FROZEN),
            ),
            (
                "clinic.intake.pain",
                "create",
                lambda role: (
                    [{"intake_id": s._intake().id, "region_id": s._region("leg").id, "pain": 3}],
                    {},
                    {},
                ),
                expect(default=FROZEN, front_desk=f"{FROZEN}|{ACCESS}"),
            ),
            (
                "clinic.intake.pain",
                "write",
                lambda role: (
                    [
                        s.env["clinic.intake.pain"]
                        .create(
                            {
                                "intake_id": s._intake("draft").id,
                                "region_id": s._region("leg").id,
                                "pain": 3,
                            }
                        )
                        .ids,
                        {"pain": 4},
                    ],
                    {},
                    {},
                ),
                expect(CLINICAL),
            ),
            (
                "clinic.intake.pain",
                "unlink",
                lambda role: (
                    [
                        s.env["clinic.intake.pain"]
                        .create(
                            {
                                "intake_id": s._intake("draft").id,
                                "region_id": s._region("leg").id,
                                "pain": 3,
                            }
                        )
                        .ids
                    ],
                    {},
                    {},
                ),
                expect(CLINICAL),
            ),
            # -- patients
            (
                "clinic.patient",
                "create",
                lambda role: ([{"name": "Rita Rpc", "email": "rita@patient.example.com"}], {}, {}),
                expect(STAFF),
            ),
            (
                "clinic.patient",
                "write",
                lambda role: ([s.nadia.ids, {"booking_status": "bookable"}], {}, {}),
                expect(default=GATE),
            ),
            (
                "clinic.patient",
                "write",
                lambda role: ([s.nadia.ids, {"current_intake_id": s._intake().id}], {}, {}),
                expect(default=GATE),
            ),
            (
                "clinic.patient",
                "write",
                lambda role: ([s.nadia.ids, {"care_team_ids": [(4, s.user_marco.id)]}], {}, {}),
                expect(MANAGERS, default="Only a clinic manager"),
            ),
            (
                "clinic.patient",
                "unlink",
                lambda role: ([s.nadia.ids], {}, {}),
                expect(manager="archive the patient", administrator="archive the patient"),
            ),
            (
                "clinic.patient",
                "action_new_intake",
                lambda role: ([s.patient.ids], {}, {}),
                expect(ALL_INTERNAL),
            ),
            (
                "clinic.patient",
                "action_send_intake",
                lambda role: ([s.patient.ids], {}, {}),
                expect(ALL_INTERNAL),
            ),
            *(
                (
                    "clinic.patient",
                    method,
                    lambda role: ([s.patient.ids], {}, {}),
                    expect(ALL_INTERNAL),
                )
                for method in (
                    "action_override_screening",
                    "action_view_invoices",
                    "action_view_outcomes",
                    "action_view_sessions",
                )
            ),
            # -- overrides and clearances
            # -- the screening: made and kept by the workflow, written by nobody
            (
                "clinic.patient.screening",
                "create",
                lambda role: ([{"patient_id": s.nadia.id}], {}, {}),
                expect(),
            ),
            (
                "clinic.patient.screening",
                "write",
                lambda role: ([s.nadia.screening_ids.ids, {"verdict": "clear"}], {}, {}),
                expect(),
            ),
            (
                "clinic.screening.override",
                "create",
                lambda role: (
                    [{"patient_id": s.nadia.id, "reason": "Physician agreed by phone."}],
                    {},
                    {},
                ),
                expect(MANAGERS),
            ),
            (
                "clinic.screening.override",
                "write",
                lambda role: ([s._override().ids, {"reason": "Another reason entirely."}], {}, {}),
                expect(
                    manager="stays as the manager decided",
                    administrator="stays as the manager decided",
                ),
            ),
            (
                "clinic.clearance",
                "create",
                lambda role: (
                    [
                        {
                            "patient_id": s.patient.id,
                            "physician_id": s.physician.id,
                            "contraindication_ids": [
                                (6, 0, s._contraindication("thrombocytopenia").ids)
                            ],
                        }
                    ],
                    {},
                    {},
                ),
                expect(CLINICAL),
            ),
            (
                "clinic.clearance",
                "write",
                lambda role: ([s._clearance(s.patient).ids, {"date_expiry": "2199-01-01"}], {}, {}),
                expect(default="revoke it", front_desk=ACCESS),
            ),
            (
                "clinic.clearance",
                "unlink",
                lambda role: ([s._clearance(s.patient).ids], {}, {}),
                expect(default=f"{FROZEN}|{ACCESS}"),
            ),
            # -- the files of frozen records (an intake's signature, a signed note's files)
            (
                "ir.attachment",
                "create",
                lambda role: (
                    [
                        {
                            "name": "added.pdf",
                            "datas": "eA==",
                            "res_model": "clinic.treatment.note",
                            "res_id": s._signed_note().id,
                        }
                    ],
                    {},
                    {},
                ),
                expect(default=f"can no longer change|{ACCESS}"),
            ),
            (
                "ir.attachment",
                "write",
                lambda role: ([s._signature_of(s._intake()).ids, {"datas": "eA=="}], {}, {}),
                expect(default=f"{FROZEN}|{ACCESS}"),
            ),
            (
                "ir.attachment",
                "unlink",
                lambda role: ([s._signature_of(s._intake()).ids], {}, {}),
                expect(default=f"{FROZEN}|{ACCESS}"),
            ),
            (
                "clinic.clearance",
                "action_revoke",
                lambda role: (
                    [s._clearance(s.patient).ids, "Recorded for the wrong patient."],
                    {},
                    {},
                ),
                expect(CLINICAL, front_desk=f"{ONLY_THERAPIST}|{ACCESS}"),
            ),
            (
                "clinic.clearance.revoke",
                "action_confirm",
                lambda role: (
                    [
                        s._env_of(role, ("therapist", "manager", "administrator"))[
                            "clinic.clearance.revoke"
                        ]
                        .create(
                            {
                                "clearance_id": s._clearance(s.patient).id,
                                "reason": "The physician withdrew it.",
                            }
                        )
                        .ids
                    ],
                    {},
                    {},
                ),
                expect(CLINICAL),
            ),
            # -- treatment notes
            (
                "clinic.treatment.note",
                "create",
                lambda role: ([{"session_id": s._session("done").id, "state": "signed"}], {}, {}),
                expect(default=GATE, front_desk=ACCESS),
            ),
            (
                "clinic.treatment.note",
                "write",
                lambda role: (
                    [s._draft_note().ids, {"content_hash": "0" * 64, "signed_by_id": 2}],
                    {},
                    {},
                ),
                expect(therapist=GATE),
            ),
            (
                "clinic.treatment.note",
                "write",
                lambda role: ([s._signed_note().ids, {"subjective": "<p>Changed</p>"}], {}, {}),
                expect(therapist="can no longer change"),
            ),
            (
                "clinic.treatment.note",
                "unlink",
                lambda role: ([s._signed_note().ids], {}, {}),
                expect(therapist="can no longer change"),
            ),
            (
                "clinic.treatment.note",
                "action_sign",
                lambda role: ([s._draft_note().ids], {}, {}),
                expect(
                    default=ACCESS,
                    therapist="Add at least one treated region",
                    manager="Only Tess Therapist",
                    administrator="Only Tess Therapist",
                ),
            ),
            (
                "clinic.treatment.note",
                "action_add_amendment",
                lambda role: ([s._signed_note().ids], {}, {}),
                expect(CLINICAL),
            ),
            (
                "clinic.treatment.note",
                "action_print_note",
                lambda role: ([s._signed_note().ids], {}, {}),
                expect(CLINICAL),
            ),
            (
                "clinic.treatment.note",
                "action_print_homecare",
                lambda role: ([s._signed_note().ids], {}, {}),
                expect(default="Add home-care items", front_desk=ACCESS),
            ),
            *(
                (
                    model,
                    method,
                    build,
                    expect(default="can no longer change", front_desk=ACCESS),
                )
                for model, build in (
                    (
                        "clinic.treatment.note.line",
                        lambda role: (
                            [
                                {
                                    "note_id": s._signed_note().id,
                                    "region_id": s._region("leg").id,
                                    "technique": "stretching",
                                }
                            ],
                            {},
                            {},
                        ),
                    ),
                    (
                        "clinic.homecare.item",
                        lambda role: (
                            [{"note_id": s._signed_note().id, "region_id": s._region("leg").id}],
                            {},
                            {},
                        ),
                    ),
                )
                for method in ("create",)
            ),
            (
                "clinic.treatment.note.line",
                "write",
                lambda role: ([s._signed_note().line_ids.ids, {"minutes": 5}], {}, {}),
                expect(therapist="can no longer change"),
            ),
            (
                "clinic.treatment.note.line",
                "unlink",
                lambda role: ([s._signed_note().line_ids.ids], {}, {}),
                expect(therapist="can no longer change"),
            ),
            (
                "clinic.homecare.item",
                "write",
                lambda role: ([s._draft_note().homecare_ids.ids, {"minutes": 5}], {}, {}),
                expect({"therapist": True}),
            ),
            (
                "clinic.homecare.item",
                "unlink",
                lambda role: ([s._draft_note().homecare_ids.ids], {}, {}),
                expect({"therapist": True}),
            ),
            (
                "clinic.treatment.note.amendment",
                "create",
                lambda role: (
                    [{"note_id": s._signed_note().id, "text": "Also: left side."}],
                    {},
                    {},
                ),
                expect(CLINICAL),
            ),
            *(
                (
                    "clinic.treatment.note.amendment",
                    method,
                    lambda role, method=method: (
                        [
                            s.env["clinic.treatment.note.amendment"]
                            .create({"note_id": s._signed_note().id, "text": "Also: left."})
                            .ids,
                            *([{"text": "Rewritten"}] if method == "write" else []),
                        ],
                        {},
                        {},
                    ),
                    expect(),
                )
                for method in ("write", "unlink")
            ),
            # -- plans
            (
                "clinic.plan",
                "create",
                lambda role: (
                    [json.loads(json.dumps(s._plan().copy_data()[0], default=str))],
                    {},
                    {},
                ),
                expect(STAFF),
            ),
            (
                "clinic.plan",
                "write",
                lambda role: ([s._plan().ids, {"state": "active"}], {}, {}),
                expect(default=GATE, therapist=ACCESS),
            ),
            *(
                (
                    "clinic.plan",
                    method,
                    lambda role, state=state: ([s._plan(state).ids], {}, {}),
                    rules,
                )
                for method, state, rules in (
                    ("action_activate", "draft", expect(STAFF)),
                    ("action_pause", "active", expect(STAFF)),
                    ("action_end", "active", expect(STAFF)),
                    ("action_view_sessions", "draft", expect(ALL_INTERNAL)),
                    ("action_view_invoices", "draft", expect(ALL_INTERNAL)),
                )
            ),
            # -- billing
            (
                "clinic.billing.run",
                "create",
                lambda role: ([{"date_from": "2026-11-01", "date_to": "2026-11-07"}], {}, {}),
                expect(MANAGERS),
            ),
            (
                "clinic.billing.run",
                "create",
                lambda role: (
                    [
                        {
                            "date_from": "2026-11-01",
                            "date_to": "2026-11-07",
                            "company_id": s.other_company.id,
                        }
                    ],
                    {},
                    {},
                ),
                expect(default=ACCESS),
            ),
            (
                "clinic.billing.run",
                "write",
                lambda role: ([s._billing_run().ids, {"state": "done"}], {}, {}),
                expect(manager=GATE, administrator=GATE),
            ),
            (
                "clinic.billing.run",
                "action_run",
                lambda role: ([s._billing_run().ids], {}, {}),
                expect(MANAGERS),
            ),
            (
                "clinic.billing.run",
                "action_view_invoices",
                lambda role: ([s._billing_run().ids], {}, {}),
                expect(MANAGERS),
            ),
            # -- resources and reports
            (
                "clinic.therapist",
                "create",
                lambda role: ([{"name": "New Therapist"}], {}, {}),
                expect(MANAGERS),
            ),
            (
                "clinic.room",
                "create",
                lambda role: ([{"name": "New Room"}], {}, {}),
                expect(MANAGERS),
            ),
            *(
                (
                    "clinic.utilisation.wizard",
                    method,
                    lambda role: (
                        [
                            s._env_of(role, MANAGERS)["clinic.utilisation.wizard"]
                            .create(
                                {
                                    "date_from": fields.Date.today() - timedelta(days=7),
                                    "date_to": fields.Date.today(),
                                }
                            )
                            .ids
                        ],
                        {},
                        {},
                    ),
                    expect(MANAGERS),
                )
                for method in ("action_open", "action_print", "action_export_xlsx")
            ),
            # -- the audit trail
            (
                "clinic.patient",
                "action_emergency_access",
                lambda role: ([s.nadia.ids], {}, {}),
                expect(ALL_INTERNAL),
            ),
            (
                "clinic.patient",
                "action_view_access_log",
                lambda role: ([s.nadia.ids], {}, {}),
                expect(MANAGERS),
            ),
            (
                "clinic.access.grant",
                "create",
                lambda role: (
                    [{"patient_id": s.nadia.id, "reason": "Covering for Marco: acute neck pain."}],
                    {},
                    {},
                ),
                expect(
                    {"therapist": True},
                    manager="for therapists outside a patient's care",
                    administrator="for therapists outside a patient's care",
                ),
            ),
            (
                "clinic.access.grant",
                "create",
                lambda role: (
                    [
                        {
                            "patient_id": s.patient.id,
                            "reason": "Covering for Marco: acute neck pain.",
                        }
                    ],
                    {},
                    {"default_date_expires": "2099-01-01 00:00:00"},
                ),
                expect(
                    therapist="in your care",
                    manager="for therapists outside a patient's care",
                    administrator="for therapists outside a patient's care",
                ),
            ),
            (
                "clinic.access.grant",
                "write",
                lambda role: ([s._grant().ids, {"reason": "Something else entirely."}], {}, {}),
                expect(default="cannot be changed", front_desk=ACCESS),
            ),
            (
                "clinic.access.grant",
                "write",
                lambda role: ([s._grant().ids, {"date_expires": "2099-01-01 00:00:00"}], {}, {}),
                expect(default=GATE, front_desk=ACCESS),
            ),
            (
                "clinic.access.grant",
                "unlink",
                lambda role: ([s._grant().ids], {}, {}),
                expect(),
            ),
            (
                "clinic.access.grant",
                "action_mark_reviewed",
                lambda role: ([s._grant().ids], {}, {}),
                expect(MANAGERS, therapist="Only a manager reviews"),
            ),
            *(
                (
                    "clinic.access.grant",
                    method,
                    lambda role: ([s._grant().ids], {}, {}),
                    expect(CLINICAL),
                )
                for method in ("action_end", "action_open_patient")
            ),
            *(
                (
                    model,
                    method,
                    lambda role, model=model, method=method: s._audit_call(model, method),
                    expect(),
                )
                for model in (
                    "clinic.access.log",
                    "clinic.record.seal",
                    "clinic.record.verification",
                )
                for method in ("create", "write", "unlink")
            ),
            (
                "clinic.record.verification",
                "action_verify",
                lambda role: ([], {}, {}),
                expect(MANAGERS),
            ),
            # -- Odoo's queue of e-mails (which hold the patients' private links) is Settings'
            (
                "mail.mail",
                "create",
                lambda role: (
                    [
                        {
                            "subject": "Hello",
                            "body_html": "<p>Hello</p>",
                            "email_to": "ada@patient.example.com",
                        }
                    ],
                    {},
                    {},
                ),
                expect(),
            ),
            *rpc_rows_money_rule.rows(s),
            *rpc_rows_homeprog.rows(s),
            *rpc_rows_outcomes.rows(s),
            *rpc_rows_money_pay.rows(s),
            *rpc_rows_signin.rows(s),
            *rpc_rows_scale.rows(s),
        ]

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
