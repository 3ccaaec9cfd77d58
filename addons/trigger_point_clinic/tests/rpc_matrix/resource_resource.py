"""Who may call what on ``resource.resource`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

Changing a working calendar, its hours, a leave or a resource's calendar forgets the
utilisation's computed days it touches. The clinic adds no right: managers change calendars and
resources, and no clinic role changes leaves over JSON-RPC."""

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
