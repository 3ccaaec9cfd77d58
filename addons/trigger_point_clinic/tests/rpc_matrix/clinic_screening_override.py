"""Who may call what on ``clinic.screening.override`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import MANAGERS, expect


def rows(s):
    return [
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
    ]
