"""Who may call what on ``resource.resource`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

A resource's calendar: managers change it (the utilisation forgets the days it
touches); the clinic adds no right."""

from . import MANAGERS, expect
from .resource_calendar import calendar


def rows(s):
    return [
        (
            "resource.resource",
            "write",
            lambda role: (
                [
                    s.env["resource.resource"].create({"name": "Gate resource"}).ids,
                    {"calendar_id": calendar(s).id},
                ],
                {},
                {},
            ),
            expect(MANAGERS),
        ),
    ]
