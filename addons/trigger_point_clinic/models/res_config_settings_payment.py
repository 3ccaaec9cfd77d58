from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_card_authorisation_text = fields.Text(
        related="company_id.clinic_card_authorisation_text", readonly=False
    )
    clinic_card_retry_days = fields.Char(
        related="company_id.clinic_card_retry_days", readonly=False
    )
    clinic_overdue_booking_days = fields.Integer(
        related="company_id.clinic_overdue_booking_days", readonly=False
    )
    clinic_booking_payment = fields.Selection(
        related="company_id.clinic_booking_payment", readonly=False
    )
    clinic_booking_deposit_type = fields.Selection(
        related="company_id.clinic_booking_deposit_type", readonly=False
    )
    clinic_booking_deposit = fields.Float(
        related="company_id.clinic_booking_deposit", readonly=False
    )
    clinic_booking_hold_minutes = fields.Integer(
        related="company_id.clinic_booking_hold_minutes", readonly=False
    )
