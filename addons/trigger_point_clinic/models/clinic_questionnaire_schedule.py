from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Measures of change itself: asked only once there is a change to judge.
CHANGE_ONLY = ("pgic",)


class ResCompany(models.Model):
    _inherit = "res.company"

    clinic_questionnaire_ids = fields.Many2many(
        comodel_name="clinic.questionnaire",
        relation="res_company_clinic_questionnaire_rel",
        string="Scheduled Questionnaires",
        help="The questionnaires each episode of care asks at its start, every few sessions "
        "and at discharge.",
    )
    clinic_questionnaire_at_start = fields.Boolean(string="Ask at the start", default=True)
    clinic_questionnaire_every = fields.Integer(
        string="Ask every (sessions)",
        default=3,
        help="Done sessions between two questionnaires of an episode; 0: only at its start "
        "and discharge.",
    )
    clinic_questionnaire_at_discharge = fields.Boolean(string="Ask at discharge", default=True)

    @api.constrains("clinic_questionnaire_every")
    def _check_clinic_questionnaire_every(self):
        for company in self:
            if not 0 <= company.clinic_questionnaire_every <= 52:
                raise ValidationError(
                    self.env._(
                        "Ask every (sessions) must be between 0 and 52 (it is %(value)s): 0 "
                        "asks only at the start and at discharge.",
                        value=company.clinic_questionnaire_every,
                    )
                )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_questionnaire_ids = fields.Many2many(
        related="company_id.clinic_questionnaire_ids", readonly=False
    )
    clinic_questionnaire_at_start = fields.Boolean(
        related="company_id.clinic_questionnaire_at_start", readonly=False
    )
    clinic_questionnaire_every = fields.Integer(
        related="company_id.clinic_questionnaire_every", readonly=False
    )
    clinic_questionnaire_at_discharge = fields.Boolean(
        related="company_id.clinic_questionnaire_at_discharge", readonly=False
    )


class ClinicEpisode(models.Model):
    _inherit = "clinic.episode"

    @api.model_create_multi
    def create(self, vals_list):
        episodes = super().create(vals_list)
        episodes._schedule_questionnaires("start")
        return episodes

    def write(self, vals):
        discharged = (
            self.filtered(lambda e: not e.date_discharge)
            if vals.get("date_discharge")
            else self.browse()
        )
        result = super().write(vals)
        discharged._schedule_questionnaires("discharge")
        return result

    @api.private
    def _schedule_questionnaires(self, moment):
        """The one rule of scheduling: at an episode's start, every N done sessions and at its
        discharge (clinic settings), each scheduled questionnaire gets a response to fill in,
        unless one is still waiting. The PSFS needs the episode's goals; the PGIC is not asked
        at the start (there is no change yet)."""
        Response = self.env["clinic.questionnaire.response"].sudo()
        for episode in self.sudo():
            company = episode.company_id
            if moment == "start" and not company.clinic_questionnaire_at_start:
                continue
            if moment == "discharge" and not company.clinic_questionnaire_at_discharge:
                continue
            if moment == "session":
                every = company.clinic_questionnaire_every
                if not every or episode.done_session_count % every:
                    continue
            waiting = episode.response_ids.filtered(lambda r: r.state == "draft")
            for questionnaire in company.clinic_questionnaire_ids:
                if moment == "start" and questionnaire.scoring in CHANGE_ONLY:
                    continue
                if questionnaire.scoring == "psfs" and not episode.goal_ids:
                    continue
                if questionnaire in waiting.questionnaire_id:
                    continue
                Response.create({"episode_id": episode.id, "questionnaire_id": questionnaire.id})
