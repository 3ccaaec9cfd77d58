from odoo import fields, models

from .clinic_intake import ANSWERS


class ClinicIntakeAnswer(models.Model):
    _name = "clinic.intake.answer"
    _inherit = ["clinic.intake.part"]
    _locked_content = ("intake_id", "contraindication_id", "answer", "detail")
    _description = "Intake Health Answer"
    _order = "sequence, id"

    contraindication_id = fields.Many2one(
        comodel_name="clinic.contraindication", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="contraindication_id.sequence", store=True)
    question = fields.Char(related="contraindication_id.question")
    kind = fields.Selection(related="contraindication_id.kind")
    answer = fields.Selection(ANSWERS, help="Empty until the patient answers.")
    detail = fields.Char(help="Where, since when, what the physician said.")

    _question_uniq = models.Constraint(
        "UNIQUE(intake_id, contraindication_id)", "Each question is answered once per intake."
    )
