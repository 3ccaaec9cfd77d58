from odoo import fields, models, tools
from odoo.tools import SQL


class ClinicRebooking(models.Model):
    """Per attended session: did the patient book again within 14 days? The rebooking rate of
    a group is its rebooked sessions over its attended sessions."""

    _name = "clinic.rebooking"
    _inherit = ["clinic.ratio.report"]
    _description = "Rebooking"
    _auto = False
    _ratios = {"rebooking_rate": ("rebooked", "attended", 100)}
    _order = "date desc"

    session_id = fields.Many2one(comodel_name="clinic.session", readonly=True)
    patient_id = fields.Many2one(comodel_name="clinic.patient", readonly=True)
    therapist_id = fields.Many2one(comodel_name="clinic.therapist", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    date = fields.Datetime(readonly=True)
    attended = fields.Integer(readonly=True)
    rebooked = fields.Integer(string="Rebooked within 14 Days", readonly=True)
    rebooking_rate = fields.Float(
        string="Rebooking %", digits=(5, 1), readonly=True, aggregator="sum"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                SELECT s.id, s.id AS session_id, s.patient_id, s.therapist_id, s.company_id,
                       s.start AS date,
                       1 AS attended,
                       (next_booking.start IS NOT NULL)::int AS rebooked,
                       100.0 * (next_booking.start IS NOT NULL)::int AS rebooking_rate
                  FROM clinic_session s
                  LEFT JOIN LATERAL (
                        SELECT other.start
                          FROM clinic_session other
                         WHERE other.patient_id = s.patient_id
                           AND other.state != 'cancelled'
                           AND other.start > s.start
                           AND other.start <= s.start + interval '14 days'
                         LIMIT 1
                  ) next_booking ON TRUE
                 WHERE s.state = 'done'
            )
            """,
                SQL.identifier(self._table),
            )
        )
