"""Two front-desk users booking the same slot at the same moment, in two real transactions."""

import threading
from datetime import timedelta

import psycopg2

from odoo.exceptions import ValidationError
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

        self._second_waits_for_first(env_a, book_in_b, "booking")
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


@tagged("post_install", "-at_install")
class TestManyDesksAtOnce(CommittedCase):
    """Twenty front desks book the same slots at once, each crossing two therapists and two
    rooms (the two exclusion constraints), in transactions of their own."""

    DESKS = 20
    SLOTS = 5

    def setUp(self):
        super().setUp()
        self._committed_clinic("Crowded")
        env = self._env()
        self.therapists = self.therapist.with_env(env) | env["clinic.therapist"].create(
            {"name": "Crowded Second Therapist", "calendar_id": self.therapist.calendar_id.id}
        )
        self.rooms = self.room.with_env(env) | env["clinic.room"].create(
            {"name": "Crowded Second Room", "calendar_id": self.room.calendar_id.id}
        )
        env.cr.commit()
        self.addCleanup(self._remove_second, self.therapists[1].id, self.rooms[1].id)

    def _remove_second(self, therapist_id, room_id):
        env = self._env()
        env["clinic.session"].search([("therapist_id", "=", therapist_id)]).unlink()
        env["clinic.session"].search([("room_id", "=", room_id)]).unlink()
        env["clinic.therapist"].browse(therapist_id).unlink()
        env["clinic.room"].browse(room_id).unlink()
        env.cr.commit()

    def test_twenty_desks_on_the_same_slots_never_deadlock(self):
        barrier = threading.Barrier(self.DESKS)
        outcomes = []

        def desk(index):
            env = self._env()
            therapist = self.therapists[index % 2].id
            room = self.rooms[(index // 2) % 2].id
            patient = self.patients[index % 2].id
            barrier.wait()
            for slot in range(self.SLOTS):
                start = self.start + timedelta(hours=slot)
                try:
                    env["clinic.session"].create(
                        {
                            "patient_id": patient,
                            "therapist_id": therapist,
                            "room_id": room,
                            "start": start,
                            "stop": start + timedelta(hours=1),
                        }
                    )
                    env.flush_all()
                    env.cr.commit()
                    outcomes.append("booked")
                except (psycopg2.Error, ValidationError) as exc:
                    env.cr.rollback()
                    env.invalidate_all()
                    outcomes.append(getattr(exc, "pgcode", None) or "refused")

        threads = [threading.Thread(target=desk, args=(i,)) for i in range(self.DESKS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(len(outcomes), self.DESKS * self.SLOTS)
        self.assertNotIn("40P01", outcomes, "deadlock detected")
        check = self._env()
        check.cr.execute(
            """
            SELECT start, count(*) FROM clinic_session
             WHERE therapist_id = ANY(%s) AND state != 'cancelled' GROUP BY start
            """,
            [self.therapists.ids],
        )
        per_slot = dict(check.cr.fetchall())
        self.assertEqual(sorted(per_slot.values()), [2] * self.SLOTS, outcomes)
        self.assertEqual(outcomes.count("booked"), 2 * self.SLOTS)
