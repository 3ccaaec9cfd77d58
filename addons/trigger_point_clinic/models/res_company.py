import math

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .clinic_access_log import DEFAULT_RETENTION_DAYS, MIN_RETENTION_DAYS
from .clinic_dates import local_datetime

BILLING_MODES = [
    ("per_session", "Per attended session (post-paid)"),
    ("weekly", "Weekly in advance (pre-paid)"),
    ("monthly", "Monthly in advance (pre-paid)"),
    ("package", "Package of sessions paid up front"),
]
# Two weeks: a reminder earlier than that is forgotten by the day of the session.
MAX_REMINDER_HOURS = 14 * 24
FEE_TYPES = [("fixed", "Fixed amount"), ("percent", "% of the session price")]


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
    clinic_appointment_reminder_hours = fields.Integer(
        string="Appointment Reminder (hours before)",
        default=24,
        help="Patients are e-mailed (and sent an SMS, with the SMS app) a reminder of each "
        "session this many hours before it starts. 0 sends none.",
    )
    clinic_plan_horizon_weeks = fields.Integer(
        string="Planning Horizon (weeks)",
        default=8,
        help="How far ahead weekly plans keep their sessions generated.",
    )
    clinic_online_weekly_limit = fields.Integer(
        string="Online Bookings per Week",
        default=2,
        help="How many sessions a patient may have in one week (Monday to Sunday) when booking "
        "on the patient portal. The front desk is not limited.",
    )
    clinic_online_booking_weeks = fields.Integer(
        string="Online Booking Horizon (weeks)",
        default=4,
        help="How far ahead patients see free times on the patient portal.",
    )

    clinic_billing_mode = fields.Selection(
        BILLING_MODES,
        string="Default Billing Mode",
        default="per_session",
        required=True,
        help="How new weekly plans are billed.",
    )
    clinic_invoice_post = fields.Boolean(
        string="Post Clinic Invoices",
        help="Billing runs post the invoices they create; otherwise they stay in draft.",
    )
    clinic_require_signed_note = fields.Boolean(
        string="No Invoice Without a Signed Note",
        help="An attended session is billed only once its treatment note is signed.",
    )
    clinic_no_show_fee_type = fields.Selection(FEE_TYPES, default="fixed", required=True)
    clinic_no_show_fee = fields.Float(
        string="No-show Fee", help="0 charges nothing for a missed session."
    )
    clinic_late_cancel_fee_type = fields.Selection(FEE_TYPES, default="fixed", required=True)
    clinic_late_cancel_fee = fields.Float(
        string="Late Cancellation Fee", help="0 charges nothing for a late cancellation."
    )

    clinic_access_log_days = fields.Integer(
        string="Keep the Access Log (days)",
        default=DEFAULT_RETENTION_DAYS,
        help="Entries of the clinical access log older than this are removed; at least "
        f"{MIN_RETENTION_DAYS} days.",
    )
    clinic_emergency_access_hours = fields.Integer(
        string="Emergency Access (hours)",
        default=24,
        help="How long a therapist's emergency (break-the-glass) access to a patient lasts.",
    )

    @api.constrains("clinic_access_log_days", "clinic_emergency_access_hours")
    def _check_clinic_audit_policy(self):
        for company in self:
            if not MIN_RETENTION_DAYS <= company.clinic_access_log_days <= 36_500:
                raise ValidationError(
                    self.env._(
                        "Keep the Access Log is %(days)s days: enter between %(min)s and 36500 "
                        "days.",
                        days=company.clinic_access_log_days,
                        min=MIN_RETENTION_DAYS,
                    )
                )
            if not 1 <= company.clinic_emergency_access_hours <= 168:
                raise ValidationError(
                    self.env._(
                        "Emergency Access is %(hours)s hours: enter between 1 and 168 hours.",
                        hours=company.clinic_emergency_access_hours,
                    )
                )

    @api.constrains(
        "clinic_intake_validity_months",
        "clinic_late_cancel_hours",
        "clinic_appointment_reminder_hours",
        "clinic_plan_horizon_weeks",
        "clinic_online_weekly_limit",
        "clinic_online_booking_weeks",
        "clinic_no_show_fee",
        "clinic_no_show_fee_type",
        "clinic_late_cancel_fee",
        "clinic_late_cancel_fee_type",
    )
    def _check_clinic_policy(self):
        for company in self:
            if company.clinic_intake_validity_months < 1:
                raise ValidationError(self.env._("Intake Validity must be at least 1 month."))
            if company.clinic_late_cancel_hours < 0:
                raise ValidationError(
                    self.env._("Late Cancellation Notice cannot be a negative number of hours.")
                )
            if not 0 <= company.clinic_appointment_reminder_hours <= MAX_REMINDER_HOURS:
                raise ValidationError(
                    self.env._(
                        "Appointment Reminder must be between 0 (no reminders) and %(max)s "
                        "hours before the session.",
                        max=MAX_REMINDER_HOURS,
                    )
                )
            if not 1 <= company.clinic_plan_horizon_weeks <= 52:
                raise ValidationError(
                    self.env._("Planning Horizon must be between 1 and 52 weeks.")
                )
            if not 1 <= company.clinic_online_weekly_limit <= 14:
                raise ValidationError(
                    self.env._("Online Bookings per Week must be between 1 and 14.")
                )
            if not 1 <= company.clinic_online_booking_weeks <= 26:
                raise ValidationError(
                    self.env._("Online Booking Horizon must be between 1 and 26 weeks.")
                )
            for label, amount, kind in (
                (
                    self.env._("No-show Fee"),
                    company.clinic_no_show_fee,
                    company.clinic_no_show_fee_type,
                ),
                (
                    self.env._("Late Cancellation Fee"),
                    company.clinic_late_cancel_fee,
                    company.clinic_late_cancel_fee_type,
                ),
            ):
                # NaN passes any comparison: a fee must first be a number.
                if not math.isfinite(amount) or amount >= 1e12:
                    raise ValidationError(
                        self.env._(
                            "%(fee)s is %(amount)s: enter an amount, or 0 to charge nothing.",
                            fee=label,
                            amount=amount,
                        )
                    )
                if amount < 0:
                    raise ValidationError(
                        self.env._(
                            "%(fee)s is %(amount)s: a fee cannot be negative; enter 0 to charge "
                            "nothing.",
                            fee=label,
                            amount=amount,
                        )
                    )
                if kind == "percent" and amount > 100:
                    raise ValidationError(
                        self.env._(
                            "%(fee)s is %(amount)s%% of the session price: enter at most 100.",
                            fee=label,
                            amount=amount,
                        )
                    )

    def _clinic_users(self, group):
        """The internal users of role ``group`` (an xml id) who work for this company."""
        self.ensure_one()
        return (
            self.env.ref(group)
            .sudo()
            .all_user_ids.filtered(lambda user: self in user.company_ids and not user.share)
        )

    def _clinic_tz(self):
        """The clinic's timezone: its working calendar's, else its own partner's, else UTC.
        Local days and local times of sessions and plans are read in it."""
        self.ensure_one()
        return pytz.timezone(self.resource_calendar_id.tz or self.partner_id.tz or "UTC")

    def _clinic_local_datetime(self, when):
        """``when`` (a naive UTC datetime, as stored) in the clinic's time, timezone-aware."""
        return local_datetime(self._clinic_tz(), fields.Datetime.to_datetime(when))

    def _clinic_local_date(self, when):
        """The clinic's local day of ``when`` (a naive UTC datetime): the one rule by which
        sessions count on a day, screenings apply and reports group."""
        return self._clinic_local_datetime(when).date()
