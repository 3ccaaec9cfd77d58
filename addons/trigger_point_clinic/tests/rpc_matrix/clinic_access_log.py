"""Who may call what on ``clinic.access.log`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

Nobody writes the audit trail over JSON-RPC: the clinic's code alone writes it."""

from . import expect


def rows(s):
    return [
        (
            "clinic.access.log",
            method,
            lambda role, method=method: s._audit_call("clinic.access.log", method),
            expect(),
        )
        for method in ("create", "write", "unlink")
    ]
