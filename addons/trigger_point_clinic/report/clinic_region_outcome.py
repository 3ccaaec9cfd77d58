from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.clinic_treatment_note import PAIN_MCID


class ClinicRegionOutcome(models.Model):
    """Per patient and charted region, how the pain moved across signed treatment notes.

    Each session counts once per region (the worst side when both were charted). The change
    compares the NRS before treatment at the first and at the latest session, i.e. the lasting
    effect, not the relief right after a session; it is clinically important when the pain
    dropped by at least 2 points (Cleland 2008).

    The lines carry their note's patient, date and state (stored), so the view reads lines
    only: a filter on the patient (the patient form's Outcomes tab) reaches the lines' patient
    index below the grouping and the window (both partition by patient), and one patient costs
    the same whatever the number of notes of the clinic.
    """

    _name = "clinic.region.outcome"
    _description = "Outcome per Patient and Region"
    _inherit = ["clinic.audited.mixin"]
    _auto = False
    _order = "patient_id, first_pain desc"

    patient_id = fields.Many2one(comodel_name="clinic.patient", readonly=True)
    region_id = fields.Many2one(comodel_name="clinic.body.region", readonly=True)
    sessions = fields.Integer(readonly=True)
    first_date = fields.Datetime(string="First Session", readonly=True)
    latest_date = fields.Datetime(string="Latest Session", readonly=True)
    first_pain = fields.Integer(string="First NRS", readonly=True)
    latest_pain = fields.Integer(string="Latest NRS", readonly=True)
    pain_change = fields.Integer(string="Change", readonly=True)
    mcid_reached = fields.Boolean(
        string="Clinically Important",
        readonly=True,
        help=f"The pain dropped by at least {PAIN_MCID} points since the first session.",
    )
    average_relief = fields.Float(
        string="Average Relief per Session",
        digits=(3, 1),
        readonly=True,
        help="NRS before minus NRS after, averaged over the sessions.",
    )
    first_ppt = fields.Float(string="First PPT", digits=(4, 2), readonly=True)
    latest_ppt = fields.Float(string="Latest PPT", digits=(4, 2), readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(table)s AS (
                WITH per_session AS (
                    SELECT line.patient_id,
                           line.region_id,
                           line.note_id,
                           line.date,
                           MIN(line.id) AS line_id,
                           MAX(line.pain_before) AS pain_before,
                           MAX(line.pain_after) AS pain_after,
                           AVG(line.ppt) FILTER (WHERE line.ppt_measured) AS ppt
                      FROM clinic_treatment_note_line line
                     WHERE line.note_state = 'signed'
                  GROUP BY line.patient_id, line.region_id, line.note_id, line.date
                ),
                ranked AS (
                    SELECT per_session.*,
                           ROW_NUMBER() OVER (PARTITION BY patient_id, region_id
                                              ORDER BY date, note_id) AS from_first,
                           ROW_NUMBER() OVER (PARTITION BY patient_id, region_id
                                              ORDER BY date DESC, note_id DESC) AS from_latest
                      FROM per_session
                )
                SELECT MIN(line_id) AS id,
                       patient_id,
                       region_id,
                       COUNT(*) AS sessions,
                       MIN(date) AS first_date,
                       MAX(date) AS latest_date,
                       MAX(pain_before) FILTER (WHERE from_first = 1) AS first_pain,
                       MAX(pain_before) FILTER (WHERE from_latest = 1) AS latest_pain,
                       MAX(pain_before) FILTER (WHERE from_latest = 1)
                         - MAX(pain_before) FILTER (WHERE from_first = 1) AS pain_change,
                       COUNT(*) > 1
                         AND MAX(pain_before) FILTER (WHERE from_first = 1)
                           - MAX(pain_before) FILTER (WHERE from_latest = 1) >= %(mcid)s
                         AS mcid_reached,
                       AVG(pain_before - pain_after) AS average_relief,
                       MAX(ppt) FILTER (WHERE from_first = 1) AS first_ppt,
                       MAX(ppt) FILTER (WHERE from_latest = 1) AS latest_ppt
                  FROM ranked
              GROUP BY patient_id, region_id
            )
            """,
                table=SQL.identifier(self._table),
                mcid=PAIN_MCID,
            )
        )
