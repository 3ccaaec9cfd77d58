from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_intake_validity_months = fields.Integer(
        related="company_id.clinic_intake_validity_months", readonly=False
    )
    clinic_late_cancel_hours = fields.Integer(
        related="company_id.clinic_late_cancel_hours", readonly=False
    )
    clinic_appointment_reminder_hours = fields.Integer(
        related="company_id.clinic_appointment_reminder_hours", readonly=False
    )
    clinic_plan_horizon_weeks = fields.Integer(
        related="company_id.clinic_plan_horizon_weeks", readonly=False
    )
    clinic_online_weekly_limit = fields.Integer(
        related="company_id.clinic_online_weekly_limit", readonly=False
    )
    clinic_online_booking_weeks = fields.Integer(
        related="company_id.clinic_online_booking_weeks", readonly=False
    )
    clinic_billing_mode = fields.Selection(related="company_id.clinic_billing_mode", readonly=False)
    clinic_invoice_post = fields.Boolean(related="company_id.clinic_invoice_post", readonly=False)
    clinic_require_signed_note = fields.Boolean(
        related="company_id.clinic_require_signed_note", readonly=False
    )
    clinic_no_show_fee_type = fields.Selection(
        related="company_id.clinic_no_show_fee_type", readonly=False
    )
    clinic_no_show_fee = fields.Float(related="company_id.clinic_no_show_fee", readonly=False)
    clinic_late_cancel_fee_type = fields.Selection(
        related="company_id.clinic_late_cancel_fee_type", readonly=False
    )
    clinic_late_cancel_fee = fields.Float(
        related="company_id.clinic_late_cancel_fee", readonly=False
    )
    clinic_access_log_days = fields.Integer(
        related="company_id.clinic_access_log_days", readonly=False
    )
    clinic_emergency_access_hours = fields.Integer(
        related="company_id.clinic_emergency_access_hours", readonly=False
    )
