"""Rows of the JSON-RPC gate matrix (``test_rpc_gate``) for the front desk's day: checking a
patient in and out is the desk's (and managers'); a therapist cannot. Checking a move of the
schedule writes nothing: every internal role may ask (the answer is the refusal a save would
give, e.g. a therapist's "only the front desk books")."""

from . import rpc_matrix as gate

ONLY_DESK = r"Only the front desk checks patients in and out"


def _arrived(case):
    session = case._session("in_progress")
    session._desk_mark("arrived_at")
    return session


def rows(case):
    s = case
    expect, staff, internal = gate.expect, gate.STAFF, gate.ALL_INTERNAL
    return [
        (
            "clinic.session",
            "action_check_in",
            lambda role: ([s._session("confirmed").ids], {}, {}),
            expect(staff, therapist=ONLY_DESK),
        ),
        (
            "clinic.session",
            "action_check_out",
            lambda role: ([_arrived(s).ids], {}, {}),
            expect(staff, therapist=ONLY_DESK),
        ),
        (
            "clinic.session",
            "action_open_patient",
            lambda role: ([s._session().ids], {}, {}),
            expect(internal),
        ),
        (
            "clinic.session",
            "check_schedule_move",
            lambda role: ([s._session().ids, {"therapist_id": s.therapist_2.id}], {}, {}),
            expect(internal),
        ),
    ]
