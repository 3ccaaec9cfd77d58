"""What the tests of frozen records share: refusals by PostgreSQL (by a frozen record's trigger,
a unique rule, any constraint), and a literal of each column type to write where a column is
NULL."""

from contextlib import contextmanager

import psycopg2

from odoo.tools import mute_logger

# A literal of each PostgreSQL type, for a column that is NULL (a value is set to NULL).
SQL_LITERALS = {
    "integer": "1",
    "bigint": "1",
    "smallint": "1",
    "numeric": "1",
    "double precision": "1",
    "boolean": "true",
    "character varying": "'x'",
    "text": "'x'",
    "date": "'2000-01-01'",
    "timestamp without time zone": "'2000-01-01'",
    "jsonb": "'{}'",
    "bytea": "'x'",
}


@contextmanager
def refused_in_sql(case, error=psycopg2.Error, **subtest):
    """For a test ``case``: PostgreSQL refuses the SQL run inside with ``error`` (a subtest
    named by ``subtest``, if any), and it is undone; yields what was caught."""
    with (
        case.subTest(**subtest),
        case.assertRaises(error) as caught,
        mute_logger("odoo.sql_db"),
        case.env.cr.savepoint(),
    ):
        yield caught


def refused_each_in_sql(case, statements, params, error=psycopg2.Error):
    """For a test ``case``: PostgreSQL refuses each of the SQL ``statements`` run with
    ``params`` with ``error`` (a subtest each), and each is undone."""
    for statement in statements:
        with refused_in_sql(case, error, statement=statement):
            case.env.cr.execute(statement, params)


@contextmanager
def refused_by_postgresql(case, what):
    """For a test ``case``: the SQL run inside is refused by a frozen record's trigger (an
    integrity error saying "frozen"), and undone."""
    with refused_in_sql(case, sql=what) as caught:
        yield
    case.assertEqual(caught.exception.pgcode, "23000", f"{what}: {caught.exception}")
    case.assertIn("frozen", str(caught.exception), what)
