"""Booking with a deposit through an asynchronous provider: ``payment_demo`` answering "pending"
(the provider accepted the charge and confirms it later). Over HTTP as the patient's browser and
the provider do it: the session stays held and says "Payment pending", the cron that frees
unpaid holds leaves it alone, then the provider's confirmation books it, or its refusal frees
it and the patient is told by e-mail (read from the tests' SMTP server)."""

import json

from odoo.tests import tagged

from .mail_common import RealMailCase
from .test_booking_payment import BookingPaymentCase
from .test_charge_rule import _text


@tagged("post_install", "-at_install")
class TestPendingPaymentAtBooking(RealMailCase, BookingPaymentCase):
    def url_open(self, *args, timeout=60, **kwargs):
        # Odoo's 12 s is too short for a page on a loaded machine (a CI runner shared).
        return super().url_open(*args, timeout=timeout, **kwargs)

    def _pending_booking(self):
        self._card("pending")
        start = self._slot()
        response = self._book(start)
        self.assertEqual(response.status_code, 200)
        session = self._booked(start)
        self.assertEqual(session.state, "draft", "held while the provider confirms")
        self.assertIn("o_clinic_payment_pending", response.text)
        self.assertIn("Payment pending", _text(response.text))
        self.assertNotIn("o_clinic_pay_now", response.text, "nothing more to pay")
        invoice = self._deposit_invoice(session)
        self.assertEqual(invoice.transaction_ids.state, "pending")
        self.assertEqual(session.prepaid_state, "pending")
        # Long past the hold: the cron that frees unpaid holds leaves a pending payment alone.
        self.env.cr.execute(
            "UPDATE account_move SET create_date = create_date - interval '2 hours' WHERE id = %s",
            [invoice.id],
        )
        self.env.invalidate_all()
        self.env.ref(
            "trigger_point_clinic.ir_cron_clinic_release_unpaid_bookings"
        ).method_direct_trigger()
        self.assertEqual(session.state, "draft")
        self.assertEqual(invoice.state, "posted")
        return session, invoice

    def _provider_says(self, transaction, outcome):
        """The provider's answer, as payment_demo receives it over HTTP, then Odoo's
        post-processing of the transaction (what its post-processing cron does)."""
        response = self.url_open(
            "/payment/demo/simulate_payment",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "reference": transaction.reference,
                        "payment_details": "4242",
                        "simulated_state": outcome,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertNotIn("error", response.json())
        self.env.invalidate_all()
        self.assertEqual(transaction.state, outcome)
        transaction._post_process()

    def test_pending_then_confirmed_books_the_session(self):
        session, invoice = self._pending_booking()
        self._provider_says(invoice.transaction_ids, "done")
        self.assertEqual(session.state, "confirmed")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        page = self.url_open(f"/my/clinic/sessions/{session.id}")
        self.assertIn("Deposit paid", page.text)
        self.assertNotIn("o_clinic_payment_pending", page.text)
        self.assertFalse(self.received(to=self.patient.email), "no mail for a booking made")

    def test_pending_then_refused_frees_the_time_and_mails_the_patient(self):
        for outcome in ("cancel", "error"):
            with self.subTest(outcome=outcome):
                self._mails_before = set(self._mail_files())
                session, invoice = self._pending_booking()
                self._provider_says(invoice.transaction_ids, outcome)
                self.assertEqual(session.state, "cancelled")
                self.assertEqual(session.cancel_party, "clinic", "no fee for a freed time")
                self.assertEqual(invoice.state, "cancel")
                page = _text(self.url_open(f"/my/clinic/sessions/{session.id}").text)
                self.assertIn("Payment not completed", page)
                self.env["mail.mail"].sudo().search(
                    [("model", "=", "clinic.session"), ("res_id", "=", session.id)]
                ).send()
                message = self.received_one(self.patient.email, subject="not completed")
                body = _text(self.html_of(message))
                self.assertIn("Nothing was charged", body)
                self.assertIn("the time was freed", body)
                self.assertTrue(self.links(message, contains="/my/clinic/book"))
                self.assertEqual(self._review(session.start).status_code, 200, "free again")
                # The next round books the same time again with a new card.
                invoice.transaction_ids.token_id.active = False
