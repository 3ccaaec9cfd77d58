"""Who may call what on ``clinic.therapist`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import MANAGERS, expect


def rows(s):
    return [
        # -- resources and reports
        (
            "clinic.therapist",
            "create",
            lambda role: ([{"name": "New Therapist"}], {}, {}),
            expect(MANAGERS),
        ),
    ]
