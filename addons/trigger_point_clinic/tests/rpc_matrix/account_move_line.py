"""Who may call what on ``account.move.line`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

Managers have Odoo's invoicing rights, so ``write`` on invoice lines; which session, plan or
charge a line bills is the clinic's billing's own (``BILLING_LINKS``), for every role."""

from odoo import fields

from . import expect

LINKS = r"set by the clinic's billing and does not change"


def billed_line(case):
    """The posted invoice line that bills a done session of Sol's."""
    session = case._session("done")
    move = case.env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": case.patient.partner_id.id,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "name": "Session",
                        "quantity": 1,
                        "price_unit": 70.0,
                        "clinic_session_id": session.id,
                        "clinic_charge": "session",
                    }
                )
            ],
        }
    )
    move.action_post()
    return move.invoice_line_ids.filtered("clinic_session_id")


def rows(s):
    return [
        (
            "account.move.line",
            "write",
            lambda role, field=field, value=value: ([billed_line(s).ids, {field: value}], {}, {}),
            expect(manager=LINKS, administrator=LINKS),
        )
        for field, value in (
            ("clinic_session_id", False),
            ("clinic_charge", "deposit"),
        )
    ]
