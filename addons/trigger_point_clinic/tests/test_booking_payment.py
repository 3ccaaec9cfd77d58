"""Online booking with the payment the clinic asks (nothing, a deposit or the full price), as the
patient's browser does it over HTTP: the review before booking, the saved card charged or
Odoo's payment form with ``payment_demo``, the session held then confirmed (or freed), and the
amounts the review showed equal to the cent to the invoices posted."""

import json
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import csrf_of, post_booking
from .payment_common import DemoPaymentMixin
from .test_charge_rule import ChargeRuleCase, _amounts, _text


class BookingPaymentCase(DemoPaymentMixin, ChargeRuleCase, HttpCase):
    """The session costs 70.00 + 20% tax = 84.00; a deposit of 30% is 21.00 + tax = 25.20."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "clinic_booking_payment": "deposit",
                "clinic_booking_deposit_type": "percent",
                "clinic_booking_deposit": 30.0,
                "clinic_online_weekly_limit": 3,
                "clinic_online_booking_weeks": 4,
                "clinic_overdue_booking_days": 0,
            }
        )
        cls._enable_demo_provider()

    def _slot(self, weekday=2, hour=10):
        today = fields.Date.today()
        day = today + timedelta(days=weekday - today.weekday(), weeks=1)
        return self._utc(datetime(day.year, day.month, day.day, hour))

    def _card(self, outcome="done"):
        return self._save_card(self.patient, outcome)

    def _review(self, start):
        self.authenticate("sol", "sol")
        return self.url_open(
            f"/my/clinic/book/review?therapist_id={self.therapist.id}"
            f"&start={fields.Datetime.to_string(start)}"
        )

    def _book(self, start, use_card="1"):
        page = self._review(start)
        self.assertEqual(page.status_code, 200, page.text[-1500:])
        return post_booking(self, csrf_of(page.text), self.therapist, start, use_card=use_card)

    def _booked(self, start):
        return self.env["clinic.session"].search(
            [("patient_id", "=", self.patient.id), ("start", "=", start)], order="id desc", limit=1
        )

    def _deposit_invoice(self, session):
        return (
            self.env["account.move.line"]
            .search([("clinic_session_id", "=", session.id), ("clinic_charge", "=", "deposit")])
            .move_id
        )

    def _review_amounts(self, start):
        text = _text(self._review(start).text)
        return text, _amounts(text)

    def _pay_invoice(self, invoice, landing, outcome="done"):
        """Pay ``invoice`` on Odoo's payment form with the demo provider (``outcome``: the
        state the demo simulates), as the patient's browser does; the transaction."""
        processing = self._jsonrpc(
            f"/invoice/transaction/{invoice.id}",
            {
                "access_token": invoice._portal_ensure_token(),
                "provider_id": self.provider.id,
                "payment_method_id": self.method.id,
                "token_id": None,
                "amount": invoice.amount_residual,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": landing,
            },
        )
        self._jsonrpc(
            "/payment/demo/simulate_payment",
            {
                "reference": processing["reference"],
                "payment_details": "4242",
                "simulated_state": outcome,
            },
        )
        transaction = invoice.transaction_ids
        transaction._post_process()
        return transaction

    def _jsonrpc(self, url, params):
        """A JSON-RPC route (payment's) called as the browser does; its result."""
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        self.assertNotIn("error", body, body.get("error"))
        return body.get("result")


