"""Who may call what on ``resource.calendar.attendance`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

A calendar's working hours: managers change them (the utilisation forgets the days
they touch); the clinic adds no right."""

from . import MANAGERS, expect
from .resource_calendar import calendar


def rows(s):
    return [
        (
            "resource.calendar.attendance",
            "create",
            lambda role: (
                [
                    {
                        "name": "Saturday",
                        "dayofweek": "5",
                        "hour_from": 8,
                        "hour_to": 12,
                        "calendar_id": calendar(s).id,
                    }
                ],
                {},
                {},
            ),
            expect(MANAGERS),
        ),
        (
            "resource.calendar.attendance",
            "write",
            lambda role: ([calendar(s).attendance_ids[:1].ids, {"hour_to": 11}], {}, {}),
            expect(MANAGERS),
        ),
        (
            "resource.calendar.attendance",
            "unlink",
            lambda role: ([calendar(s).attendance_ids[:1].ids], {}, {}),
            expect(MANAGERS),
        ),
    ]
