"""Who may call what on ``clinic.intake.pain`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, CLINICAL, FROZEN, expect


def _draft_pain(case):
    """A pain map entry of a draft intake (not frozen)."""
    return case.env["clinic.intake.pain"].create(
        {"intake_id": case._intake("draft").id, "region_id": case._region("leg").id, "pain": 3}
    )


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
            lambda role: ([_draft_pain(s).ids, {"pain": 4}], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.intake.pain",
            "unlink",
            lambda role: ([_draft_pain(s).ids], {}, {}),
            expect(CLINICAL),
        ),
    ]
