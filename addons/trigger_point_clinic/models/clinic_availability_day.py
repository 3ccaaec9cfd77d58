from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .clinic_cron import single_run


class ClinicAvailabilityDay(models.Model):
    """The hours a therapist or a room is available on one local day of the clinic: its working
    calendar minus its leaves and the clinic's closing days, as Odoo's resource calendars count
    them. Kept per day so that the utilisation report is a plain SQL view; refreshed by the
    report's wizard for the period it shows and daily by a cron."""

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
    def _refresh(self, date_from, date_to, company=None):
        """Recompute the available hours of every therapist and room of ``company`` for the
        local days ``date_from`` to ``date_to`` (a day with no working time gets 0 hours)."""
        company = company or self.env.company
        tz = company._clinic_tz()
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
        self.env.cr.execute(
            "DELETE FROM clinic_availability_day WHERE resource_id = ANY(%s) "
            "AND date BETWEEN %s AND %s",
            [resources.ids, date_from, date_to],
        )
        self.invalidate_model()
        return self.create(
            [
                {"resource_id": resource.id, "date": day, "hours": hours[(resource.id, day)]}
                for resource in resources
                for day in days
            ]
        )

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

    @api.model
    def _forget(self, resources, date_from=None, date_to=None):
        """Drop the computed days of ``resources`` (all resources when None) between the two
        dates (each open when None): the next report or cron computes them again."""
        conditions = [SQL("TRUE")]
        if resources is not None:
            conditions.append(SQL("resource_id = ANY(%s)", resources.ids))
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
