"""Rows of the JSON-RPC gate matrix (``test_rpc_gate``) for the front desk's day: checking a
patient in and out is the desk's (and managers'); a therapist cannot."""

from . import test_rpc_gate as gate

ONLY_DESK = r"Only the front desk checks patients in and out"


def _arrived(case):
    session = case._session("in_progress")
    session._desk_mark("arrived_at")
    return session


def rows(case):
    s = case
    expect, staff = gate.expect, gate.STAFF
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
    ]
