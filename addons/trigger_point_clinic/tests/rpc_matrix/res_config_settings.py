"""Who may call what on ``res.config.settings`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

The sign-in policy's settings are the system administrators' only."""

from . import expect


def rows(s):
    return [
        ("res.config.settings", "get_values", lambda role: ([], {}, {}), expect()),
        ("res.config.settings", "set_values", lambda role: ([[]], {}, {}), expect()),
    ]
