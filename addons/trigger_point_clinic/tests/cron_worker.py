"""One "Odoo server" of the two-server cron test: runs a clinic cron in a transaction of its
own, says what it did, and commits only when told, so that the test decides the overlap.

    python3 cron_worker.py <odoo.conf> <database> <model> <method> [record id]

Prints ``RAN <n>`` (records the cron returned) or ``RAN skipped``, reads a line from standard
input, commits, prints ``DONE``.
"""

# A process of its own, not a model: its standard output is how it talks to the test, and it
# commits when the test tells it to (that is what the test is about).
# pylint: disable=print-used,invalid-commit

import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def main(config, database, model, method, record_id=None):
    odoo.tools.config.parse_config(["-c", config, "-d", database])
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        records = env[model].browse(int(record_id)) if record_id else env[model]
        result = getattr(records, method)()
        env.flush_all()
        print("RAN", "skipped" if result is None else len(result), flush=True)
        sys.stdin.readline()
        cr.commit()
    print("DONE", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
