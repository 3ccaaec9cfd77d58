"""Who may call what on ``ir.attachment`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, FROZEN, expect


def rows(s):
    return [
        # -- the files of frozen records (an intake's signature, a signed note's files)
        (
            "ir.attachment",
            "create",
            lambda role: (
                [
                    {
                        "name": "added.pdf",
                        "datas": "eA==",
                        "res_model": "clinic.treatment.note",
                        "res_id": s._signed_note().id,
                    }
                ],
                {},
                {},
            ),
            expect(default=f"can no longer change|{ACCESS}"),
        ),
        (
            "ir.attachment",
            "write",
            lambda role: ([s._signature_of(s._intake()).ids, {"datas": "eA=="}], {}, {}),
            expect(default=f"{FROZEN}|{ACCESS}"),
        ),
        (
            "ir.attachment",
            "unlink",
            lambda role: ([s._signature_of(s._intake()).ids], {}, {}),
            expect(default=f"{FROZEN}|{ACCESS}"),
        ),
    ]
