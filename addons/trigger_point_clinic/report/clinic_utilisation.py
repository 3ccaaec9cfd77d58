from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.clinic_utilisation_day import FIGURES


class ClinicUtilisation(models.Model):
    """How full each therapist and each room is, per local day of the clinic: available hours
    (working calendar minus leaves and closing days, from ``clinic.availability.day``), booked
    hours (confirmed, in progress, done, no-show), attended hours (done), sessions, no-shows,
    late cancellations and revenue invoiced (posted invoices). Percentages are ratios of the
    sums of the rows grouped, so a day off (no available hours) weighs nothing and divides by
    nothing. Days count once their available hours are computed (``_refresh``: the report's
    wizard does it for its period, a cron daily for the last 13 months and the horizon).
    Booked figures come from ``clinic_utilisation_day``, kept by PostgreSQL as sessions and
    invoice lines change (``models/clinic_utilisation_day.py``), never from the sessions."""

    _name = "clinic.utilisation"
    _inherit = ["clinic.ratio.report"]
    _description = "Utilisation"
    _auto = False
    _ratios = {
        "utilisation_booked": ("booked_hours", "available_hours", 100),
        "utilisation_attended": ("attended_hours", "available_hours", 100),
    }
    _order = "date desc, kind, resource_id"

    kind = fields.Selection([("therapist", "Therapist"), ("room", "Room")], readonly=True)
    resource_id = fields.Many2one(comodel_name="resource.resource", readonly=True)
    therapist_id = fields.Many2one(comodel_name="clinic.therapist", readonly=True)
    room_id = fields.Many2one(comodel_name="clinic.room", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    date = fields.Date(readonly=True)
    available_hours = fields.Float(digits=(8, 2), readonly=True)
    booked_hours = fields.Float(digits=(8, 2), readonly=True)
    attended_hours = fields.Float(digits=(8, 2), readonly=True)
    sessions = fields.Integer(string="Sessions Booked", readonly=True)
    attended = fields.Integer(string="Sessions Attended", readonly=True)
    no_shows = fields.Integer(string="No-shows", readonly=True)
    late_cancellations = fields.Integer(readonly=True)
    revenue = fields.Monetary(
        string="Revenue Invoiced", currency_field="currency_id", readonly=True
    )
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    utilisation_booked = fields.Float(
        string="Booked %", digits=(5, 1), readonly=True, aggregator="sum"
    )
    utilisation_attended = fields.Float(
        string="Attended %", digits=(5, 1), readonly=True, aggregator="sum"
    )

    def init(self):
        self.env["clinic.utilisation.day"]._ensure()
        tools.drop_view_if_exists(self.env.cr, self._table)
        branches = [
            self._branch_sql(kind, model_table)
            for kind, model_table in (("therapist", "clinic_therapist"), ("room", "clinic_room"))
        ]
        self.env.cr.execute(
            SQL(
                "CREATE VIEW %s AS (%s UNION ALL %s)",
                SQL.identifier(self._table),
                *branches,
            )
        )

    def _branch_sql(self, kind, model_table):
        """The rows of one kind: every refreshed day of each therapist (or room), with its booked
        figures of that local day. The kind is a constant, so a filter on it skips the other
        branch. The day's rows of the aggregate (about one once folded) are joined and added up
        in one step: a filter on the day, the company or the owner reaches the availability rows
        before the aggregate is read (PostgreSQL moves it below the grouping), through the
        aggregate's (kind, owner, day) index."""
        sums = {name: SQL("COALESCE(SUM(booked.%s), 0)", SQL.identifier(name)) for name in FIGURES}
        return SQL(
            """
            SELECT available.id * 2 + %(parity)s AS id,
                   %(kind)s AS kind,
                   available.resource_id,
                   %(therapist)s AS therapist_id,
                   %(room)s AS room_id,
                   resource.company_id,
                   company.currency_id,
                   available.date,
                   available.hours AS available_hours,
                   %(booked_hours)s AS booked_hours,
                   %(attended_hours)s AS attended_hours,
                   %(sessions)s AS sessions,
                   %(attended)s AS attended,
                   %(no_shows)s AS no_shows,
                   %(late_cancellations)s AS late_cancellations,
                   %(revenue)s AS revenue,
                   100 * %(booked_hours)s / NULLIF(available.hours, 0) AS utilisation_booked,
                   100 * %(attended_hours)s / NULLIF(available.hours, 0) AS utilisation_attended
              FROM clinic_availability_day available
              JOIN %(model_table)s owner ON owner.resource_id = available.resource_id
              JOIN resource_resource resource ON resource.id = available.resource_id
         LEFT JOIN res_company company ON company.id = resource.company_id
         LEFT JOIN clinic_utilisation_day booked
                ON booked.kind = %(kind)s AND booked.owner_id = owner.id
               AND booked.date = available.date
          GROUP BY available.id, available.date, available.resource_id, available.hours,
                   owner.id, resource.company_id, company.currency_id
            """,
            parity=0 if kind == "therapist" else 1,
            kind=kind,
            therapist=SQL("owner.id") if kind == "therapist" else SQL("NULL::integer"),
            room=SQL("owner.id") if kind == "room" else SQL("NULL::integer"),
            model_table=SQL.identifier(model_table),
            **sums,
        )
