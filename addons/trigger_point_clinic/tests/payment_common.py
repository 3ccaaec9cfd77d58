"""Saved cards and payments through Odoo's ``payment_demo`` provider: what the card, desk and
booking payment tests start from."""


class DemoPaymentMixin:
    """For a test case with a ``cls.company``: Odoo's demo provider, in test mode and paying
    into the company's bank journal, and the cards patients save with it."""

    @classmethod
    def _enable_demo_provider(cls):
        """``cls.provider`` (``payment_demo``, in test mode) and ``cls.method``."""
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        if cls.provider.state == "disabled":
            cls.provider.state = "test"
        if not cls.provider.journal_id:
            cls.provider.journal_id = cls.env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
            )
        cls.method = cls.env.ref("payment_demo.payment_method_demo")

    @classmethod
    def _save_card(cls, patient, outcome="done", authorise=True, details="4242"):
        """A card ``patient`` saved (ending ``details``), whose charges end in ``outcome``;
        with ``authorise``, the patient authorised the clinic to charge it."""
        token = cls.env["payment.token"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.method.id,
                "partner_id": patient.partner_id.id,
                "payment_details": details,
                "provider_ref": "demo-secret-reference",
                "demo_simulated_state": outcome,
            }
        )
        if authorise:
            cls.env["clinic.card.authorisation"]._clinic_authorise(
                patient, token, cls.company._clinic_card_authorisation()
            )
        return token
