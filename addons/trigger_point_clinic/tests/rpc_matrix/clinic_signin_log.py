"""Who may call what on ``clinic.signin.log`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

The sign-in log is read by clinic administrators and written by nobody."""

from odoo import fields

from . import expect


def _entry():
    """A sign-in log entry as the sign-in code writes it."""
    return [
        {"event": "signin", "event_at": fields.Datetime.to_string(fields.Datetime.now())},
    ]


def rows(s):
    def logged(role):
        entry = s.env["clinic.signin.log"]._record("signin", user=s.user_therapist)
        return [entry.ids]

    return [
        (
            "clinic.signin.log",
            "search_read",
            lambda role: ([[]], {"fields": ["event", "login", "ip_address"]}, {}),
            expect({"administrator": True}),
        ),
        ("clinic.signin.log", "create", lambda role: (_entry(), {}, {}), expect()),
        (
            "clinic.signin.log",
            "write",
            lambda role: ([*logged(role), {"ip_address": "10.0.0.1"}], {}, {}),
            expect(),
        ),
        ("clinic.signin.log", "unlink", lambda role: (logged(role), {}, {}), expect()),
    ]
