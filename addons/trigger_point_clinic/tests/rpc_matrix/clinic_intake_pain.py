"""Who may call what on ``clinic.intake.pain`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, CLINICAL, FROZEN, expect


def rows(s):
    return [
        (
            "clinic.intake.pain",
            "create",
            lambda role: (
                [{"intake_id": s._intake().id, "region_id": s._region("leg").id, "pain": 3}],
                {},
                {},
            ),
            expect(default=FROZEN, front_desk=f"{FROZEN}|{ACCESS}"),
        ),
        (
            "clinic.intake.pain",
            "write",
            lambda role: (
                [
                    s.env["clinic.intake.pain"]
                    .create(
                        {
                            "intake_id": s._intake("draft").id,
                            "region_id": s._region("leg").id,
                            "pain": 3,
                        }
                    )
                    .ids,
                    {"pain": 4},
                ],
                {},
                {},
            ),
            expect(CLINICAL),
        ),
        (
            "clinic.intake.pain",
            "unlink",
            lambda role: (
                [
                    s.env["clinic.intake.pain"]
                    .create(
                        {
                            "intake_id": s._intake("draft").id,
                            "region_id": s._region("leg").id,
                            "pain": 3,
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
