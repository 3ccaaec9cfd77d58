"""Who may call what on ``clinic.access.log`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import expect


def rows(s):
    return [
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
    ]
