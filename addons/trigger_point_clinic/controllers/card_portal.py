"""The patient's card on file (/my/clinic/card): the patient authorises the clinic to charge a
card they saved with Odoo's payment form (/my/payment_method), and can remove it.

The patient is found from the logged-in user and the card must be one their own partner saved;
another's card answers 404. A refusal answers 400 with the message and changes nothing."""

from odoo import http
from odoo.http import request

from ..models.clinic_values import valid_id
from .patient_guard import patient_route
from .patient_portal import ClinicPatientPortal


class ClinicCardPortal(ClinicPatientPortal):
    def _card_tokens(self):
        """The active cards the logged-in user saved, for a provider still taking payments."""
        return (
            request.env["payment.token"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", request.env.user.partner_id.id),
                    ("provider_id.state", "in", ("enabled", "test")),
                ]
            )
        )

    def _card_page(self, patient, error=None, status=200):
        authorisation = (
            request.env["clinic.card.authorisation"]
            .sudo()
            .search([("patient_id", "=", patient.id)], limit=1)
        )
        return self._render(
            "trigger_point_clinic.portal_clinic_card",
            self._values(
                patient,
                "clinic_card",
                authorisation=authorisation,
                tokens=self._card_tokens(),
                text=(patient.company_id or request.env.company)._clinic_card_authorisation(),
                error=error,
            ),
            status=status,
        )

    @http.route(
        "/my/clinic/card", type="http", auth="user", methods=["GET"], sitemap=False, website=True
    )
    @patient_route
    def clinic_card(self, patient, **kwargs):
        return self._card_page(patient)

    @http.route(
        "/my/clinic/card/authorise",
        type="http",
        auth="user",
        methods=["POST"],
        sitemap=False,
        website=True,
    )
    @patient_route
    def clinic_card_authorise(self, patient, token_id=None, accept=None, **post):
        token = self._card_tokens().filtered(lambda t: t.id == valid_id(token_id))
        if not token:
            if self._card_tokens() and token_id:
                return request.not_found()
            return self._card_page(
                patient,
                error=request.env._("Card: choose one of your saved cards, or add one first."),
                status=400,
            )
        if not accept:
            return self._card_page(
                patient,
                error=request.env._(
                    "Authorisation: tick the box to authorise the clinic to charge this card, "
                    "or keep paying your invoices on My Invoices."
                ),
                status=400,
            )
        authorisations = request.env["clinic.card.authorisation"].sudo()
        current = authorisations.search([("patient_id", "=", patient.id)])
        current.filtered(lambda a: a.token_id != token)._clinic_withdraw()
        if not current.filtered(lambda a: a.token_id == token):
            authorisations._clinic_authorise(
                patient,
                token,
                (patient.company_id or request.env.company)._clinic_card_authorisation(),
            )
        return request.redirect("/my/clinic/card")

    @http.route(
        "/my/clinic/card/remove",
        type="http",
        auth="user",
        methods=["POST"],
        sitemap=False,
        website=True,
    )
    @patient_route
    def clinic_card_remove(self, patient, **post):
        request.env["clinic.card.authorisation"].sudo().search(
            [("patient_id", "=", patient.id)]
        )._clinic_withdraw()
        return request.redirect("/my/clinic/card")
