from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ScheduleCase
from .payment_common import DemoPaymentMixin


@tagged("post_install", "-at_install")
class TestDeskCheckoutTours(DemoPaymentMixin, ScheduleCase, HttpCase):
    """The front desk's checkout in Chromium (static/tests/tours/desk_checkout_*)."""

    def test_front_desk_checks_out_charging_the_saved_card(self):
        """A session not billed yet could not be paid at checkout: there was no invoice to
        pay until the billing run."""
        self.company.write({"clinic_require_signed_note": False, "clinic_invoice_post": False})
        self._enable_demo_provider()
        token = self._save_card(self.patient_2)
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        tom = self._book(
            self._local(now),
            state="in_progress",
            patient_id=self.patient_2.id,
            therapist_id=self.therapist_2.id,
            room_id=self.room_2.id,
            forced_schedule=True,
        )
        tom._desk_mark("arrived_at")
        tom.action_done()
        price = tom.session_price
        self.assertTrue(price)

        self.start_tour(
            "/odoo", "trigger_point_clinic_checkout_saved_card", login="clinic_front_desk"
        )

        self.assertTrue(tom.left_at)
        invoice = tom._billed_lines("session").move_id
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(invoice.amount_total, price)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        charge = self.env["payment.transaction"].search([("clinic_invoice_id", "=", invoice.id)])
        self.assertEqual((charge.token_id, charge.state), (token, "done"))

    def test_an_empty_day_says_so_and_the_calendar_books_a_session(self):
        """The calendar's booking popup was titled "New Event", and a day without sessions
        was a blank area on the day schedule and the calendar."""
        self.start_tour(
            "/odoo", "trigger_point_clinic_schedule_empty_day", login="clinic_front_desk"
        )
