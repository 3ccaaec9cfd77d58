"""Booking on the portal with the payment the clinic asks (/my/clinic/book/review, then
/my/clinic/book): the review before booking, the deposit or full price charged to the saved
card or paid on Odoo's payment form (/my/clinic/sessions/<id>/pay).

The patient comes from the logged-in user, the amounts from the clinic's charge rule (never
from the browser). A refusal answers 400 with the message; a failed payment frees the time and
says so."""

from datetime import timedelta

from odoo import http
from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.exceptions import UserError
from odoo.http import request

from .patient_guard import patient_route
from .patient_portal import ClinicPatientPortal


class ClinicBookingPaymentPortal(ClinicPatientPortal):
    @http.route(
        "/my/clinic/book/review",
        type="http",
        auth="user",
        methods=["GET"],
        sitemap=False,
        website=True,
    )
    @patient_route
    def clinic_book_review(self, patient, therapist_id=None, start=None, **kwargs):
        return self._review_page(patient, self._therapist(patient, therapist_id), start)

    def _review_page(self, patient, therapist, start, error=None, status=200):
        booking = self._booking()
        when = self._parse_start(start) if isinstance(start, str) else start
        company = patient.company_id or request.env.company
        try:
            if not therapist or not when:
                raise UserError(request.env._("Choose one of the free times below."))
            refusal = booking._screening_refusal(patient, company._clinic_local_date(when))
            if refusal:
                raise UserError(refusal)
            booking._check_overdue(patient)
            review = booking._review(patient, therapist, when)
        except UserError as exc:
            return self._book_page(patient, therapist, error=exc.args[0], status=400)
        return self._render(
            "trigger_point_clinic.portal_clinic_book_review",
            self._values(
                patient,
                "clinic_book",
                therapist=therapist,
                review=review,
                when=when,
                tz=str(company._clinic_tz()),
                error=error,
            ),
            status=status,
        )

    def _book_page(self, patient, therapist, *args, moving=None, **kwargs):
        """Moving a session paid at booking, or held for its payment: the page says the
        payment (or the amount still to pay, as its invoice shows it) moves with it, and the
        cancel terms do not offer it as a credit, when the charge rule carries it."""
        response = super()._book_page(patient, therapist, *args, moving=moving, **kwargs)
        qcontext = getattr(response, "qcontext", None)
        if moving and qcontext is not None and qcontext.get("terms"):
            carried = self._booking()._moving_terms(moving)
            if carried:
                qcontext["moving_deposit"] = carried["paid"]
                qcontext["moving_due"] = carried
                terms = self._booking()._cancel_terms(moving, moving=True)
                qcontext["terms"] = dict(terms, credit=0.0, summary="")
        return response

    def _book_new(self, patient, therapist, when, use_card=True):
        """Book a new session as the review offered it (``clinic_book_post``): a redirect to
        the session, to the payment form, or the review again (400) when the card failed."""
        session, invoice, transaction = self._booking()._book_and_pay(
            patient, therapist, when, use_card=use_card
        )
        if not invoice:
            return request.redirect(f"/my/clinic/sessions/{session.id}?message=booked")
        if not transaction:
            return request.redirect(f"/my/clinic/sessions/{session.id}/pay")
        if session.state == "confirmed":
            return request.redirect(f"/my/clinic/sessions/{session.id}?message=paid")
        if session.state == "draft":  # under way at the provider: the session page says so
            return request.redirect(f"/my/clinic/sessions/{session.id}")
        return self._review_page(
            patient,
            therapist,
            when,
            error=request.env._(
                "Your card %(card)s was declined (%(reason)s): nothing was charged and the time "
                "is not booked. Pay with another card, or choose another time.",
                card=transaction.token_id.display_name,
                reason=transaction.state_message or transaction.state,
            ),
            status=400,
        )

    @http.route(
        "/my/clinic/sessions/<int:session_id>/pay",
        type="http",
        auth="user",
        methods=["GET"],
        sitemap=False,
        website=True,
    )
    @patient_route
    def clinic_session_pay(self, patient, session_id, **kwargs):
        """Odoo's payment form for the deposit of a session held for it; back to the session
        once paid (or freed)."""
        booking = self._booking()
        session = booking._own_session(patient, session_id)
        if not session:
            return request.not_found()
        prepaid = booking._prepaid(session)
        if prepaid["state"] != "awaiting":
            return request.redirect(f"/my/clinic/sessions/{session.id}")
        invoice = prepaid["invoice"].sudo()
        access_token = invoice._portal_ensure_token()
        values = PortalAccount()._get_common_page_view_values(
            invoices_data={
                "partner": invoice.partner_id,
                "company": invoice.company_id,
                "total_amount": invoice.amount_total,
                "currency": invoice.currency_id,
                "amount_residual": invoice.amount_residual,
                "landing_route": f"/my/clinic/sessions/{session.id}",
                "transaction_route": f"/invoice/transaction/{invoice.id}",
            },
            access_token=access_token,
        )
        return self._render(
            "trigger_point_clinic.portal_clinic_session_pay",
            self._values(
                patient,
                "clinic_session",
                session=session,
                invoice=invoice,
                amount=invoice.amount_residual,
                held_until=self._local(
                    patient,
                    invoice.create_date
                    + timedelta(minutes=session.company_id.clinic_booking_hold_minutes),
                ),
                **values,
            ),
        )
