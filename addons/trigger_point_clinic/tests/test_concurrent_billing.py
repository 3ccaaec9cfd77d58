"""Two billing runs over the same sessions at the same moment, in two real transactions."""

import psycopg2

from odoo.tests import tagged

from .billing_race import BillingRaceCase


@tagged("post_install", "-at_install")
class TestConcurrentBilling(BillingRaceCase):
    """Two billing runs of the same committed sessions."""

    def _billed_lines(self):
        check = self._env()
        check.cr.execute(
            "SELECT clinic_session_id, count(*) FROM account_move_line "
            "WHERE clinic_session_id = ANY(%s) GROUP BY clinic_session_id",
            [self.session_ids],
        )
        return dict(check.cr.fetchall())

    def test_concurrent_run_skips_what_the_other_bills_and_bills_nothing_twice(self):
        env_a, env_b = self._env(), self._env()
        moves = self._run(env_a)
        self.assertEqual(len(moves.invoice_line_ids), 3)
        # B runs while A's run is not committed yet: it does not wait, bills nothing, and
        # lists each session as left to the next run.
        self.assertFalse(self._run(env_b))
        run_b = env_b["clinic.billing.run"].search([], limit=1)
        self.assertEqual(len(run_b.skip_ids), 3)
        self.assertEqual(set(run_b.skip_ids.mapped("reason")), {run_b.skip_ids[0].reason})
        self.assertIn("someone else", run_b.skip_ids[0].reason)
        env_b.cr.rollback()
        env_a.cr.commit()
        # B again, now that A committed: nothing left to bill.
        self.assertFalse(self._run(env_b))
        env_b.cr.commit()
        self.assertEqual(self._billed_lines(), dict.fromkeys(self.session_ids, 1))

    def test_session_being_saved_is_left_out_and_the_rest_billed(self):
        env_a, env_edit = self._env(), self._env()
        # Someone saves one session (its row is locked until they commit).
        env_edit["clinic.session"].browse(self.session_ids[0]).write({"note": "Arrived late"})
        env_edit.flush_all()
        moves = self._run(env_a)
        self.assertEqual(len(moves.invoice_line_ids), 2, "the other two sessions are billed")
        run = env_a["clinic.billing.run"].search([], limit=1)
        self.assertEqual(run.skip_ids.session_id.ids, [self.session_ids[0]])
        env_a.cr.commit()
        env_edit.cr.commit()
        # The next run bills what was left.
        env_next = self._env()
        self.assertEqual(len(self._run(env_next).invoice_line_ids), 1)
        env_next.cr.commit()
        self.assertEqual(self._billed_lines(), dict.fromkeys(self.session_ids, 1))

    def test_run_whose_snapshot_predates_the_other_commit_bills_nothing(self):
        env_a, env_b = self._env(), self._env()
        # B's transaction starts (its snapshot is taken) before A bills and commits.
        env_b.cr.execute("SELECT count(*) FROM clinic_session")
        self._run(env_a)
        env_a.cr.commit()
        # PostgreSQL refuses B's lock on rows changed since its snapshot; Odoo answers this
        # error by running the request again, in a new transaction that sees A's invoices.
        with self.assertRaises(psycopg2.errors.SerializationFailure):
            self._run(env_b)
        env_b.cr.rollback()
        self.assertFalse(self._run(env_b))
        env_b.cr.commit()
        self.assertEqual(self._billed_lines(), dict.fromkeys(self.session_ids, 1))
