from odoo import fields, models


class ClinicIntakePart(models.AbstractModel):
    """What belongs to an intake's content (its answers, its pain map): frozen, like the
    intake, once submitted (``clinic.frozen.mixin``: the ORM and a trigger)."""

    _name = "clinic.intake.part"
    _description = "Part of an Intake"
    _inherit = ["clinic.audited.mixin", "clinic.frozen.mixin"]
    _clinic_audit_patient = "intake_id.patient_id"
    _clinic_audit_parent = "intake_id"
    _frozen_parent = "intake_id"

    intake_id = fields.Many2one(
        comodel_name="clinic.intake", required=True, index=True, ondelete="cascade"
    )
