"""Tamper evidence under load: signings and chaining batches in real concurrent transactions
never wait on each other nor fork the chain of seals."""

import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CommittedCase


@tagged("post_install", "-at_install")
class TestSealingAtOnce(CommittedCase):
    """Signing and chaining in real concurrent transactions, on demo notes, committed; the
    rows the tests add are removed afterwards."""

    def _head(self, env, company):
        env.cr.execute(
            "SELECT sequence, seal_hash FROM clinic_record_seal_head WHERE company_id = %s",
            [company.id],
        )
        return env.cr.fetchone()

    def _start(self):
        """The first transaction, two signed demo notes of one company; the chain linked up to
        now and committed, and its state restored at the end."""
        env = self._env()
        notes = env["clinic.treatment.note"].search([("state", "=", "signed")], limit=2)
        company = notes.company_id
        env["clinic.record.seal"]._chain(company)
        env.cr.execute("SELECT coalesce(max(id), 0) FROM clinic_record_seal")
        last_id = env.cr.fetchone()[0]
        head = self._head(env, company)
        env.cr.commit()
        self.addCleanup(self._restore, company.id, head, last_id)
        return env, notes, company, head

    def _restore(self, company_id, head, last_id):
        """Remove the seals the test added, as a database owner (triggers off)."""
        env = self._env()
        env.cr.execute("SET LOCAL session_replication_role = replica")
        env.cr.execute("DELETE FROM clinic_record_seal WHERE id > %s", [last_id])
        env.cr.execute(
            "UPDATE clinic_record_seal_head SET sequence = %s, seal_hash = %s "
            "WHERE company_id = %s",
            [head[0], head[1], company_id],
        )
        env.cr.commit()

    def test_two_signings_at_once_never_wait_on_each_other(self):
        """The first signer's transaction stays open; the second signs and commits within a
        100 ms lock timeout (sealing at signing made it wait on the chain head, then fail to
        serialise). The batch then links both, in the order they were signed."""
        first, (one, two), company, head = self._start()
        second = self._env()
        first["clinic.record.seal"]._seal(one)
        second.cr.execute("SET LOCAL lock_timeout = '100ms'")
        second["clinic.record.seal"]._seal(second["clinic.treatment.note"].browse(two.id))
        second.cr.commit()
        first.cr.commit()

        check = self._env()
        self.assertEqual(check["clinic.record.seal"]._chain(company), 2)
        verification = check["clinic.record.verification"]._verify(company)
        self.assertEqual(verification.state, "intact", verification.problems)
        check.cr.execute(
            """
            SELECT res_id, sequence, previous_hash FROM clinic_record_seal
             WHERE company_id = %s AND sequence > %s ORDER BY sequence
            """,
            [company.id, head[0]],
        )
        (first_id, one_seq, one_prev), (second_id, two_seq, _prev) = check.cr.fetchall()
        self.assertEqual((first_id, second_id), (one.id, two.id))
        self.assertEqual((one_seq, two_seq), (head[0] + 1, head[0] + 2))
        self.assertEqual(one_prev, head[1])
        check.cr.rollback()

    def test_two_batches_at_once_do_not_fork_the_chain(self):
        first, (one, _two), company, head = self._start()
        first["clinic.record.seal"]._seal(one)
        first.cr.commit()
        second = self._env()
        # The second batch has begun (it read the chain) when the first one links.
        self.assertEqual(self._head(second, company), head)
        self.assertEqual(first["clinic.record.seal"]._chain(company), 1)
        first.cr.commit()
        with self.assertRaises(psycopg2.errors.SerializationFailure), mute_logger("odoo.sql_db"):
            second["clinic.record.seal"]._chain(company)
        second.cr.rollback()
        # Odoo runs the refused cron again: nothing is left to link.
        self.assertEqual(second["clinic.record.seal"]._chain(company), 0)
        second.cr.commit()
        check = self._env()
        check.cr.execute(
            "SELECT sequence, previous_hash FROM clinic_record_seal WHERE company_id = %s "
            "AND sequence > %s",
            [company.id, head[0]],
        )
        self.assertEqual(check.cr.fetchall(), [(head[0] + 1, head[1])])
