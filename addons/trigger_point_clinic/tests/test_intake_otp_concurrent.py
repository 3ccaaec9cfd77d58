"""The intake's one-time code under concurrent requests: every wrong code counts, and
parallel requests send one code."""

import random
import threading
import time
from unittest.mock import patch

import psycopg2

from odoo.tests import tagged

from ..models.clinic_intake_code import MAX_ATTEMPTS, ClinicIntakeCode
from .common import CommittedCase


@tagged("post_install", "-at_install")
class TestIntakeOtpConcurrency(CommittedCase):
    """Guesses and sendings at the same moment, in real transactions of their own: the limits
    hold (works on committed data and removes what it made)."""

    def setUp(self):
        super().setUp()
        env = self._env()
        self.email = "race@patient.example.com"
        patient = env["clinic.patient"].create({"name": "Rita Race", "email": self.email})
        self.intake = env["clinic.intake"].create({"patient_id": patient.id})
        self.token = self.intake._portal_ensure_token()
        env.cr.commit()
        self.addCleanup(self._remove, patient.id)

    def _remove(self, patient_id):
        env = self._env()
        env["mail.mail"].search([("email_to", "=", self.email)]).unlink()
        intake = self.intake.with_env(env)
        env["clinic.intake.code"].search([("intake_id", "=", intake.id)]).unlink()
        intake.unlink()
        env["clinic.patient"].browse(patient_id).unlink()
        env.cr.commit()

    def _at_once(self, count, call):
        """Run ``call(env)`` in ``count`` transactions at once, each retried on a
        serialization failure as Odoo retries a request, and committed. Returns the results."""
        envs = [self._env() for _n in range(count)]
        start = threading.Barrier(count)
        results = [None] * count

        def run(index):
            env = envs[index]
            start.wait()
            for attempt in range(8):
                try:
                    results[index] = call(env)
                    env.cr.commit()
                    return
                except psycopg2.errors.SerializationFailure:
                    env.cr.rollback()
                    env.invalidate_all()
                    # Odoo waits a random while before it retries, longer each time.
                    time.sleep(random.uniform(0, 0.05 * 2**attempt))
            results[index] = "gave up"

        threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return results

    def test_parallel_wrong_codes_each_count(self):
        env = self._env()
        with patch.object(ClinicIntakeCode, "_new_code", lambda self: "123456"):
            self.assertIsNone(
                env["clinic.intake.code"]._send(self.intake.with_env(env), self.token)
            )
        env.cr.commit()
        results = self._at_once(
            8,
            lambda env: env["clinic.intake.code"]._check(
                self.intake.with_env(env), self.token, "654321"
            ),
        )
        self.assertTrue(all(result[0] is False for result in results), results)
        counted = [r for r in results if "not the code" in r[1] or "wrong codes" in r[1]]
        self.assertEqual(len(counted), MAX_ATTEMPTS, results)
        check = self._env()
        code = check["clinic.intake.code"].search([("intake_id", "=", self.intake.id)])
        self.assertEqual(code.attempts, MAX_ATTEMPTS)
        self.assertTrue(code.void)
        right, _message = check["clinic.intake.code"]._check(
            self.intake.with_env(check), self.token, "123456"
        )
        self.assertFalse(right, "after five wrong codes, the right one is too late")

    def test_parallel_requests_send_one_code(self):
        results = self._at_once(
            4, lambda env: env["clinic.intake.code"]._send(self.intake.with_env(env), self.token)
        )
        self.assertEqual(results.count(None), 1, results)
        for result in results:
            if result is not None:
                self.assertEqual(result[1], 429, results)
        check = self._env()
        self.assertEqual(
            check["clinic.intake.code"].search_count([("intake_id", "=", self.intake.id)]), 1
        )
