"""Who may call what on ``clinic.billing.run`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, GATE, MANAGERS, expect


def rows(s):
    return [
        # -- billing
        (
            "clinic.billing.run",
            "create",
            lambda role: ([{"date_from": "2026-11-01", "date_to": "2026-11-07"}], {}, {}),
            expect(MANAGERS),
        ),
        (
            "clinic.billing.run",
            "create",
            lambda role: (
                [
                    {
                        "date_from": "2026-11-01",
                        "date_to": "2026-11-07",
                        "company_id": s.other_company.id,
                    }
                ],
                {},
                {},
            ),
            expect(default=ACCESS),
        ),
        (
            "clinic.billing.run",
            "write",
            lambda role: ([s._billing_run().ids, {"state": "done"}], {}, {}),
            expect(manager=GATE, administrator=GATE),
        ),
        (
            "clinic.billing.run",
            "action_run",
            lambda role: ([s._billing_run().ids], {}, {}),
            expect(MANAGERS),
        ),
        (
            "clinic.billing.run",
            "action_view_invoices",
            lambda role: ([s._billing_run().ids], {}, {}),
            expect(MANAGERS),
        ),
    ]
