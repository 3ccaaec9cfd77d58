"""Two patients booking the same free time on the portal at the same moment, in two real
transactions: one gets the session, the other a clear message."""

from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CommittedCase


@tagged("post_install", "-at_install")
class TestConcurrentPortalBooking(CommittedCase):
    """Works on committed data with connections of its own, and removes what it made (the
    patients, whose submitted intakes are part of the health record, are archived)."""

    def setUp(self):
        super().setUp()
        self._committed_clinic("Portal Race", submit_intakes=True)

    def _book(self, env, patient):
        """As the portal's POST does, including Odoo's retry of a serialization failure."""

        def book():
            try:
                booking = env["clinic.online.booking"]
                return booking._book(
                    patient.with_env(env), self.therapist.with_env(env), self.start
                ).id
            except UserError as exc:
                env.cr.rollback()
                return exc.args[0]

        return self._retried(env, book)

    def test_one_patient_gets_the_time_the_other_a_clear_message(self):
        env_a, env_b = self._env(), self._env()
        first = env_a["clinic.online.booking"]._book(
            self.patients[0].with_env(env_a), self.therapist.with_env(env_a), self.start
        )
        env_a.flush_all()
        outcome = {}

        def book_in_b():
            outcome["b"] = self._book(env_b, self.patients[1])

        self._second_waits_for_first(env_a, book_in_b, "booking")
        self.assertIsInstance(outcome["b"], str, "B must not book the same time")
        self.assertIn("this time has just been taken", outcome["b"])
        self.assertIn("choose another of the free times", outcome["b"])

        check = self._env()
        sessions = check["clinic.session"].search(
            [("therapist_id", "=", self.therapist.id), ("state", "!=", "cancelled")]
        )
        self.assertEqual(sessions.ids, [first.id])
        self.assertEqual(sessions.patient_id, self.patients[0].with_env(check))
        self.assertEqual(sessions.state, "confirmed")
        # B's fresh free times leave the taken one out.
        free = check["clinic.online.booking"]._free_slots(
            self.patients[1].with_env(check),
            self.therapist.with_env(check),
            date_from=self.start - timedelta(hours=2),
            date_to=self.start + timedelta(hours=3),
        )
        starts = {slot["start"] for slot in free}
        self.assertNotIn(self.start, starts)
        self.assertIn(self.start + timedelta(hours=1), starts)
