"""Who may call what on ``resource.calendar.leaves`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

No clinic role changes a leave over JSON-RPC (a leave changes the utilisation's
available hours)."""

from . import expect
from .resource_calendar import calendar


def _values(case):
    return {
        "name": "Gate leave",
        "calendar_id": calendar(case).id,
        "date_from": "2030-01-07 08:00:00",
        "date_to": "2030-01-07 18:00:00",
    }


def _leave(case):
    return case.env["resource.calendar.leaves"].create(_values(case))


def rows(s):
    return [
        (
            "resource.calendar.leaves",
            "create",
            lambda role: ([_values(s)], {}, {}),
            expect(),
        ),
        (
            "resource.calendar.leaves",
            "write",
            lambda role: ([_leave(s).ids, {"name": "Gate leave moved"}], {}, {}),
            expect(),
        ),
        (
            "resource.calendar.leaves",
            "unlink",
            lambda role: ([_leave(s).ids], {}, {}),
            expect(),
        ),
    ]
