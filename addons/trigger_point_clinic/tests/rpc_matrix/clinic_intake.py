"""Who may call what on ``clinic.intake`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ALL_INTERNAL, CLINICAL, FROZEN, GATE, ONLY_THERAPIST, expect


def rows(s):
    return [
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
    ]
