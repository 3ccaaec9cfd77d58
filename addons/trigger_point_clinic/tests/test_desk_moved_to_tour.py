"""The front desk moves a session paid at online booking in Chromium: books the new time, cancels
the old session with *Moved To* on the cancel dialog, and sees *Deposit paid* on the new one
(static/tests/tours/desk_moved_to.js)."""

from odoo.tests import tagged

from .test_booking_deposit_moves import DepositMoveCase


@tagged("post_install", "-at_install")
class TestDeskMovedToTour(DepositMoveCase):
    def test_front_desk_moves_a_session_paid_at_booking(self):
        old = self._paid_booking(self._slot(2, 10))
        old.room_id = self.room  # the tour tells the two sessions apart by their rooms
        invoice = self._deposit_invoice(old)
        self.start_tour("/odoo", "trigger_point_clinic_desk_moved_to", login="clinic_front_desk")
        self.assertEqual(old.state, "cancelled")
        new = self.env["clinic.session"].search(
            [("patient_id", "=", self.patient.id), ("room_id", "=", self.room_2.id)]
        )
        self.assertEqual((new.state, new.prepaid_state), ("confirmed", "deposit"))
        self.assertEqual(self._deposit_invoice(new), invoice, "the same invoice pays it")
        self.assertFalse(self._run(old), "the old session: nothing credited")
