"""Who may call what on ``payment.transaction`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

Managers (who bill) read the transactions; therapists and the front desk see nothing of
payments."""

from . import MANAGERS, expect


def rows(s):
    return [
        (
            "payment.transaction",
            "search_read",
            lambda role: ([[]], {"fields": ["amount"]}, {}),
            expect(MANAGERS),
        ),
    ]
