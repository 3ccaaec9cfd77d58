from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .clinic_workflow import THERAPIST


class ClinicSession(models.Model):
    """A session belongs to an episode of care of its patient: by default the open one."""

    _inherit = "clinic.session"

    episode_id = fields.Many2one(
        comodel_name="clinic.episode",
        string="Episode of Care",
        compute="_compute_episode_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        groups=THERAPIST,
    )

    @api.depends("patient_id")
    def _compute_episode_id(self):
        open_episodes = {
            episode.patient_id.id: episode
            for episode in self.env["clinic.episode"]
            .sudo()
            .search([("patient_id", "in", self.patient_id.ids), ("state", "=", "open")])
        }
        for session in self:
            if session.episode_id.patient_id == session.patient_id:
                continue
            session.episode_id = open_episodes.get(session.patient_id.id, False)

    @api.constrains("episode_id", "patient_id")
    def _check_episode_patient(self):
        for session in self.sudo():
            if session.episode_id and session.episode_id.patient_id != session.patient_id:
                raise ValidationError(
                    self.env._(
                        "Episode of Care of session %(session)s is another patient's: choose "
                        "an episode of %(patient)s.",
                        session=session.display_name,
                        patient=session.patient_id.name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "done":
            for session in self.sudo().filtered("episode_id"):
                session.episode_id._prompt_reassessment(session.therapist_id.user_id)
                session.episode_id._flag_no_important_change(session.therapist_id.user_id)
                session.episode_id._schedule_questionnaires("session")
        return result


class ClinicTreatmentNote(models.Model):
    _inherit = "clinic.treatment.note"

    # Not stored: a signed note is frozen whole, and the episode is the session's.
    episode_id = fields.Many2one(
        comodel_name="clinic.episode",
        string="Episode of Care",
        related="session_id.episode_id",
    )

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "signed":
            for note in self.sudo().filtered("episode_id"):
                note.episode_id._flag_no_important_change(note.therapist_id.user_id)
        return result


class ClinicPatient(models.Model):
    _inherit = "clinic.patient"

    episode_ids = fields.One2many(
        comodel_name="clinic.episode",
        inverse_name="patient_id",
        string="Episodes of Care",
        groups=THERAPIST,
    )
