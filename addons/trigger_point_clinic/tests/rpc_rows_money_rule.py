"""The JSON-RPC gate's rows of the charge rule, balances and statements."""

from datetime import timedelta

from odoo import fields


def rows(case):
    from .rpc_matrix import STAFF, expect

    s = case
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
