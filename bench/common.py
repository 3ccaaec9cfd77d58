"""What the benchmarks share: a throw-away copy of the database they are given."""

import contextlib
import importlib.util
from pathlib import Path

import psycopg2

import odoo
from odoo.modules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent


def admin_sql(dbname, statement):
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(statement)
    conn.close()


@contextlib.contextmanager
def database_copy(database, suffix):
    """The registry of a copy of ``database`` (Odoo configured from the project's odoo.conf),
    dropped on exit."""
    copy = f"{database}_{suffix}"
    odoo.tools.config.parse_config(["-c", str(ROOT / "odoo.conf"), "-d", copy])
    admin_sql("postgres", f'DROP DATABASE IF EXISTS "{copy}"')
    admin_sql("postgres", f'CREATE DATABASE "{copy}" TEMPLATE "{database}"')
    try:
        yield Registry(copy), copy
    finally:
        odoo.sql_db.close_db(copy)
        admin_sql("postgres", f'DROP DATABASE IF EXISTS "{copy}"')


def work_calendar(env, days, hour_from, hour_to, name="Bench hours", tz=None):
    """A resource calendar open ``hour_from``-``hour_to`` on the first ``days`` days of the week
    (0 is Monday), in ``tz`` (by default the company's timezone)."""
    attendances = [
        odoo.fields.Command.create(
            {"name": f"d{day}", "dayofweek": str(day), "hour_from": hour_from, "hour_to": hour_to}
        )
        for day in range(days)
    ]
    return env["resource.calendar"].create(
        {"name": name, "tz": tz or env.company._clinic_tz().zone, "attendance_ids": attendances}
    )


def clinic_workflow():
    """The addon's private workflow path (importable once ``database_copy`` configured Odoo)."""
    from odoo.addons.trigger_point_clinic.models.clinic_workflow import workflow

    return workflow


@contextlib.contextmanager
def streaming_replica(database):
    """A streaming replica of the PostgreSQL cluster that holds ``database`` (the tests' harness,
    ``tests/replica_common.py``: ``pg_basebackup -R``, 127.0.0.1, under ``.clinic/``), started
    once Odoo is configured, stopped and removed on exit."""
    path = ROOT / "addons" / "trigger_point_clinic" / "tests" / "replica_common.py"
    spec = importlib.util.spec_from_file_location("clinic_replica_common", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    replica = module.StreamingReplica(database)
    replica.check()
    try:
        replica.start()
        yield replica
    finally:
        replica.stop()
