"""Who may call what on ``clinic.session`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, ALL_INTERNAL, CLINICAL, GATE, MANAGERS, ONLY_THERAPIST, STAFF, expect

ONLY_DESK = r"Only the front desk checks patients in and out"


def _arrived(case):
    session = case._session("in_progress")
    session._desk_mark("arrived_at")
    return session


def rows(s):
    return [
        # -- sessions
        (
            "clinic.session",
            "create",
            lambda role: ([s._free_slot()], {}, {}),
            expect(STAFF),
        ),
        (
            "clinic.session",
            "create",
            lambda role: (
                [s._free_slot(hour=3)],
                {},
                {"clinic_schedule_checked": True, "default_state": "confirmed"},
            ),
            expect(default="cannot be booked", therapist=ACCESS),
        ),
        (
            "clinic.session",
            "write",
            lambda role: ([s._session().ids, {"state": "confirmed"}], {}, {}),
            expect(default=GATE),
        ),
        (
            "clinic.session",
            "write",
            lambda role: ([s._session("cancelled").ids, {"late_cancel": False}], {}, {}),
            expect(default=GATE),
        ),
        (
            "clinic.session",
            "write",
            lambda role: ([s._session("done").ids, {"treatment_note_state": "signed"}], {}, {}),
            expect(default=GATE),
        ),
        (
            "clinic.session",
            "write",
            lambda role: ([s._session().ids, {"plan_id": s._plan().id}], {}, {}),
            expect(default=GATE),
        ),
        (
            "clinic.session",
            "write",
            lambda role: (
                [s._session().ids, {"reminder_sent_for": "2030-01-01 09:00:00"}],
                {},
                {},
            ),
            expect(default=GATE),
        ),
        (
            "clinic.session",
            "write",
            lambda role: (
                [
                    s._session().ids,
                    {
                        "patient_confirmed_at": "2030-01-01 09:00:00",
                        "patient_confirmation": "confirmed",
                    },
                ],
                {},
                {},
            ),
            expect(default=GATE),
        ),
        (
            "clinic.session",
            "write",
            lambda role: ([s._session().ids, {"patient_id": s.patient_2.id}], {}, {}),
            expect(STAFF, therapist="Only the front desk or a manager books"),
        ),
        (
            "clinic.session",
            "write",
            lambda role: ([s._signed_note().session_id.ids, {"note": "Moved?"}], {}, {}),
            expect(ALL_INTERNAL),
        ),
        (
            "clinic.session",
            "action_confirm",
            lambda role: ([s._session().ids], {}, {}),
            expect(ALL_INTERNAL),
        ),
        (
            "clinic.session",
            "action_start",
            lambda role: ([s._session("confirmed", past=True).ids], {}, {}),
            expect(CLINICAL, front_desk=ONLY_THERAPIST),
        ),
        (
            "clinic.session",
            "action_done",
            lambda role: ([s._session("in_progress").ids], {}, {}),
            expect(CLINICAL, front_desk=ONLY_THERAPIST),
        ),
        (
            "clinic.session",
            "action_no_show",
            lambda role: ([s._session("confirmed", past=True).ids], {}, {}),
            expect(ALL_INTERNAL),
        ),
        (
            "clinic.session",
            "action_cancel",
            lambda role: ([s._session().ids], {}, {}),
            expect(ALL_INTERNAL),
        ),
        (
            "clinic.session",
            "action_reset_to_draft",
            lambda role: ([s._session("cancelled", past=True).ids], {}, {}),
            expect(
                MANAGERS,
                therapist="only a manager",
                front_desk="only a manager",
            ),
        ),
        (
            "clinic.session",
            "action_open_treatment_note",
            lambda role: ([s._session("done").ids], {}, {}),
            expect(
                {"therapist": True},
                default="only Tess Therapist, its therapist, writes it",
            ),
        ),
        (
            "clinic.session",
            "action_view_invoices",
            lambda role: ([s._session().ids], {}, {}),
            expect(ALL_INTERNAL),
        ),
        (
            "clinic.session",
            "unlink",
            lambda role: ([s._session().ids], {}, {}),
            expect(MANAGERS),
        ),
        # -- the front desk's day: checking a patient in and out is the desk's (and managers');
        # a therapist cannot. Checking a move of the schedule writes nothing: every internal
        # role may ask (the answer is the refusal a save would give, e.g. a therapist's "only
        # the front desk books")
        (
            "clinic.session",
            "action_check_in",
            lambda role: ([s._session("confirmed").ids], {}, {}),
            expect(STAFF, therapist=ONLY_DESK),
        ),
        (
            "clinic.session",
            "action_check_out",
            lambda role: ([_arrived(s).ids], {}, {}),
            expect(STAFF, therapist=ONLY_DESK),
        ),
        (
            "clinic.session",
            "action_open_patient",
            lambda role: ([s._session().ids], {}, {}),
            expect(ALL_INTERNAL),
        ),
        (
            "clinic.session",
            "check_schedule_move",
            lambda role: ([s._session().ids, {"therapist_id": s.therapist_2.id}], {}, {}),
            expect(ALL_INTERNAL),
        ),
    ]
