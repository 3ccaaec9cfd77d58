"""A session paid at online booking (a deposit, or its full price) keeps its payment when it is
moved: by the patient on the portal (HTTP, as the patient's browser does it) and by the front
desk (JSON-RPC, as its client does it). The new session shows the payment, and the billing run
neither credits the old session nor bills the new one in full."""

from datetime import timedelta

from odoo.tests import tagged

from .common import csrf_of, post_booking
from .rpc_common import call_kw
from .test_booking_payment import BookingPaymentCase
from .test_charge_rule import _text


class DepositMoveCase(BookingPaymentCase):
    def url_open(self, *args, timeout=60, **kwargs):
        # Odoo's 12 s is too short for a page on a loaded machine (a CI runner shared).
        return super().url_open(*args, timeout=timeout, **kwargs)

    def _paid_booking(self, start):
        self._card("done")
        self.assertIn("Paid: your session is booked", self._book(start).text)
        session = self._booked(start)
        self.assertEqual(session.prepaid_state, "deposit")
        return session

    def _assert_deposit_deducted_from(self, new, old):
        """``new``, done, is billed once, less the deposit paid for ``old``; ``old`` is billed
        nothing and credited nothing."""
        self._close(new, "done")
        bill = self._run(new)
        self.assertEqual(len(bill), 1)
        self.assertAlmostEqual(bill.amount_total, 84.0 - 25.20, msg="the deposit deducted")
        self.assertFalse(self._run(old), "the old session: nothing credited")
        self.assertFalse(self._credits(old))

    def _desk_ok(self, body):
        """The result of a JSON-RPC call the desk expects to succeed."""
        self.assertNotIn("error", body, body.get("error"))
        return body["result"]

    def _desk_books(self, old, later):
        """As the front desk over JSON-RPC: a new session of ``old``'s patient, therapist and
        room at ``later``; its id."""
        self.authenticate(self.user_front_desk.login, self.user_front_desk.login)
        return self._desk_ok(
            call_kw(
                self,
                "clinic.session",
                "create",
                [
                    {
                        "patient_id": self.patient.id,
                        "therapist_id": self.therapist.id,
                        "room_id": old.room_id.id,
                        "start": later.strftime("%Y-%m-%d %H:%M:%S"),
                        "stop": (later + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
                    }
                ],
            )
        )

    def _desk_cancels_as_moved(self, old, new_id):
        """As the front desk: cancel ``old`` at the patient's request, *Moved To* ``new_id``."""
        wizard_id = self._desk_ok(
            call_kw(
                self,
                "clinic.session.cancel",
                "create",
                [
                    {
                        "session_ids": [[6, 0, old.ids]],
                        "party": "patient",
                        "reason": "Moved by phone",
                        "moved_to_id": new_id,
                    }
                ],
            )
        )
        self._desk_ok(call_kw(self, "clinic.session.cancel", "action_confirm", [[wizard_id]]))

    def _credits(self, session):
        return self.env["account.move.line"].search(
            [
                ("clinic_session_id", "=", session.id),
                ("move_id.move_type", "=", "out_refund"),
            ]
        )


@tagged("post_install", "-at_install")
class TestDepositMovesOnThePortal(DepositMoveCase):
    def test_the_deposit_follows_the_session_the_patient_moves(self):
        old = self._paid_booking(self._slot(2, 10))
        new_start = self._slot(3, 14)
        page = self.url_open(
            f"/my/clinic/book?session_id={old.id}&therapist_id={self.therapist.id}"
        )
        self.assertEqual(page.status_code, 200)
        text = _text(page.text)
        # The currency's symbol stands before or after the amount (the demo clinic is in euros).
        self.assertRegex(text, r"25\.20\s?\S* you paid at booking moves with the session")
        self.assertNotIn("is credited", text, "the move page does not offer it as a credit")
        response = post_booking(
            self, csrf_of(page.text), self.therapist, new_start, session_id=old.id
        )
        self.assertEqual(response.status_code, 200, _text(response.text)[-800:])
        self.assertIn("Your session was moved", response.text)
        new = self._booked(new_start)
        self.assertNotEqual(new, old)
        self.assertEqual(old.state, "cancelled")
        self.assertEqual(new.state, "confirmed")
        self.assertIn("Deposit paid", response.text, "the new session shows the deposit")
        self.assertEqual(new.prepaid_state, "deposit")
        self.assertEqual(new.prepaid_amount, 25.20)
        self.assertFalse(old.prepaid_state)
        self._assert_deposit_deducted_from(new, old)


@tagged("post_install", "-at_install")
class TestDepositMovesAtTheDesk(DepositMoveCase):
    def test_the_deposit_follows_the_session_the_desk_moves(self):
        session = self._paid_booking(self._slot(2, 10))
        later = self._slot(3, 15)
        self.authenticate(self.user_front_desk.login, self.user_front_desk.login)
        body = call_kw(
            self,
            "clinic.session",
            "write",
            [
                session.ids,
                {
                    "start": later.strftime("%Y-%m-%d %H:%M:%S"),
                    "stop": (later + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
                },
            ],
        )
        self.assertNotIn("error", body, body.get("error"))
        body = call_kw(
            self,
            "clinic.session",
            "read",
            [session.ids, ["start", "state", "prepaid_state", "prepaid_amount"]],
        )
        self.assertNotIn("error", body, body.get("error"))
        (row,) = body["result"]
        self.assertEqual(row["start"], later.strftime("%Y-%m-%d %H:%M:%S"))
        self.assertEqual((row["state"], row["prepaid_state"]), ("confirmed", "deposit"))
        self.assertEqual(row["prepaid_amount"], 25.20)
        self._close(session, "done")
        bill = self._run(session)
        self.assertAlmostEqual(bill.amount_total, 84.0 - 25.20, msg="the deposit deducted")
        self.assertFalse(self._credits(session))

    def test_the_deposit_follows_the_new_session_the_desk_books_instead(self):
        """The patient phones; the desk books the new time, then cancels the old session as
        moved to it (the cancel dialog's *Moved To*)."""
        old = self._paid_booking(self._slot(2, 10))
        later = self._slot(3, 15)
        new_id = self._desk_books(old, later)
        self._desk_ok(call_kw(self, "clinic.session", "action_confirm", [[new_id]]))
        self._desk_cancels_as_moved(old, new_id)
        (row,) = self._desk_ok(
            call_kw(
                self,
                "clinic.session",
                "read",
                [[new_id, old.id], ["state", "prepaid_state", "prepaid_amount"]],
            )
        )[:1]
        self.assertEqual((row["state"], row["prepaid_state"]), ("confirmed", "deposit"))
        self.assertEqual(row["prepaid_amount"], 25.20)
        self.assertEqual(old.state, "cancelled")
        new = self.env["clinic.session"].browse(new_id)
        self._assert_deposit_deducted_from(new, old)

    def test_a_therapist_cannot_move_a_payment(self):
        session = self._paid_booking(self._slot(2, 10))
        self.authenticate(self.user_therapist.login, self.user_therapist.login)
        body = call_kw(
            self,
            "clinic.session.cancel",
            "create",
            [
                {
                    "session_ids": [[6, 0, session.ids]],
                    "party": "patient",
                    "reason": "Moved",
                    "moved_to_id": session.id,
                }
            ],
        )
        self.assertIn("error", body)
        self.env.invalidate_all()
        self.assertEqual(session.state, "confirmed")
        self.assertEqual(session.prepaid_state, "deposit")
