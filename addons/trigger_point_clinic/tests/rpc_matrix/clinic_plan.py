"""Who may call what on ``clinic.plan`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

import json

from . import ACCESS, ALL_INTERNAL, GATE, STAFF, expect


def rows(s):
    return [
        # -- plans
        (
            "clinic.plan",
            "create",
            lambda role: (
                [json.loads(json.dumps(s._plan().copy_data()[0], default=str))],
                {},
                {},
            ),
            expect(STAFF),
        ),
        (
            "clinic.plan",
            "write",
            lambda role: ([s._plan().ids, {"state": "active"}], {}, {}),
            expect(default=GATE, therapist=ACCESS),
        ),
        *(
            (
                "clinic.plan",
                method,
                lambda role, state=state: ([s._plan(state).ids], {}, {}),
                rules,
            )
            for method, state, rules in (
                ("action_activate", "draft", expect(STAFF)),
                ("action_pause", "active", expect(STAFF)),
                ("action_end", "active", expect(STAFF)),
                ("action_view_sessions", "draft", expect(ALL_INTERNAL)),
                ("action_view_invoices", "draft", expect(ALL_INTERNAL)),
            )
        ),
    ]
