"""Two front-desk users booking the same slot at the same moment, in two real transactions."""

import threading
from datetime import timedelta

import psycopg2

from odoo.tests import tagged

from .common import CommittedCase


@tagged("post_install", "-at_install")
class TestConcurrentBooking(CommittedCase):
    """Works on committed data with connections of its own (the usual test transaction would
    hide one booking from the other), and removes what it made."""

    def setUp(self):
        super().setUp()
        self._committed_clinic("Concurrent")

    def _values(self, patient_id):
        return {
            "patient_id": patient_id,
            "therapist_id": self.therapist.id,
            "room_id": self.room.id,
            "start": self.start,
            "stop": self.start + timedelta(hours=1),
        }

    def test_second_transaction_cannot_book_the_same_slot(self):
        env_a, env_b = self._env(), self._env()
        first = env_a["clinic.session"].create(self._values(self.patients[0].id))
        env_a.flush_all()
        outcome = {}

        def book_in_b():
            try:
                env_b["clinic.session"].create(self._values(self.patients[1].id))
                env_b.flush_all()
                env_b.cr.commit()
                outcome["b"] = "committed"
            except psycopg2.Error as exc:
                outcome["b"] = exc
                env_b.cr.rollback()

        other = threading.Thread(target=book_in_b)
        other.start()
        other.join(timeout=2)
        self.assertTrue(other.is_alive(), "B waits for A's booking to commit or roll back")
        env_a.cr.commit()
        other.join(timeout=20)
        self.assertFalse(other.is_alive())
        self.assertIsInstance(outcome["b"], psycopg2.Error, "B must not commit a double booking")
        self.assertIn(outcome["b"].pgcode, ("23P01", "40001"), "exclusion or serialization")
        if outcome["b"].pgcode == "23P01":
            message = env_a["clinic.session"]._sql_error_to_message(outcome["b"])
            self.assertIn(f"session #{first.id}", message)

        check = self._env()
        check.cr.execute(
            "SELECT count(*) FROM clinic_session WHERE therapist_id = %s AND state != 'cancelled'",
            [self.therapist.id],
        )
        self.assertEqual(check.cr.fetchone()[0], 1)
