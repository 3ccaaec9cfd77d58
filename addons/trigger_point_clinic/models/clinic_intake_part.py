from odoo import fields, models


class ClinicIntakePart(models.AbstractModel):
    """What belongs to an intake's content (its answers, its pain map): locked with the intake
    once submitted (``clinic.locked.part``)."""

    _name = "clinic.intake.part"
    _description = "Part of an Intake"
    _inherit = ["clinic.locked.part"]
    _frozen_parent = "intake_id"

    intake_id = fields.Many2one(
        comodel_name="clinic.intake", required=True, index=True, ondelete="cascade"
    )
