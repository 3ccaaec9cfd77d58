"""Who may call what on ``payment.token`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

The patient's saved card: therapists and the front desk cannot read it; managers can, by
account_payment's own rule for invoicing users (payment_token_billing_rule), but never the
provider's reference that charges it (models/payment_token.py)."""

from . import MANAGERS, expect
from .clinic_card_authorisation import authorisation


def rows(s):
    return [
        (
            "payment.token",
            "read",
            lambda role: ([authorisation(s).token_id.ids, ["payment_details"]], {}, {}),
            expect(MANAGERS),
        ),
        (
            "payment.token",
            "read",
            lambda role: ([authorisation(s).token_id.ids, ["provider_ref"]], {}, {}),
            expect(),
        ),
    ]
