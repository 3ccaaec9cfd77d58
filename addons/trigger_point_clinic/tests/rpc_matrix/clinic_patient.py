"""Who may call what on ``clinic.patient`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ALL_INTERNAL, GATE, MANAGERS, STAFF, expect


def rows(s):
    return [
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
    ]
