"""Rows of the JSON-RPC gate matrix (``test_rpc_gate``) for one-page charting: copying the
patient's previous note forward writes the note, so only the session's therapist (the patient
is in her care) may; the front desk reads no note and managers write none of Tess's."""


def _note_after_a_signed_one(case):
    """A draft note of Tess's, after a signed note of the same patient."""
    case._signed_note()
    return case._draft_note()


def rows(case):
    # Imported here: test_rpc_gate imports this module to build its matrix.
    from .rpc_matrix import expect

    return [
        (
            "clinic.treatment.note",
            "action_copy_previous_note",
            lambda role: ([_note_after_a_signed_one(case).ids], {}, {}),
            expect(therapist=True),
        ),
    ]
