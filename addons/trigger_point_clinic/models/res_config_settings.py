from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_intake_validity_months = fields.Integer(
        related="company_id.clinic_intake_validity_months", readonly=False
    )
    clinic_late_cancel_hours = fields.Integer(
        related="company_id.clinic_late_cancel_hours", readonly=False
    )
    clinic_plan_horizon_weeks = fields.Integer(
        related="company_id.clinic_plan_horizon_weeks", readonly=False
    )
