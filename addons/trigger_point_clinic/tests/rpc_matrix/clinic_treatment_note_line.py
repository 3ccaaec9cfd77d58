"""Who may call what on ``clinic.treatment.note.line`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, expect
from .clinic_region_outcome import grouped_rows


def rows(s):
    return [
        (
            "clinic.treatment.note.line",
            "create",
            lambda role: (
                [
                    {
                        "note_id": s._signed_note().id,
                        "region_id": s._region("leg").id,
                        "technique": "stretching",
                    }
                ],
                {},
                {},
            ),
            expect(default="can no longer change", front_desk=ACCESS),
        ),
        (
            "clinic.treatment.note.line",
            "write",
            lambda role: ([s._signed_note().line_ids.ids, {"minutes": 5}], {}, {}),
            expect(therapist="can no longer change"),
        ),
        (
            "clinic.treatment.note.line",
            "unlink",
            lambda role: ([s._signed_note().line_ids.ids], {}, {}),
            expect(therapist="can no longer change"),
        ),
        # The Outcomes graph and pivot, marked read-only (report/clinic_outcome_replica.py).
        *grouped_rows("clinic.treatment.note.line"),
    ]
