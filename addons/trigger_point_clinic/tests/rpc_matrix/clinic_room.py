"""Who may call what on ``clinic.room`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import MANAGERS, expect


def rows(s):
    return [
        (
            "clinic.room",
            "create",
            lambda role: ([{"name": "New Room"}], {}, {}),
            expect(MANAGERS),
        ),
    ]
