"""What the tests of frozen records share: refusals by PostgreSQL (a frozen record, a row a
unique rule refuses), and a literal of each column type to write where a column is NULL."""

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
def refused_by_postgresql(case, what):
    """For a test ``case``: the SQL run inside is refused by a frozen record's trigger (an
    integrity error saying "frozen"), and undone."""
    with (
        case.subTest(sql=what),
        case.assertRaises(psycopg2.Error) as caught,
        mute_logger("odoo.sql_db"),
        case.env.cr.savepoint(),
    ):
        yield
    case.assertEqual(caught.exception.pgcode, "23000", f"{what}: {caught.exception}")
    case.assertIn("frozen", str(caught.exception), what)


@contextmanager
def refused_as_duplicate(case):
    """For a test ``case``: PostgreSQL refuses the SQL run inside, a second row where a unique
    rule allows one (``UniqueViolation``), and it is undone."""
    with (
        case.assertRaises(psycopg2.errors.UniqueViolation),
        mute_logger("odoo.sql_db"),
        case.env.cr.savepoint(),
    ):
        yield
