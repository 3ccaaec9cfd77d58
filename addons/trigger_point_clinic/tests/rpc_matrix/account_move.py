"""Who may call what on ``account.move`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

An invoice's saved-card fields are the charges' own, and only a manager charges a failed
invoice's card again."""

from datetime import timedelta

from odoo import fields

from . import ACCESS, MANAGERS, expect

CARD_FIELDS = r"set by the charges of the saved card only"
NOT_FAILED = r"only an open invoice whose charge to the saved card failed"
NO_CARD = r"has no saved card authorised any more"


def invoice(case):
    """A posted invoice of Sol's, left unpaid."""
    move = case.env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": case.patient.partner_id.id,
            "invoice_date": fields.Date.today() - timedelta(days=40),
            "invoice_line_ids": [
                fields.Command.create({"name": "Session", "quantity": 1, "price_unit": 70.0})
            ],
        }
    )
    move.action_post()
    return move


def _failed_invoice(case):
    """A posted invoice of Sol's whose charge to a saved card failed (the patient has no card
    authorised any more)."""
    move = invoice(case)
    move.sudo().write({"clinic_card_state": "failed", "clinic_card_attempts": 1})
    return move


def rows(s):
    return [
        (
            "account.move",
            "write",
            lambda role: ([invoice(s).ids, {"clinic_card_state": "paid"}], {}, {}),
            expect(default=ACCESS, manager=CARD_FIELDS, administrator=CARD_FIELDS),
        ),
        (
            "account.move",
            "write",
            lambda role: ([invoice(s).ids, {"narration": "Paid at the desk"}], {}, {}),
            expect(MANAGERS),
        ),
        # -- a manager charges a failed invoice's card again; nobody else
        (
            "account.move",
            "action_clinic_retry_card_charge",
            lambda role: ([_failed_invoice(s).ids], {}, {}),
            expect({"manager": NO_CARD, "administrator": NO_CARD}),
        ),
        (
            "account.move",
            "action_clinic_retry_card_charge",
            lambda role: ([invoice(s).ids], {}, {}),
            expect({"manager": NOT_FAILED, "administrator": NOT_FAILED}),
        ),
    ]
