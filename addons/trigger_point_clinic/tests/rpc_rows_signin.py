"""Rows of the JSON-RPC gate matrix for the sign-in policy: the settings are the system
administrators' only, and the sign-in log is read by clinic administrators and written by
nobody."""

from odoo import fields


def _entry():
    """A sign-in log entry as the sign-in code writes it."""
    return [
        {"event": "signin", "event_at": fields.Datetime.to_string(fields.Datetime.now())},
    ]


def rows(case):
    # test_rpc_gate imports this module: its helpers are taken once both are loaded.
    from .rpc_matrix import expect

    s = case

    def logged(role):
        entry = s.env["clinic.signin.log"]._record("signin", user=s.user_therapist)
        return [entry.ids]

    return [
        ("res.config.settings", "get_values", lambda role: ([], {}, {}), expect()),
        ("res.config.settings", "set_values", lambda role: ([[]], {}, {}), expect()),
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
