"""Rows of the JSON-RPC gate matrix (``test_rpc_gate``) for payments: saved cards, the
transactions that charge them, and the invoices' card fields."""

from datetime import timedelta

from odoo import fields

from . import rpc_matrix as gate

CARD_FIELDS = r"set by the charges of the saved card only"


def _invoice(case):
    """A posted invoice of Sol's, left unpaid."""
    invoice = case.env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": case.patient.partner_id.id,
            "invoice_date": fields.Date.today() - timedelta(days=40),
            "invoice_line_ids": [
                fields.Command.create({"name": "Session", "quantity": 1, "price_unit": 70.0})
            ],
        }
    )
    invoice.action_post()
    return invoice


def _authorisation(case):
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


def _desk_wizard(case, role):
    """A desk payment wizard on a session not billed yet, made by ``role`` (transient records
    are their creator's; roles without the right get one made by the front desk)."""
    user = case.users.get(role)
    if role not in ("front_desk", "manager", "administrator"):
        user = case.users["front_desk"]
    session = case._session("done")
    return (
        case.env["clinic.session.payment"]
        .with_user(user)
        .with_context(active_id=session.id)
        .create({"method": "cash"})
    )


def rows(case):
    s = case
    expect, managers, access = gate.expect, gate.MANAGERS, gate.ACCESS
    return [
        # -- the patient's authorisation to charge a saved card: managers read it, nobody
        # writes it (the patient makes and withdraws it on the portal)
        (
            "clinic.card.authorisation",
            "search_read",
            lambda role: ([[("patient_id", "=", s.patient.id)]], {"fields": ["text"]}, {}),
            expect(managers),
        ),
        (
            "clinic.card.authorisation",
            "create",
            lambda role: (
                [
                    {
                        "patient_id": s.patient.id,
                        "token_id": _authorisation(s).token_id.id,
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
                    [_authorisation(s).ids, *([{"active": False}] if method == "write" else [])],
                    {},
                    {},
                ),
                expect(),
            )
            for method in ("write", "unlink")
        ),
        # -- the patient's saved card: therapists and the front desk cannot read it; managers
        # can, by account_payment's own rule for invoicing users (payment_token_billing_rule),
        # but never the provider's reference that charges it (payment_token.py)
        (
            "payment.token",
            "read",
            lambda role: ([_authorisation(s).token_id.ids, ["payment_details"]], {}, {}),
            expect(managers),
        ),
        (
            "payment.token",
            "read",
            lambda role: ([_authorisation(s).token_id.ids, ["provider_ref"]], {}, {}),
            expect(),
        ),
        # -- the transactions: managers (who bill) read them; therapists and the front desk
        # see nothing of payments
        (
            "payment.transaction",
            "search_read",
            lambda role: ([[]], {"fields": ["amount"]}, {}),
            expect(managers),
        ),
        # -- the desk takes a payment of a session: the front desk and managers, not therapists
        (
            "clinic.session.payment",
            "create",
            lambda role: ([{"session_id": s._session("done").id, "method": "cash"}], {}, {}),
            expect(gate.STAFF),
        ),
        (
            "clinic.session.payment",
            "action_pay",
            lambda role: ([_desk_wizard(s, role).ids], {}, {}),
            expect(dict.fromkeys(gate.STAFF, r"has no open invoice to pay")),
        ),
        # -- an invoice's saved-card fields are the charges' own
        (
            "account.move",
            "write",
            lambda role: ([_invoice(s).ids, {"clinic_card_state": "paid"}], {}, {}),
            expect(default=access, manager=CARD_FIELDS, administrator=CARD_FIELDS),
        ),
        (
            "account.move",
            "write",
            lambda role: ([_invoice(s).ids, {"narration": "Paid at the desk"}], {}, {}),
            expect(managers),
        ),
    ]
