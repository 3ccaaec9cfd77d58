"""Who may call what on ``clinic.patient.screening`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import expect


def rows(s):
    return [
        # -- overrides and clearances
        # -- the screening: made and kept by the workflow, written by nobody
        (
            "clinic.patient.screening",
            "create",
            lambda role: ([{"patient_id": s.nadia.id}], {}, {}),
            expect(),
        ),
        (
            "clinic.patient.screening",
            "write",
            lambda role: ([s.nadia.screening_ids.ids, {"verdict": "clear"}], {}, {}),
            expect(),
        ),
    ]