@tagged("post_install", "-at_install")
class TestBookingPayment(BookingPaymentCase):
    def test_no_payment_asked_the_review_confirms(self):
        self.company.clinic_booking_payment = "none"
        start = self._slot()
        text, _amounts_shown = self._review_amounts(start)
        self.assertIn("Review your booking", text)
        self.assertIn("84.00", text, "the price with tax")
        self.assertIn("Europe/Paris", text, "the time in the clinic's timezone")
        self.assertIn("Free of charge until", text)
        self.assertIn("42.00", text, "the late cancellation fee")
        self.assertIn("Confirm", text)
        self.assertNotIn("Pay ", text)
        response = self._book(start)
        self.assertIn("Your session is booked", response.text)
        session = self._booked(start)
        self.assertEqual(session.state, "confirmed")
        self.assertFalse(self._deposit_invoice(session))
        self.assertFalse(session.prepaid_state)

    def test_deposit_with_the_saved_card_then_deducted_by_the_billing_run(self):
        self._card("done")
        start = self._slot()
        text, _shown = self._review_amounts(start)
        self.assertIn("Deposit to pay now", text)
        self.assertIn("25.20", text)
        self.assertIn("4242", text, "the saved card named")
        response = self._book(start)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Paid: your session is booked", response.text)
        self.assertIn("Deposit paid", response.text)
        session = self._booked(start)
        self.assertEqual(session.state, "confirmed")
        invoice = self._deposit_invoice(session)
        self.assertEqual(invoice.amount_total, 25.20, "the deposit the review showed, to the cent")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(len(invoice.transaction_ids), 1, "one transaction")
        self.assertEqual(session.prepaid_state, "deposit")
        self.assertEqual(session.prepaid_amount, 25.20)
        self._close(session, "done")
        bill = self._run(session)
        self.assertAlmostEqual(bill.amount_total, 84.0 - 25.20, msg="the deposit deducted")

    def test_declined_saved_card_frees_the_time_and_says_so(self):
        self._card("error")
        start = self._slot()
        response = self._book(start)
        self.assertEqual(response.status_code, 400)
        self.assertIn("was declined", _text(response.text))
        self.assertIn("nothing was charged and the time is not booked", _text(response.text))
        session = self._booked(start)
        self.assertEqual(session.state, "cancelled")
        self.assertEqual(session.cancel_party, "clinic", "no fee for a freed time")
        self.assertEqual(self._deposit_invoice(session).state, "cancel")
        self.assertFalse(self._run(session), "nothing to bill")
        self.assertEqual(self._review(start).status_code, 200, "the time is free again")

    def _pay_on_the_form(self, start, outcome):
        response = self._book(start, use_card="0")
        session = self._booked(start)
        self.assertTrue(response.url.endswith(f"/my/clinic/sessions/{session.id}/pay"))
        self.assertIn("o_payment_form", response.text, "Odoo's payment form")
        self.assertIn("25.20", _text(response.text))
        self.assertEqual(session.state, "draft", "held while the patient pays")
        self.assertEqual(session.prepaid_state, "awaiting")
        invoice = self._deposit_invoice(session)
        transaction = self._pay_invoice(invoice, f"/my/clinic/sessions/{session.id}", outcome)
        return session, invoice, transaction

    def test_deposit_through_the_payment_form(self):
        start = self._slot()
        session, invoice, transaction = self._pay_on_the_form(start, "done")
        self.assertEqual(transaction.state, "done")
        self.assertEqual(session.state, "confirmed")
        self.assertEqual(invoice.amount_total, 25.20)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        page = self.url_open(f"/my/clinic/sessions/{session.id}")
        self.assertIn("Deposit paid", page.text)
        self.assertNotIn("o_clinic_awaiting_payment", page.text)

    def test_failed_payment_on_the_form_frees_the_time(self):
        start = self._slot()
        session, invoice, _transaction = self._pay_on_the_form(start, "error")
        self.assertEqual(session.state, "cancelled")
        self.assertEqual(invoice.state, "cancel")
        page = _text(self.url_open(f"/my/clinic/sessions/{session.id}").text)
        self.assertIn("Payment not completed", page)
        self.assertIn("the time was freed", page)
        self.assertEqual(self._review(start).status_code, 200, "the time is free again")

    def test_abandoned_payment_is_freed_after_the_hold(self):
        start = self._slot()
        self._book(start, use_card="0")
        session = self._booked(start)
        invoice = self._deposit_invoice(session)
        booking = self.env["clinic.online.booking"]
        self.assertFalse(booking._cron_release_unpaid_bookings(), "held for 30 minutes")
        self.env.cr.execute(
            "UPDATE account_move SET create_date = create_date - interval '31 minutes' "
            "WHERE id = %s",
            [invoice.id],
        )
        invoice.invalidate_recordset(["create_date"])
        self.assertEqual(booking._cron_release_unpaid_bookings(), session)
        self.assertEqual(session.state, "cancelled")
        self.assertEqual(invoice.state, "cancel")

    def test_full_price_paid_at_booking(self):
        self.company.clinic_booking_payment = "full"
        self._card("done")
        start = self._slot()
        text, _shown = self._review_amounts(start)
        self.assertIn("To pay now (the full price)", text)
        response = self._book(start)
        self.assertIn("Paid: your session is booked", response.text)
        session = self._booked(start)
        invoice = self._deposit_invoice(session)
        self.assertEqual(invoice.amount_total, 84.0, "the price the review showed")
        self.assertEqual(session.prepaid_state, "paid")
        self._close(session, "done")
        bill = self._run(session)
        self.assertAlmostEqual(bill.amount_total, 0.0, msg="nothing more to pay")


@tagged("post_install", "-at_install")
class TestBookingDepositPhone(BookingPaymentCase):
    """On a phone (390 x 844, touch), in Chromium: the card saved through Odoo's payment form
    with ``payment_demo``, authorised, then a booking with a deposit paid through the review."""

    browser_size = "390x844"
    touch_enabled = True

    def test_save_a_card_and_book_with_a_deposit_on_a_phone(self):
        self.provider.write({"is_published": True, "allow_tokenization": True})
        self.start_tour(
            "/my/clinic/card", "trigger_point_clinic_booking_deposit_phone", login="sol"
        )
        authorisation = self.env["clinic.card.authorisation"].search(
            [("patient_id", "=", self.patient.id)]
        )
        self.assertEqual(len(authorisation), 1)
        self.assertEqual(authorisation.token_id.partner_id, self.patient.partner_id)
        self.assertEqual(authorisation.text, self.company._clinic_card_authorisation())
        session = self.env["clinic.session"].search(
            [("patient_id", "=", self.patient.id), ("state", "!=", "cancelled")]
        )
        self.assertEqual(len(session), 1)
        self.assertEqual(session.state, "confirmed")
        self.assertEqual(session.prepaid_state, "deposit")
        invoice = self._deposit_invoice(session)
        self.assertEqual(invoice.amount_total, 25.20)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.transaction_ids.token_id, authorisation.token_id)
