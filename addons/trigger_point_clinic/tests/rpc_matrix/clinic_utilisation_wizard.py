"""Who may call what on ``clinic.utilisation.wizard`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from datetime import timedelta

from odoo import fields

from . import MANAGERS, expect


def rows(s):
    return [
        *(
            (
                "clinic.utilisation.wizard",
                method,
                lambda role: (
                    [
                        s._env_of(role, MANAGERS)["clinic.utilisation.wizard"]
                        .create(
                            {
                                "date_from": fields.Date.today() - timedelta(days=7),
                                "date_to": fields.Date.today(),
                            }
                        )
                        .ids
                    ],
                    {},
                    {},
                ),
                expect(MANAGERS),
            )
            for method in ("action_open", "action_print", "action_export_xlsx")
        ),
    ]
