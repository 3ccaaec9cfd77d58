"""Who may call what on ``clinic.session.cancel`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from odoo import fields

from . import ALL_INTERNAL, expect


def rows(s):
    return [
        (
            "clinic.session.cancel",
            "action_confirm",
            lambda role: (
                [
                    s._env_of(role)["clinic.session.cancel"]
                    .create(
                        {
                            "session_ids": [fields.Command.set(s._session().ids)],
                            "reason": "Patient is travelling",
                        }
                    )
                    .ids
                ],
                {},
                {},
            ),
            expect(ALL_INTERNAL),
        ),
    ]
