"""Who may call what on ``clinic.record.verification`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import MANAGERS, expect


def rows(s):
    return [
        *(
            (
                "clinic.record.verification",
                method,
                lambda role, method=method: s._audit_call("clinic.record.verification", method),
                expect(),
            )
            for method in ("create", "write", "unlink")
        ),
        (
            "clinic.record.verification",
            "action_verify",
            lambda role: ([], {}, {}),
            expect(MANAGERS),
        ),
    ]
