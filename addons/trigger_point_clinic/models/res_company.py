import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    clinic_intake_validity_months = fields.Integer(
        string="Intake Validity (months)",
        default=12,
        help="An intake older than this no longer screens the patient: a new intake is needed.",
    )
    clinic_late_cancel_hours = fields.Integer(
        string="Late Cancellation Notice (hours)",
        default=24,
        help="A session cancelled with less notice than this counts as a late cancellation.",
    )
    clinic_plan_horizon_weeks = fields.Integer(
        string="Planning Horizon (weeks)",
        default=8,
        help="How far ahead weekly plans keep their sessions generated.",
    )

    @api.constrains(
        "clinic_intake_validity_months", "clinic_late_cancel_hours", "clinic_plan_horizon_weeks"
    )
    def _check_clinic_policy(self):
        for company in self:
            if company.clinic_intake_validity_months < 1:
                raise ValidationError(self.env._("Intake Validity must be at least 1 month."))
            if company.clinic_late_cancel_hours < 0:
                raise ValidationError(
                    self.env._("Late Cancellation Notice cannot be a negative number of hours.")
                )
            if not 1 <= company.clinic_plan_horizon_weeks <= 52:
                raise ValidationError(
                    self.env._("Planning Horizon must be between 1 and 52 weeks.")
                )

    def _clinic_tz(self):
        """The clinic's timezone: its working calendar's, else its own partner's, else UTC.
        Local days and local times of sessions and plans are read in it."""
        self.ensure_one()
        return pytz.timezone(self.resource_calendar_id.tz or self.partner_id.tz or "UTC")
