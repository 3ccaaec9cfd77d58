from odoo import api, fields, models

from .clinic_intake import ANSWERS


class ClinicIntakeAnswer(models.Model):
    _name = "clinic.intake.answer"
    _inherit = ["clinic.intake.part"]
    _description = "Intake Health Answer"
    _order = "sequence, id"

    contraindication_id = fields.Many2one(
        comodel_name="clinic.contraindication", required=True, ondelete="restrict"
    )
    # The question's place when it was asked: a frozen answer does not follow the catalogue.
    sequence = fields.Integer(compute="_compute_sequence", store=True)
    question = fields.Char(related="contraindication_id.question")
    kind = fields.Selection(related="contraindication_id.kind")
    answer = fields.Selection(ANSWERS, help="Empty until the patient answers.")
    detail = fields.Char(help="Where, since when, what the physician said.")

    @api.depends("contraindication_id")
    def _compute_sequence(self):
        for answer in self:
            answer.sequence = answer.contraindication_id.sequence

    _question_uniq = models.Constraint(
        "UNIQUE(intake_id, contraindication_id)", "Each question is answered once per intake."
    )
