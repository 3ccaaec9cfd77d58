"""Who may call what on ``clinic.intake.answer`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, CLINICAL, FROZEN, expect


def rows(s):
    return [
        (
            "clinic.intake.answer",
            "write",
            lambda role: ([s._intake().answer_ids[:1].ids, {"answer": "yes"}], {}, {}),
            expect(default=FROZEN, front_desk=f"{FROZEN}|{ACCESS}"),
        ),
        (
            "clinic.intake.answer",
            "write",
            lambda role: ([s._intake("draft").answer_ids[:1].ids, {"answer": "yes"}], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.intake.answer",
            "create",
            lambda role: (
                [
                    {
                        "intake_id": s._intake().id,
                        "contraindication_id": s._contraindication("dvt").id,
                        "answer": "yes",
                    }
                ],
                {},
                {},
            ),
            expect(default=FROZEN, front_desk=f"{FROZEN}|{ACCESS}"),
        ),
        (
            "clinic.intake.answer",
            "unlink",
            lambda role: ([s._intake().answer_ids[:1].ids], {}, {}),
            expect(manager=FROZEN, administrator=FROZEN),
        ),
    ]
