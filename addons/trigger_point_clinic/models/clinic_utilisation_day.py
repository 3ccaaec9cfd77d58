"""What each therapist and each room has booked per local day, kept by PostgreSQL itself.

The utilisation report reads ``clinic_utilisation_day`` instead of the sessions. Triggers on
``clinic_session`` (per statement) and on ``account_move_line`` (per row, only for lines of a
session) add a row of differences for every change: a session booked, moved, confirmed,
cancelled or deleted, an invoice line posted or reset. Every path goes through them (the ORM,
``sudo``, plain SQL, a billing run), so no code path can forget to keep the figures.

Rows are only ever inserted by the triggers, never updated: two front desks booking the same
room on the same day add a row each and never wait on each other or fail to serialise. The
report adds the rows of a day up; an hourly job folds each day's rows into one, so a day is
read as about one row whatever the clinic's history.
"""

from odoo import api, models
from odoo.tools import SQL

from .clinic_cron import single_run

BOOKED_STATES = ("confirmed", "in_progress", "done", "no_show")
FIGURES = (
    "booked_hours",
    "attended_hours",
    "sessions",
    "attended",
    "no_shows",
    "late_cancellations",
    "revenue",
)


def _figures_sql(changes):
    """INSERT of the differences made by ``changes``: rows of sessions with a ``sign`` (+1 new,
    -1 old), counted once for their therapist and once for their room."""
    return SQL(
        """
        INSERT INTO clinic_utilisation_day
               (kind, owner_id, date, booked_hours, attended_hours, sessions, attended,
                no_shows, late_cancellations, revenue)
        SELECT owner.kind, owner.id, c.local_date,
               COALESCE(SUM(c.sign * c.duration) FILTER (WHERE c.state IN %(booked)s), 0),
               COALESCE(SUM(c.sign * c.duration) FILTER (WHERE c.state = 'done'), 0),
               COALESCE(SUM(c.sign) FILTER (WHERE c.state IN %(booked)s), 0),
               COALESCE(SUM(c.sign) FILTER (WHERE c.state = 'done'), 0),
               COALESCE(SUM(c.sign) FILTER (WHERE c.state = 'no_show'), 0),
               COALESCE(SUM(c.sign) FILTER (WHERE c.state = 'cancelled' AND c.late_cancel), 0),
               COALESCE(SUM(c.sign * invoiced.revenue), 0)
          FROM (%(changes)s) c
    CROSS JOIN LATERAL (VALUES ('therapist', c.therapist_id), ('room', c.room_id))
               AS owner(kind, id)
     LEFT JOIN LATERAL (
               SELECT SUM(line.price_subtotal) AS revenue
                 FROM account_move_line line
                WHERE line.clinic_session_id = c.id AND line.parent_state = 'posted'
               ) invoiced ON TRUE
         WHERE owner.id IS NOT NULL AND c.local_date IS NOT NULL
      GROUP BY owner.kind, owner.id, c.local_date
        HAVING COUNT(*) FILTER (WHERE c.state IN %(booked)s OR c.late_cancel) > 0
            OR SUM(c.sign * invoiced.revenue) <> 0
        """,
        changes=changes,
        booked=BOOKED_STATES,
    )


