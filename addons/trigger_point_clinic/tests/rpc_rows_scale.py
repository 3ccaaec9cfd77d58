"""Rows of the JSON-RPC gate matrix (``test_rpc_gate``) for the utilisation's available hours:
changing a working calendar, its hours, a leave or a resource's calendar forgets the computed
days it touches. The clinic adds no right: managers change calendars and resources, and no
clinic role changes leaves over JSON-RPC."""


def _calendar(case):
    return case.env["resource.calendar"].create({"name": "Gate calendar"})


def _leave(case):
    return case.env["resource.calendar.leaves"].create(
        {
            "name": "Gate leave",
            "calendar_id": _calendar(case).id,
            "date_from": "2030-01-07 08:00:00",
            "date_to": "2030-01-07 18:00:00",
        }
    )


def rows(case):
    # Imported here: test_rpc_gate imports this module to build its matrix.
    from .rpc_matrix import MANAGERS, expect

    return [
        (
            "resource.calendar",
            "write",
            lambda role: ([_calendar(case).ids, {"tz": "Europe/Paris"}], {}, {}),
            expect(MANAGERS),
        ),
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
                        "calendar_id": _calendar(case).id,
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
            lambda role: ([_calendar(case).attendance_ids[:1].ids, {"hour_to": 11}], {}, {}),
            expect(MANAGERS),
        ),
        (
            "resource.calendar.attendance",
            "unlink",
            lambda role: ([_calendar(case).attendance_ids[:1].ids], {}, {}),
            expect(MANAGERS),
        ),
        (
            "resource.resource",
            "write",
            lambda role: (
                [
                    case.env["resource.resource"].create({"name": "Gate resource"}).ids,
                    {"calendar_id": _calendar(case).id},
                ],
                {},
                {},
            ),
            expect(MANAGERS),
        ),
        (
            "resource.calendar.leaves",
            "create",
            lambda role: (
                [
                    {
                        "name": "Gate leave",
                        "calendar_id": _calendar(case).id,
                        "date_from": "2030-01-07 08:00:00",
                        "date_to": "2030-01-07 18:00:00",
                    }
                ],
                {},
                {},
            ),
            expect(),
        ),
        (
            "resource.calendar.leaves",
            "write",
            lambda role: ([_leave(case).ids, {"name": "Gate leave moved"}], {}, {}),
            expect(),
        ),
        (
            "resource.calendar.leaves",
            "unlink",
            lambda role: ([_leave(case).ids], {}, {}),
            expect(),
        ),
    ]
