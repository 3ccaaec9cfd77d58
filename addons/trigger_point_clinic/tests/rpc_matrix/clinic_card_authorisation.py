"""Who may call what on ``clinic.card.authorisation`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

The patient's authorisation to charge a saved card: managers read it, nobody writes it
(the patient makes and withdraws it on the portal)."""

from . import MANAGERS, expect


def authorisation(case):
    """Sol's saved card (payment_demo) and the authorisation to charge it."""
    token = case.env["payment.token"].create(
        {
            "provider_id": case.env.ref("payment.payment_provider_demo").id,
            "payment_method_id": case.env.ref("payment_demo.payment_method_demo").id,
            "partner_id": case.patient.partner_id.id,
            "payment_details": "4242",
            "provider_ref": "demo-secret-reference",
            "demo_simulated_state": "done",
        }
    )
    return case.env["clinic.card.authorisation"]._clinic_authorise(
        case.patient, token, case.company._clinic_card_authorisation()
    )


def rows(s):
    return [
        (
            "clinic.card.authorisation",
            "search_read",
            lambda role: ([[("patient_id", "=", s.patient.id)]], {"fields": ["text"]}, {}),
            expect(MANAGERS),
        ),
        (
            "clinic.card.authorisation",
            "create",
            lambda role: (
                [
                    {
                        "patient_id": s.patient.id,
                        "token_id": authorisation(s).token_id.id,
                        "user_id": s.users[role].id if role != "public" else 1,
                        "accepted_at": "2030-01-01 09:00:00",
                        "text": "I authorise anything.",
                    }
                ],
                {},
                {},
            ),
            expect(),
        ),
        *(
            (
                "clinic.card.authorisation",
                method,
                lambda role, method=method: (
                    [authorisation(s).ids, *([{"active": False}] if method == "write" else [])],
                    {},
                    {},
                ),
                expect(),
            )
            for method in ("write", "unlink")
        ),
    ]
