"""Who may call what on ``clinic.treatment.note`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, CLINICAL, GATE, expect


def _note_after_a_signed_one(case):
    """A draft note of Tess's, after a signed note of the same patient."""
    case._signed_note()
    return case._draft_note()


def rows(s):
    return [
        # -- treatment notes
        (
            "clinic.treatment.note",
            "create",
            lambda role: ([{"session_id": s._session("done").id, "state": "signed"}], {}, {}),
            expect(default=GATE, front_desk=ACCESS),
        ),
        (
            "clinic.treatment.note",
            "write",
            lambda role: (
                [s._draft_note().ids, {"content_hash": "0" * 64, "signed_by_id": 2}],
                {},
                {},
            ),
            expect(therapist=GATE),
        ),
        (
            "clinic.treatment.note",
            "write",
            lambda role: ([s._signed_note().ids, {"subjective": "<p>Changed</p>"}], {}, {}),
            expect(therapist="can no longer change"),
        ),
        (
            "clinic.treatment.note",
            "unlink",
            lambda role: ([s._signed_note().ids], {}, {}),
            expect(therapist="can no longer change"),
        ),
        (
            "clinic.treatment.note",
            "action_sign",
            lambda role: ([s._draft_note().ids], {}, {}),
            expect(
                default=ACCESS,
                therapist="Add at least one treated region",
                manager="Only Tess Therapist",
                administrator="Only Tess Therapist",
            ),
        ),
        (
            "clinic.treatment.note",
            "action_add_amendment",
            lambda role: ([s._signed_note().ids], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.treatment.note",
            "action_print_note",
            lambda role: ([s._signed_note().ids], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.treatment.note",
            "action_print_homecare",
            lambda role: ([s._signed_note().ids], {}, {}),
            expect(default="Add home-care items", front_desk=ACCESS),
        ),
        # -- one-page charting: copying the patient's previous note forward writes the note,
        # so only the session's therapist (the patient is in her care) may; the front desk
        # reads no note and managers write none of Tess's
        (
            "clinic.treatment.note",
            "action_copy_previous_note",
            lambda role: ([_note_after_a_signed_one(s).ids], {}, {}),
            expect(therapist=True),
        ),
    ]
