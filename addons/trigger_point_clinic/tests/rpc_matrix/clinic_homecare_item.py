"""Who may call what on ``clinic.homecare.item`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, expect


def rows(s):
    return [
        (
            "clinic.homecare.item",
            "create",
            lambda role: (
                [{"note_id": s._signed_note().id, "region_id": s._region("leg").id}],
                {},
                {},
            ),
            expect(default="can no longer change", front_desk=ACCESS),
        ),
        (
            "clinic.homecare.item",
            "write",
            lambda role: ([s._draft_note().homecare_ids.ids, {"minutes": 5}], {}, {}),
            expect({"therapist": True}),
        ),
        (
            "clinic.homecare.item",
            "unlink",
            lambda role: ([s._draft_note().homecare_ids.ids], {}, {}),
            expect({"therapist": True}),
        ),
    ]
