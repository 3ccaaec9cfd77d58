"""Rows of the JSON-RPC gate matrix (``test_rpc_gate``) for the money collected at online
booking and the retry of a failed card charge."""

from . import rpc_matrix as gate
from .rpc_rows_money_pay import _invoice

NOT_FAILED = r"only an open invoice whose charge to the saved card failed"
NO_CARD = r"has no saved card authorised any more"


def _failed_invoice(case):
    """A posted invoice of Sol's whose charge to a saved card failed (the patient has no card
    authorised any more)."""
    invoice = _invoice(case)
    invoice.sudo().write({"clinic_card_state": "failed", "clinic_card_attempts": 1})
    return invoice


def rows(case):
    s = case
    expect = gate.expect
    return [
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
            lambda role: ([_invoice(s).ids], {}, {}),
            expect({"manager": NOT_FAILED, "administrator": NOT_FAILED}),
        ),
    ]
