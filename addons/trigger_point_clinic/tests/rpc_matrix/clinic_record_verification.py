"""Who may call what on ``clinic.record.verification`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import MANAGERS, expect
from .clinic_access_log import audit_trail_rows


def rows(s):
    return [
        *audit_trail_rows(s, "clinic.record.verification"),
        (
            "clinic.record.verification",
            "action_verify",
            lambda role: ([], {}, {}),
            expect(MANAGERS),
        ),
    ]
