"""Who may call what on ``clinic.treatment.note.amendment`` over JSON-RPC: rows of the gate
matrix that ``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the
refusals' messages)."""

from . import CLINICAL, expect


def rows(s):
    return [
        (
            "clinic.treatment.note.amendment",
            "create",
            lambda role: (
                [{"note_id": s._signed_note().id, "text": "Also: left side."}],
                {},
                {},
            ),
            expect(CLINICAL),
        ),
        *(
            (
                "clinic.treatment.note.amendment",
                method,
                lambda role, method=method: (
                    [
                        s.env["clinic.treatment.note.amendment"]
                        .create({"note_id": s._signed_note().id, "text": "Also: left."})
                        .ids,
                        *([{"text": "Rewritten"}] if method == "write" else []),
                    ],
                    {},
                    {},
                ),
                expect(),
            )
            for method in ("write", "unlink")
        ),
    ]
