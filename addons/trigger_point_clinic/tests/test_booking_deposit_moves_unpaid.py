"""A session held for a deposit invoice that is posted but not paid yet (the patient left the
payment form, or the payment is pending at the provider) and moved: the hold and the amount due
follow the new session, the old one is cancelled by the move without a fee, nothing is billed or
charged twice, and paying the same invoice once books the new session. And the moved line names
the session it pays, on the patient's invoice page and in the invoice's report."""

from odoo.tests import tagged

from .common import csrf_of
from .test_booking_deposit_moves import DepositMoveCase
from .test_charge_rule import _text

DUE = r"25\.20\s?\S* still to pay for this booking"


class UnpaidMoveCase(DepositMoveCase):
    def _held_booking(self, start):
        """A session booked online and left on Odoo's payment form: held, invoice unpaid."""
        self._book(start, use_card="0")
        session = self._booked(start)
        self.assertEqual((session.state, session.prepaid_state), ("draft", "awaiting"))
        invoice = self._deposit_invoice(session)
        self.assertEqual((invoice.state, invoice.payment_state), ("posted", "not_paid"))
        return session, invoice

    def _move_on_the_portal(self, old, new_start):
        page = self.url_open(
            f"/my/clinic/book?session_id={old.id}&therapist_id={self.therapist.id}"
        )
        self.assertEqual(page.status_code, 200, _text(page.text)[-800:])
        response = self.url_open(
            "/my/clinic/book",
            data={
                "csrf_token": csrf_of(page.text),
                "therapist_id": self.therapist.id,
                "start": new_start.strftime("%Y-%m-%d %H:%M:%S"),
                "session_id": old.id,
            },
        )
        self.assertEqual(response.status_code, 200, _text(response.text)[-800:])
        return _text(page.text), response

    def _pay(self, invoice, landing):
        self._pay_invoice(invoice, landing)

    def _billed_once(self, old, new, invoice):
        """The new session billed once, the deposit deducted; the old one neither billed nor
        credited; the deposit invoice paid by one transaction."""
        self.assertEqual(len(invoice.transaction_ids.filtered(lambda t: t.state == "done")), 1)
        self._close(new, "done")
        bill = self._run(new)
        self.assertEqual(len(bill), 1)
        self.assertAlmostEqual(bill.amount_total, 84.0 - 25.20, msg="the deposit deducted")
        self.assertFalse(self._run(old), "the old session: no fee, nothing credited")
        self.assertFalse(self._credits(old))


