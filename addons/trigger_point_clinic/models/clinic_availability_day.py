from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .clinic_cron import single_run

# The calendar changes not folded yet (``_touch``): which resources (NULL: every therapist and
# room) between which days (NULL: open). Only the addon's own code reads or writes it.
STALE_SQL = """
CREATE TABLE IF NOT EXISTS clinic_availability_stale (
    id serial PRIMARY KEY,
    resource_ids integer[],
    date_from date,
    date_to date,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
"""
FOLD_CRON = "trigger_point_clinic.ir_cron_clinic_availability_fold"


class ClinicAvailabilityDay(models.Model):
    """The hours a therapist or a room is available on one local day of the clinic: its working
    calendar minus its leaves and the clinic's closing days, as Odoo's resource calendars count
    them. Kept per day so that the utilisation report is a plain SQL view; computed by the
    report's wizard for the days of its period never computed, daily by a cron, and again for
    the days a calendar, a leave or a closing day changes (``_touch`` notes them, a cron woken
    after the commit folds them)."""

    _name = "clinic.availability.day"
    _description = "Available Hours per Day"
    _order = "date, resource_id"

    resource_id = fields.Many2one(
        comodel_name="resource.resource", required=True, index=True, ondelete="cascade"
    )
    date = fields.Date(required=True, index=True)
    hours = fields.Float(digits=(6, 2))

    _resource_date_uniq = models.Constraint(
        "UNIQUE(resource_id, date)", "One availability per resource and day."
    )

    @api.model
    def _refresh(self, date_from, date_to, company=None, resources=None, existing_only=False):
        """Compute the available hours of ``resources`` (every therapist and room of
        ``company`` when None) for the local days ``date_from`` to ``date_to`` (a day with no
        working time gets 0 hours), and write only the days whose hours changed: a day already
        right is not touched. ``existing_only`` updates the days already computed and adds none
        (a leave or a calendar changed: the days never asked for stay to be computed when
        asked). Returns the days written."""
        company = company or self.env.company
        tz = company._clinic_tz()
        if resources is None:
            resources = self._resources(company)
        start = tz.localize(datetime.combine(date_from, time.min))
        stop = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min))
        hours = defaultdict(float)
        by_calendar = defaultdict(lambda: self.env["resource.resource"])
        for resource in resources:
            by_calendar[resource.calendar_id] |= resource
        for calendar, members in by_calendar.items():
            if not calendar:
                continue
            work = calendar._work_intervals_batch(start, stop, members)
            for resource in members:
                for begin, end, _meta in work[resource.id]:
                    for day, length in _split_by_local_day(begin, end, tz):
                        hours[(resource.id, day)] += length
        days = [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]
        rows = [(resource.id, day) for resource in resources for day in days]
        values = SQL(
            "unnest(%s::int[], %s::date[], %s::numeric[]) AS computed(resource_id, date, hours)",
            [resource_id for resource_id, _day in rows],
            [day for _resource_id, day in rows],
            [round(hours[row], 2) for row in rows],
        )
        self.flush_model()
        if existing_only:
            query = SQL(
                """
                UPDATE clinic_availability_day day
                   SET hours = computed.hours, write_uid = %(uid)s,
                       write_date = now() AT TIME ZONE 'UTC'
                  FROM %(values)s
                 WHERE day.resource_id = computed.resource_id AND day.date = computed.date
                   AND day.hours IS DISTINCT FROM computed.hours
             RETURNING day.id
                """,
                uid=self.env.uid,
                values=values,
            )
        else:
            query = SQL(
                """
                INSERT INTO clinic_availability_day
                       (resource_id, date, hours, create_uid, write_uid, create_date, write_date)
                SELECT computed.resource_id, computed.date, computed.hours, %(uid)s, %(uid)s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM %(values)s
                    ON CONFLICT (resource_id, date) DO UPDATE
                   SET hours = EXCLUDED.hours, write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                 WHERE clinic_availability_day.hours IS DISTINCT FROM EXCLUDED.hours
             RETURNING id
                """,
                uid=self.env.uid,
                values=values,
            )
        self.env.cr.execute(query)
        written = self.browse(row[0] for row in self.env.cr.fetchall())
        self.invalidate_model()
        return written

    @api.model
    def _resources(self, company):
        """The resources of the company's therapists and rooms (and of those of no company)."""
        return (
            self.env["clinic.therapist"]
            .search([("company_id", "in", [company.id, False])])
            .resource_id
            | self.env["clinic.room"]
            .search([("company_id", "in", [company.id, False])])
            .resource_id
        )

    @api.model
    def _refresh_missing(self, date_from, date_to, company=None):
        """Compute the days of the period that have no figures yet for some therapist or room
        of ``company`` (never computed, or forgotten since a calendar or leave changed), in one
        batch from the first to the last of them; nothing when none is missing."""
        company = company or self.env.company
        resources = self._resources(company)
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT MIN(day)::date, MAX(day)::date
              FROM unnest(%s::int[]) AS resource(id),
                   generate_series(%s::date, %s::date, interval '1 day') AS day
             WHERE NOT EXISTS (
                   SELECT 1 FROM clinic_availability_day a
                    WHERE a.resource_id = resource.id AND a.date = day::date)
            """,
            [resources.ids, date_from, date_to],
        )
        first, last = self.env.cr.fetchone()
        if first is None:
            return self.browse()
        return self._refresh(first, last, company)

    def init(self):
        res = super().init()
        self.env.cr.execute(STALE_SQL)
        return res

    @api.model
    def _touch(self, resources, date_from=None, date_to=None):
        """A calendar, a leave or a closing day of ``resources`` (all therapists and rooms when
        None) changed between the two dates (each open when None): note the days as stale, one
        row, and wake the fold (``_cron_fold``) for after the commit. The request computes no
        hours: a calendar edit saves at once, the fold computes the days already computed
        there a moment later, and the utilisation wizard folds before it reads."""
        self.env.cr.execute(
            """
            INSERT INTO clinic_availability_stale (resource_ids, date_from, date_to)
                 VALUES (%s, %s, %s)
            """,
            [resources.ids if resources is not None else None, date_from, date_to],
        )
        fold = self.env.ref(FOLD_CRON, raise_if_not_found=False)
        if fold:  # absent while the addon's data is being installed
            fold.sudo()._trigger()

    @api.model
    @single_run
    def _cron_fold(self):
        return self._fold()

    @api.model
    def _fold(self):
        """Compute again the days the calendar changes noted since the last fold made stale
        (``_touch``). Returns how many changes were folded."""
        self.env.cr.execute(
            "DELETE FROM clinic_availability_stale RETURNING resource_ids, date_from, date_to"
        )
        changes = defaultdict(set)
        for resource_ids, date_from, date_to in self.env.cr.fetchall():
            changes[(date_from, date_to)].update(resource_ids or [None])
        Resource = self.env["resource.resource"].sudo().with_context(active_test=False)
        for (date_from, date_to), ids in changes.items():
            resources = None if None in ids else Resource.browse(ids).exists()
            if resources is None or resources:
                self._recompute(resources, date_from, date_to)
        return sum(len(ids) for ids in changes.values())

    @api.model
    def _recompute(self, resources, date_from=None, date_to=None):
        """Compute again the days of ``resources`` (all therapists and rooms when None) already
        computed between the two dates (each open when None), within the cron's window (the
        last 13 months and the planning horizon), and forget those outside it, which the
        report computes again when asked."""
        today = fields.Date.context_today(self)
        self.flush_model()
        for company, members in self._by_company(resources).items():
            first = today - timedelta(days=400)
            last = today + timedelta(weeks=company.clinic_plan_horizon_weeks)
            self.env.cr.execute(
                SQL(
                    """
                    SELECT MIN(date), MAX(date) FROM clinic_availability_day
                     WHERE resource_id = ANY(%s) AND date BETWEEN %s AND %s
                    """,
                    members.ids,
                    max(first, date_from or first),
                    min(last, date_to or last),
                )
            )
            computed_from, computed_to = self.env.cr.fetchone()
            if computed_from:
                self._refresh(
                    computed_from, computed_to, company, members.sorted("id"), existing_only=True
                )
            self._forget(members, date_from, first - timedelta(days=1))
            self._forget(members, last + timedelta(days=1), date_to)

    @api.model
    def _by_company(self, resources):
        """{company: resources} of ``resources`` (a resource of no company counts for the
        current one); every company's therapists and rooms when None."""
        if resources is None:
            return {
                company: self._resources(company)
                for company in self.env["res.company"].sudo().search([])
            }
        by_company = defaultdict(lambda: self.env["resource.resource"])
        for resource in resources:
            by_company[resource.company_id or self.env.company] |= resource
        return by_company

    @api.model
    def _forget(self, resources, date_from=None, date_to=None):
        """Drop the computed days of ``resources`` between the two dates (each open when
        None): the next report or cron computes them again."""
        if date_from and date_to and date_from > date_to:
            return
        conditions = [SQL("resource_id = ANY(%s)", resources.ids)]
        if date_from:
            conditions.append(SQL("date >= %s", date_from))
        if date_to:
            conditions.append(SQL("date <= %s", date_to))
        self.flush_model()
        self.env.cr.execute(
            SQL("DELETE FROM clinic_availability_day WHERE %s", SQL(" AND ").join(conditions))
        )
        self.invalidate_model()

    @api.model
    @single_run
    def _cron_refresh(self):
        """Daily: the last 13 months and the planning horizon ahead."""
        today = fields.Date.context_today(self)
        days = self.browse()
        for company in self.env["res.company"].search([]):
            ahead = timedelta(weeks=company.clinic_plan_horizon_weeks)
            days |= self._refresh(today - timedelta(days=400), today + ahead, company)
        return days


def _split_by_local_day(begin, end, tz):
    """[(local date, hours)] of the interval [begin, end), cut at the clinic's midnights."""
    begin, end = begin.astimezone(tz), end.astimezone(tz)
    pieces = []
    while begin < end:
        midnight = tz.localize(datetime.combine(begin.date() + timedelta(days=1), time.min))
        cut = min(end, midnight)
        pieces.append((begin.date(), (cut - begin).total_seconds() / 3600))
        begin = cut
    return pieces
