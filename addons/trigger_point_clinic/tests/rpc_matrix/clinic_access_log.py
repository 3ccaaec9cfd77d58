"""Who may call what on ``clinic.access.log`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import expect


def audit_trail_rows(case, model):
    """The audit trail (the access log, the seals, the verifications) is written by the
    clinic's code alone: no role creates, changes or deletes an entry over JSON-RPC."""
    return [
        (
            model,
            method,
            lambda role, method=method: case._audit_call(model, method),
            expect(),
        )
        for method in ("create", "write", "unlink")
    ]


def rows(s):
    return audit_trail_rows(s, "clinic.access.log")
