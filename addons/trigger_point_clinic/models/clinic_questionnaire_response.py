from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .clinic_outcome_measures import MEASURES, UnscorableError, score
from .clinic_workflow import check_access_first

# An answer is one value of the scale (NRS and PSFS 0-10, PGIC 1-7, NDI and ODI 0-5); empty is
# a missing item, which the instrument's manual scores (or not).
ANSWER_VALUES = [(str(value), str(value)) for value in range(11)]
SUBMITTED = "state = 'submitted'"


class ClinicQuestionnaireResponse(models.Model):
    """A patient's answers to one questionnaire within an episode of care. Submitted, it is
    scored on the server and frozen: the score is the workflow's, never a client's."""

    _name = "clinic.questionnaire.response"
    _description = "Questionnaire Response"
    _inherit = [
        "clinic.patient.record",
        "clinic.workflow.mixin",
        "clinic.frozen.mixin",
        "clinic.audited.mixin",
    ]
    _order = "date_submitted desc, id desc"
    _workflow_fields = ("state", "date_submitted", "score")
    _workflow_transitions = {("draft", "submitted"): None}
    _frozen_domain = [("state", "=", "submitted")]
    _frozen_sql = SUBMITTED
    _frozen_allowed = ()

    episode_id = fields.Many2one(
        comodel_name="clinic.episode", required=True, index=True, ondelete="cascade"
    )
    questionnaire_id = fields.Many2one(
        comodel_name="clinic.questionnaire", required=True, ondelete="restrict"
    )
    scoring = fields.Selection(related="questionnaire_id.scoring")
    state = fields.Selection(
        [("draft", "To fill in"), ("submitted", "Submitted")],
        default="draft",
        required=True,
        readonly=True,
    )
    date_submitted = fields.Datetime(readonly=True)
    score = fields.Float(readonly=True, aggregator="avg", digits=(6, 2))
    answer_ids = fields.One2many(
        comodel_name="clinic.questionnaire.answer", inverse_name="response_id", string="Answers"
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("episode_id") and not vals.get("patient_id"):
                episode = self.env["clinic.episode"].browse(vals["episode_id"])
                vals["patient_id"] = episode.patient_id.id
        responses = super().create(vals_list)
        for response in responses.filtered(lambda r: not r.answer_ids):
            response.answer_ids = [
                fields.Command.create({"sequence": sequence, "question": question})
                for sequence, question in response._questions()
            ]
        return responses

    @api.constrains("episode_id", "patient_id")
    def _check_episode_patient(self):
        for response in self.sudo():
            if response.episode_id.patient_id != response.patient_id:
                raise ValidationError(
                    self.env._(
                        "Episode of Care is another patient's: choose an episode of %(patient)s.",
                        patient=response.patient_id.name,
                    )
                )

    def _questions(self):
        """(sequence, text) of the items asked: the questionnaire's items, or for the PSFS the
        goals of the episode, in the patient's words."""
        self.ensure_one()
        if self.scoring == "psfs":
            return [(goal.sequence, goal.activity) for goal in self.sudo().episode_id.goal_ids]
        return [(item.sequence, item.text) for item in self.sudo().questionnaire_id.item_ids]

    def action_submit(self):
        """Score the answers as the instrument's manual says, and freeze them."""
        check_access_first(self, "write")
        # Answers written earlier in the transaction reach the table before the response
        # freezes them (the trigger would refuse them after).
        self.env["clinic.questionnaire.answer"].flush_model()
        for response in self:
            if response.state != "draft":
                continue
            answers = [
                int(answer.value) if answer.value else None
                for answer in response.answer_ids.sorted(lambda a: (a.sequence, a.id))
            ]
            try:
                value = score(response.scoring, answers)
            except UnscorableError as exc:
                raise ValidationError(
                    self.env._(
                        "%(questionnaire)s cannot be scored: %(reason)s Answer the missing "
                        "items, then submit again.",
                        questionnaire=response.questionnaire_id.name,
                        reason=str(exc),
                    )
                )
            response._workflow_write(
                {"state": "submitted", "score": value, "date_submitted": fields.Datetime.now()}
            )
        return True

    @api.private
    def _measure(self):
        self.ensure_one()
        return MEASURES[self.scoring]


class ClinicQuestionnaireAnswer(models.Model):
    _name = "clinic.questionnaire.answer"
    _description = "Questionnaire Answer"
    _inherit = ["clinic.locked.part"]
    _order = "sequence, id"
    _frozen_parent = "response_id"

    response_id = fields.Many2one(
        comodel_name="clinic.questionnaire.response",
        required=True,
        index=True,
        ondelete="cascade",
    )
    patient_id = fields.Many2one(related="response_id.patient_id")
    sequence = fields.Integer(default=10)
    question = fields.Text(readonly=True)
    value = fields.Selection(ANSWER_VALUES, string="Answer", help="Empty: not answered.")


class ClinicEpisode(models.Model):
    _inherit = "clinic.episode"

    response_ids = fields.One2many(
        comodel_name="clinic.questionnaire.response",
        inverse_name="episode_id",
        string="Questionnaires",
    )
