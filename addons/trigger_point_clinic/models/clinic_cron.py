"""Clinic crons run by one server at a time, and take only the rows no other transaction holds.

Odoo locks a cron's row while the scheduler runs it, but a clinic with several Odoo servers can
still start the same work twice (a job triggered by hand, or the method called from a server
action while the scheduler runs it). Each clinic cron first takes a PostgreSQL advisory lock
for the length of its transaction; a second server that does not get it leaves the work to the
first. The constraints and unique indexes remain the guarantee behind it.
"""

import functools
import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def single_run(method):
    """Run ``method`` only if no other transaction runs it now; else log it and return None."""

    @functools.wraps(method)
    def run_once(self, *args, **kwargs):
        key = f"trigger_point_clinic:{self._name}.{method.__name__}"
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [key])
        if not self.env.cr.fetchone()[0]:
            _logger.info("%s is running in another transaction: left to it", key)
            return None
        return method(self, *args, **kwargs)

    return run_once


def lock_free(records):
    """The records of ``records`` this transaction locked (``FOR NO KEY UPDATE``): one that
    another transaction holds is skipped and left to it, never waited for."""
    if not records:
        return records
    records.flush_recordset()
    records.env.cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id = ANY(%s) FOR NO KEY UPDATE SKIP LOCKED",
            SQL.identifier(records._table),
            records.ids,
        )
    )
    locked = {row[0] for row in records.env.cr.fetchall()}
    return records.filtered(lambda record: record.id in locked)
