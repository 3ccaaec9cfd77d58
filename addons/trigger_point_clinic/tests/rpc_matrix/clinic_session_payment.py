"""Who may call what on ``clinic.session.payment`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

The desk takes a payment of a session: the front desk and managers, not therapists."""

from . import STAFF, expect


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


def rows(s):
    return [
        (
            "clinic.session.payment",
            "create",
            lambda role: ([{"session_id": s._session("done").id, "method": "cash"}], {}, {}),
            expect(STAFF),
        ),
        (
            "clinic.session.payment",
            "action_pay",
            lambda role: ([_desk_wizard(s, role).ids], {}, {}),
            expect(dict.fromkeys(STAFF, r"has no open invoice to pay")),
        ),
    ]