class ClinicUtilisationDay(models.AbstractModel):
    """The table of booked figures per therapist or room and local day, its triggers, its
    recount from the raw sessions and its folding. No ORM model stores it: nobody writes it but
    PostgreSQL, and it is read through the ``clinic.utilisation`` report only."""

    _name = "clinic.utilisation.day"
    _description = "Booked Figures per Day"

    @api.model
    def _ensure(self):
        """Create the table and its triggers (idempotent); fill it from the sessions when the
        table is new (an installed clinic upgraded)."""
        cr = self.env.cr
        cr.execute("SELECT to_regclass('clinic_utilisation_day') IS NULL")
        new = cr.fetchone()[0]
        cr.execute(
            """
            CREATE TABLE IF NOT EXISTS clinic_utilisation_day (
                id bigserial PRIMARY KEY,
                kind varchar NOT NULL,
                owner_id integer NOT NULL,
                date date NOT NULL,
                booked_hours double precision NOT NULL DEFAULT 0,
                attended_hours double precision NOT NULL DEFAULT 0,
                sessions integer NOT NULL DEFAULT 0,
                attended integer NOT NULL DEFAULT 0,
                no_shows integer NOT NULL DEFAULT 0,
                late_cancellations integer NOT NULL DEFAULT 0,
                revenue numeric NOT NULL DEFAULT 0,
                folded boolean NOT NULL DEFAULT false
            );
            CREATE INDEX IF NOT EXISTS clinic_utilisation_day_key
                ON clinic_utilisation_day (kind, owner_id, date);
            CREATE INDEX IF NOT EXISTS clinic_utilisation_day_unfolded
                ON clinic_utilisation_day (kind, owner_id, date) WHERE NOT folded;
            """
        )
        cr.execute(self._session_function_sql())
        cr.execute(self._invoice_line_function_sql())
        cr.execute(
            """
            DROP TRIGGER IF EXISTS clinic_utilisation_day_insert ON clinic_session;
            DROP TRIGGER IF EXISTS clinic_utilisation_day_update ON clinic_session;
            DROP TRIGGER IF EXISTS clinic_utilisation_day_delete ON clinic_session;
            CREATE TRIGGER clinic_utilisation_day_insert AFTER INSERT ON clinic_session
                REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION clinic_utilisation_day_sessions();
            CREATE TRIGGER clinic_utilisation_day_update AFTER UPDATE ON clinic_session
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION clinic_utilisation_day_sessions();
            CREATE TRIGGER clinic_utilisation_day_delete AFTER DELETE ON clinic_session
                REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION clinic_utilisation_day_sessions();

            DROP TRIGGER IF EXISTS clinic_utilisation_day_insert ON account_move_line;
            DROP TRIGGER IF EXISTS clinic_utilisation_day_update ON account_move_line;
            DROP TRIGGER IF EXISTS clinic_utilisation_day_delete ON account_move_line;
            CREATE TRIGGER clinic_utilisation_day_insert AFTER INSERT ON account_move_line
                FOR EACH ROW
                WHEN (NEW.clinic_session_id IS NOT NULL AND NEW.parent_state = 'posted')
                EXECUTE FUNCTION clinic_utilisation_day_invoice_lines();
            CREATE TRIGGER clinic_utilisation_day_update AFTER UPDATE ON account_move_line
                FOR EACH ROW
                WHEN ((OLD.clinic_session_id IS NOT NULL OR NEW.clinic_session_id IS NOT NULL)
                      AND (OLD.parent_state = 'posted' OR NEW.parent_state = 'posted')
                      AND (OLD.clinic_session_id, OLD.parent_state, OLD.price_subtotal)
                          IS DISTINCT FROM
                          (NEW.clinic_session_id, NEW.parent_state, NEW.price_subtotal))
                EXECUTE FUNCTION clinic_utilisation_day_invoice_lines();
            CREATE TRIGGER clinic_utilisation_day_delete AFTER DELETE ON account_move_line
                FOR EACH ROW
                WHEN (OLD.clinic_session_id IS NOT NULL AND OLD.parent_state = 'posted')
                EXECUTE FUNCTION clinic_utilisation_day_invoice_lines();
            """
        )
        if new:
            self._recount()

    @api.model
    def _session_function_sql(self):
        """An update counts only for the sessions whose therapist, room, local day, state,
        duration or late flag changed: a note signed or a reminder sent adds nothing."""
        inserted = _figures_sql(SQL("SELECT 1 AS sign, * FROM new_rows"))
        deleted = _figures_sql(SQL("SELECT -1 AS sign, * FROM old_rows"))
        updated = _figures_sql(
            SQL(
                """
                WITH moved AS (
                    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                     WHERE (n.therapist_id, n.room_id, n.local_date, n.state, n.duration,
                            n.late_cancel)
                           IS DISTINCT FROM
                           (o.therapist_id, o.room_id, o.local_date, o.state, o.duration,
                            o.late_cancel)
                )
                SELECT 1 AS sign, n.* FROM new_rows n WHERE n.id IN (SELECT id FROM moved)
                UNION ALL
                SELECT -1 AS sign, o.* FROM old_rows o WHERE o.id IN (SELECT id FROM moved)
                """
            )
        )
        return SQL(
            """
            CREATE OR REPLACE FUNCTION clinic_utilisation_day_sessions() RETURNS trigger
            LANGUAGE plpgsql AS $body$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    %(inserted)s;
                ELSIF TG_OP = 'DELETE' THEN
                    %(deleted)s;
                ELSE
                    %(updated)s;
                END IF;
                RETURN NULL;
            END
            $body$
            """,
            inserted=inserted,
            deleted=deleted,
            updated=updated,
        )

    @api.model
    def _invoice_line_function_sql(self):
        """Posted revenue of a session's line, added to (or taken from) the session's day."""
        return SQL(
            """
            CREATE OR REPLACE FUNCTION clinic_utilisation_day_invoice_lines() RETURNS trigger
            LANGUAGE plpgsql AS $body$
            BEGIN
                -- The line as it was (taken away) and as it is (added): OLD is NULL on an
                -- INSERT, NEW on a DELETE, and a NULL state counts nothing.
                INSERT INTO clinic_utilisation_day (kind, owner_id, date, revenue)
                SELECT owner.kind, owner.id, s.local_date, line.revenue
                  FROM (VALUES (OLD.parent_state, OLD.clinic_session_id, -OLD.price_subtotal),
                               (NEW.parent_state, NEW.clinic_session_id, NEW.price_subtotal))
                       AS line(state, session_id, revenue)
                  JOIN clinic_session s ON s.id = line.session_id
            CROSS JOIN LATERAL (VALUES ('therapist', s.therapist_id), ('room', s.room_id))
                       AS owner(kind, id)
                 WHERE line.state = 'posted' AND owner.id IS NOT NULL
                   AND s.local_date IS NOT NULL;
                RETURN NULL;
            END
            $body$
            """
        )

    @api.model
    def _recount_sql(self):
        """The figures of every therapist and room and day, counted from the raw sessions."""
        return _figures_sql(SQL("SELECT 1 AS sign, * FROM clinic_session"))

    @api.model
    def _recount(self):
        """Replace the table by a recount from the raw sessions (install, or a repair)."""
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM clinic_utilisation_day")
        self.env.cr.execute(self._recount_sql())
        self.env.cr.execute("UPDATE clinic_utilisation_day SET folded = true")

    @api.model
    def _fold(self):
        """Fold the rows of each day changed since the last fold into one row."""
        self.env.flush_all()
        sums = SQL(", ").join(SQL("SUM(%s)", SQL.identifier(name)) for name in FIGURES)
        columns = SQL(", ").join(SQL.identifier(name) for name in FIGURES)
        self.env.cr.execute(
            SQL(
                """
                WITH changed AS (
                    SELECT DISTINCT kind, owner_id, date FROM clinic_utilisation_day
                     WHERE NOT folded
                ), folded AS (
                    DELETE FROM clinic_utilisation_day day USING changed
                     WHERE day.kind = changed.kind AND day.owner_id = changed.owner_id
                       AND day.date = changed.date
                 RETURNING day.*
                )
                INSERT INTO clinic_utilisation_day (kind, owner_id, date, %(columns)s, folded)
                SELECT kind, owner_id, date, %(sums)s, true
                  FROM folded
              GROUP BY kind, owner_id, date
                HAVING SUM(sessions) <> 0 OR SUM(late_cancellations) <> 0
                    OR SUM(revenue) <> 0 OR SUM(attended) <> 0
                """,
                columns=columns,
                sums=sums,
            )
        )
        return self.env.cr.rowcount

    @api.model
    @single_run
    def _cron_fold(self):
        """Hourly: fold the days changed since the last run."""
        return self._fold()
