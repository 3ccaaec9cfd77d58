"""Who may call what on ``clinic.research.export`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import MANAGERS, expect
from .clinic_episode import open_episode


def rows(s):
    return [
        (
            "clinic.research.export",
            "action_generate",
            lambda role: (open_episode(s) and [], {}, {}),
            expect(MANAGERS),
        ),
    ]
