from odoo import fields, models, tools
from odoo.tools import SQL

BOOKED_STATES = ("confirmed", "in_progress", "done", "no_show")


class ClinicUtilisation(models.Model):
    """How full each therapist and each room is, per local day of the clinic: available hours
    (working calendar minus leaves and closing days, from ``clinic.availability.day``), booked
    hours (confirmed, in progress, done, no-show), attended hours (done), sessions, no-shows,
    late cancellations and revenue invoiced (posted invoices). Percentages are ratios of the
    sums of the rows grouped, so a day off (no available hours) weighs nothing and divides by
    nothing. Days count once their available hours are computed (``_refresh``: the report's
    wizard does it for its period, a cron daily for the last 13 months and the horizon)."""

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
        """The rows of one kind: every refreshed day of each therapist (or room), with what was
        booked that local day. The kind is a constant, so a filter on it skips the other
        branch. The sessions are joined to their day and grouped per day in one step: a filter
        on the day or the owner reaches the available days before any session is read
        (PostgreSQL moves it below the grouping), so a month reads a month of sessions through
        the owner's (owner, local date) index whatever the clinic's history. Revenue, grouped
        per owner and day, is joined only when asked for (PostgreSQL drops the join otherwise)."""
        column = SQL.identifier(f"{kind}_id")
        return SQL(
            """
            SELECT day.id * 2 + %(parity)s AS id,
                   %(kind)s AS kind,
                   day.resource_id,
                   %(therapist)s AS therapist_id,
                   %(room)s AS room_id,
                   resource.company_id,
                   company.currency_id,
                   day.date,
                   day.hours AS available_hours,
                   day.booked_hours,
                   day.attended_hours,
                   day.sessions,
                   day.attended,
                   day.no_shows,
                   day.late_cancellations,
                   COALESCE(revenue.amount, 0) AS revenue,
                   100 * day.booked_hours / NULLIF(day.hours, 0) AS utilisation_booked,
                   100 * day.attended_hours / NULLIF(day.hours, 0) AS utilisation_attended
              FROM (
                SELECT available.id, available.resource_id, available.date, available.hours,
                       owner.id AS owner_id,
                       COALESCE(SUM(s.duration) FILTER (WHERE s.state IN %(booked)s), 0)
                           AS booked_hours,
                       COALESCE(SUM(s.duration) FILTER (WHERE s.state = 'done'), 0)
                           AS attended_hours,
                       COUNT(s.id) FILTER (WHERE s.state IN %(booked)s) AS sessions,
                       COUNT(s.id) FILTER (WHERE s.state = 'done') AS attended,
                       COUNT(s.id) FILTER (WHERE s.state = 'no_show') AS no_shows,
                       COUNT(s.id) FILTER (WHERE s.state = 'cancelled' AND s.late_cancel)
                           AS late_cancellations
                  FROM clinic_availability_day available
                  JOIN %(model_table)s owner ON owner.resource_id = available.resource_id
             LEFT JOIN clinic_session s
                    ON s.%(column)s = owner.id AND s.local_date = available.date
              GROUP BY available.id, owner.id
              ) day
              JOIN resource_resource resource ON resource.id = day.resource_id
         LEFT JOIN res_company company ON company.id = resource.company_id
         LEFT JOIN (
                SELECT s.%(column)s AS owner_id, s.local_date AS date,
                       SUM(line.price_subtotal) AS amount
                  FROM account_move_line line
                  JOIN clinic_session s ON s.id = line.clinic_session_id
                 WHERE line.parent_state = 'posted'
              GROUP BY 1, 2
              ) revenue ON revenue.owner_id = day.owner_id AND revenue.date = day.date
            """,
            parity=0 if kind == "therapist" else 1,
            kind=kind,
            column=column,
            therapist=SQL("day.owner_id") if kind == "therapist" else SQL("NULL::integer"),
            room=SQL("day.owner_id") if kind == "room" else SQL("NULL::integer"),
            model_table=SQL.identifier(model_table),
            booked=BOOKED_STATES,
        )
