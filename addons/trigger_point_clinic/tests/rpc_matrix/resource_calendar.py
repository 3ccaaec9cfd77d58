"""Who may call what on ``resource.calendar`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

Changing a working calendar, its hours, a leave or a resource's calendar forgets the
utilisation's computed days it touches. The clinic adds no right: managers change calendars and
resources, and no clinic role changes leaves over JSON-RPC."""

from . import MANAGERS, expect


def calendar(case):
    return case.env["resource.calendar"].create({"name": "Gate calendar"})


def rows(s):
    return [
        (
            "resource.calendar",
            "write",
            lambda role: ([calendar(s).ids, {"tz": "Europe/Paris"}], {}, {}),
            expect(MANAGERS),
        ),
    ]
