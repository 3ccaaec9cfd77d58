"""Who may call what on ``clinic.clearance.revoke`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import CLINICAL, expect


def rows(s):
    return [
        (
            "clinic.clearance.revoke",
            "action_confirm",
            lambda role: (
                [
                    s._env_of(role, ("therapist", "manager", "administrator"))[
                        "clinic.clearance.revoke"
                    ]
                    .create(
                        {
                            "clearance_id": s._clearance(s.patient).id,
                            "reason": "The physician withdrew it.",
                        }
                    )
                    .ids
                ],
                {},
                {},
            ),
            expect(CLINICAL),
        ),
    ]
