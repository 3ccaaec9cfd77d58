"""Who may call what on ``clinic.statement.wizard`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from datetime import timedelta

from odoo import fields

from . import STAFF, expect


def rows(s):
    return [
        (
            "clinic.statement.wizard",
            "action_print",
            lambda role: (
                [
                    s._env_of(role, STAFF)["clinic.statement.wizard"]
                    .create(
                        {
                            "patient_id": s.nadia.id,
                            "date_from": fields.Date.today() - timedelta(days=30),
                            "date_to": fields.Date.today(),
                        }
                    )
                    .ids
                ],
                {},
                {},
            ),
            expect(STAFF),
        ),
    ]
