from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.clinic_contraindication import PRESSURE_LEVELS
from ..models.clinic_outcome_measures import MEASURES
from ..models.clinic_treatment_note import TECHNIQUES


class ClinicWhatWorks(models.Model):
    """What works, per clinic: one row per episode of care and region treated in its signed
    notes, with the technique, pressure and therapist used most there. A row responds when the
    NRS before treatment dropped from the first to the latest note by the NRS's clinically
    important change (clinic_outcome_measures.MEASURES: 2 points or 30 %); the session at which
    it first did is its sessions to a clinically important change. The responder rate of a
    group is its responders over its episodes."""

    _name = "clinic.what.works"
    _inherit = ["clinic.ratio.report"]
    _description = "What Works"
    _auto = False
    _ratios = {"responder_rate": ("responders", "episodes", 100)}
    _order = "region_id"

    region_id = fields.Many2one(comodel_name="clinic.body.region", readonly=True)
    technique = fields.Selection(TECHNIQUES, readonly=True)
    pressure = fields.Selection(PRESSURE_LEVELS, readonly=True)
    therapist_id = fields.Many2one(comodel_name="clinic.therapist", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    date_start = fields.Date(string="Episode Start", readonly=True)
    episodes = fields.Integer(readonly=True)
    responders = fields.Integer(readonly=True)
    responder_rate = fields.Float(
        string="Responders %", digits=(5, 1), readonly=True, aggregator="sum"
    )
    nrs_change = fields.Float(
        string="Mean NRS Change", digits=(4, 1), readonly=True, aggregator="avg"
    )
    sessions_to_mcid = fields.Float(
        string="Sessions to Important Change",
        digits=(4, 1),
        readonly=True,
        aggregator="avg",
        help="The session at which the NRS before treatment first showed a clinically "
        "important drop (responders only).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        nrs = MEASURES["nrs"]
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(view)s AS (
                WITH per_note AS (
                    SELECT s.episode_id, note.id AS note_id, note.date, line.region_id,
                           MAX(line.pain_before) AS pain
                      FROM clinic_treatment_note_line line
                      JOIN clinic_treatment_note note ON note.id = line.note_id
                      JOIN clinic_session s ON s.id = note.session_id
                     WHERE note.state = 'signed' AND s.episode_id IS NOT NULL
                  GROUP BY s.episode_id, note.id, note.date, line.region_id
                ),
                ranked AS (
                    SELECT per_note.*,
                           ROW_NUMBER() OVER w AS n,
                           FIRST_VALUE(pain) OVER w AS baseline,
                           LAST_VALUE(pain) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING
                                                    AND UNBOUNDED FOLLOWING) AS latest,
                           COUNT(*) OVER (PARTITION BY episode_id, region_id) AS notes
                      FROM per_note
                    WINDOW w AS (PARTITION BY episode_id, region_id ORDER BY date, note_id)
                ),
                changes AS (
                    SELECT episode_id, region_id, MIN(baseline) AS baseline,
                           MIN(latest) AS latest,
                           MIN(n) FILTER (
                               WHERE baseline - pain >= %(points)s
                                  OR (baseline > 0
                                      AND 100.0 * (baseline - pain) / baseline >= %(percent)s)
                           ) AS first_important
                      FROM ranked
                     WHERE notes >= 2
                  GROUP BY episode_id, region_id
                ),
                used AS (
                    SELECT s.episode_id, line.region_id,
                           MODE() WITHIN GROUP (ORDER BY line.technique) AS technique,
                           MODE() WITHIN GROUP (ORDER BY line.pressure) AS pressure,
                           MODE() WITHIN GROUP (ORDER BY s.therapist_id) AS therapist_id
                      FROM clinic_treatment_note_line line
                      JOIN clinic_treatment_note note ON note.id = line.note_id
                      JOIN clinic_session s ON s.id = note.session_id
                     WHERE note.state = 'signed' AND s.episode_id IS NOT NULL
                  GROUP BY s.episode_id, line.region_id
                )
                SELECT ROW_NUMBER() OVER (ORDER BY c.episode_id, c.region_id) AS id,
                       c.region_id, u.technique, u.pressure, u.therapist_id,
                       e.company_id, e.date_start,
                       1 AS episodes,
                       (c.latest IS NOT NULL AND (
                            c.baseline - c.latest >= %(points)s
                            OR (c.baseline > 0
                                AND 100.0 * (c.baseline - c.latest) / c.baseline
                                    >= %(percent)s)))::int AS responders,
                       100.0 * (c.latest IS NOT NULL AND (
                            c.baseline - c.latest >= %(points)s
                            OR (c.baseline > 0
                                AND 100.0 * (c.baseline - c.latest) / c.baseline
                                    >= %(percent)s)))::int AS responder_rate,
                       (c.latest - c.baseline)::float AS nrs_change,
                       CASE WHEN c.baseline - c.latest >= %(points)s
                              OR (c.baseline > 0
                                  AND 100.0 * (c.baseline - c.latest) / c.baseline
                                      >= %(percent)s)
                            THEN c.first_important END::float AS sessions_to_mcid
                  FROM changes c
                  JOIN used u ON u.episode_id = c.episode_id AND u.region_id = c.region_id
                  JOIN clinic_episode e ON e.id = c.episode_id
            )
            """,
                view=SQL.identifier(self._table),
                points=nrs.mcid_points,
                percent=nrs.mcid_percent,
            )
        )
