"""Who may call what on ``mail.mail`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import expect


def rows(s):
    return [
        # -- Odoo's queue of e-mails (which hold the patients' private links) is Settings'
        (
            "mail.mail",
            "create",
            lambda role: (
                [
                    {
                        "subject": "Hello",
                        "body_html": "<p>Hello</p>",
                        "email_to": "ada@patient.example.com",
                    }
                ],
                {},
                {},
            ),
            expect(),
        ),
    ]