@tagged("post_install", "-at_install")
class TestUnpaidDepositMovesOnThePortal(UnpaidMoveCase):
    def test_the_hold_and_the_amount_due_follow_the_session_the_patient_moves(self):
        old, invoice = self._held_booking(self._slot(2, 10))
        new_start = self._slot(3, 14)
        text, response = self._move_on_the_portal(old, new_start)
        self.assertRegex(text, DUE, "the move page says what happens to the amount due")
        self.assertIn(invoice.name, text, "the invoice the figure comes from")
        self.assertNotIn("is credited", text)
        self.assertNotIn("moves with the session to its new time", text.replace(DUE, ""))
        new = self._booked(new_start)
        self.assertNotEqual(new, old)
        self.assertEqual(old.state, "cancelled")
        self.assertFalse(old.late_cancel)
        self.assertEqual((new.state, new.prepaid_state), ("draft", "awaiting"), "still held")
        self.assertIn("o_clinic_pay_now", response.text, "the new session asks to be paid")
        self.assertEqual(self._deposit_invoice(new), invoice, "the same invoice")
        self.assertEqual((invoice.state, invoice.amount_residual), ("posted", 25.20))
        self.assertFalse(old.prepaid_state)
        self._pay(invoice, f"/my/clinic/sessions/{new.id}")
        self.assertEqual((new.state, new.prepaid_state), ("confirmed", "deposit"))
        self.assertEqual(new.prepaid_amount, 25.20)
        self.assertEqual(old.state, "cancelled", "paying does not bring the old time back")
        self._billed_once(old, new, invoice)

    def test_a_late_move_of_a_held_time_costs_no_fee(self):
        """A time held for its payment is not booked yet: moving it is never a late
        cancellation."""
        old, invoice = self._held_booking(self._slot(2, 10))
        self.company.clinic_late_cancel_hours = 24 * 30
        new_start = self._slot(3, 14)
        text, _response = self._move_on_the_portal(old, new_start)
        self.assertRegex(text, DUE)
        self.assertNotIn("a fee of", text)
        new = self._booked(new_start)
        self.assertEqual(old.state, "cancelled")
        self.assertFalse(old.late_cancel, "no late cancellation")
        self.assertEqual(self._deposit_invoice(new), invoice)
        self._pay(invoice, f"/my/clinic/sessions/{new.id}")
        self.assertEqual(new.state, "confirmed")
        self._billed_once(old, new, invoice)

    def test_a_payment_pending_at_the_provider_follows_the_session(self):
        old, invoice = self._held_booking(self._slot(2, 10))
        transaction = self._pending(invoice)
        self.assertEqual(old.prepaid_state, "pending")
        new_start = self._slot(3, 14)
        text, response = self._move_on_the_portal(old, new_start)
        self.assertRegex(text, DUE)
        new = self._booked(new_start)
        self.assertEqual((new.state, new.prepaid_state), ("draft", "pending"))
        self.assertIn("o_clinic_payment_pending", response.text)
        booking = self.env["clinic.online.booking"]
        self.env.cr.execute(
            "UPDATE account_move SET create_date = create_date - interval '2 hours' WHERE id = %s",
            [invoice.id],
        )
        invoice.invalidate_recordset(["create_date"])
        self.assertFalse(booking._cron_release_unpaid_bookings(), "a pending payment waits")
        transaction._set_done()
        transaction._post_process()
        self.assertEqual((new.state, new.prepaid_state), ("confirmed", "deposit"))
        self._billed_once(old, new, invoice)

    def _pending(self, invoice):
        values = invoice._clinic_charge_values(self._card("pending"))
        transaction = invoice._clinic_create_transactions([values])
        transaction._set_pending()
        return transaction


@tagged("post_install", "-at_install")
class TestUnpaidDepositMovesAtTheDesk(UnpaidMoveCase):
    def test_the_hold_follows_the_new_session_the_desk_books_instead(self):
        old, invoice = self._held_booking(self._slot(2, 10))
        later = self._slot(3, 15)
        new_id = self._desk_books(old, later)
        self._desk_cancels_as_moved(old, new_id)
        new = self.env["clinic.session"].browse(new_id)
        self.assertEqual(old.state, "cancelled")
        self.assertEqual(self._deposit_invoice(new), invoice)
        self.assertEqual((new.state, new.prepaid_state), ("draft", "awaiting"))
        self.authenticate("sol", "sol")
        self._pay(invoice, f"/my/clinic/sessions/{new.id}")
        self.assertEqual((new.state, new.prepaid_state), ("confirmed", "deposit"))
        self._billed_once(old, new, invoice)


@tagged("post_install", "-at_install")
class TestMovedDepositLabel(UnpaidMoveCase):
    def test_the_moved_line_names_the_new_time_on_the_invoice_page_and_report(self):
        old = self._paid_booking(self._slot(2, 10))
        old_label = old._billing_label()
        invoice = self._deposit_invoice(old)
        new_start = self._slot(3, 14)
        self._move_on_the_portal(old, new_start)
        new = self._booked(new_start)
        self.assertEqual(self._deposit_invoice(new), invoice)
        new_label = new._billing_label()
        page = self.url_open(f"/my/invoices/{invoice.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("report_type=html", page.text, "the page shows the invoice's report")
        text = _text(self.url_open(f"/my/invoices/{invoice.id}?report_type=html").text)
        self.assertIn(f"Deposit: {new_label}", text)
        self.assertNotIn(old_label, text)
        # The HTML the invoice's PDF is printed from (wkhtmltopdf's PDF gives pypdf no text).
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", invoice.ids
        )
        text = _text(str(html))
        self.assertIn(self._when(new), text)
        self.assertNotIn(self._when(old), text)

    def _when(self, session):
        local = session.company_id._clinic_local_datetime(session.start)
        return local.strftime("%a %d %b %Y %H:%M")
