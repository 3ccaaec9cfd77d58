from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_company import FEE_TYPES

DEFAULT_RETRY_DAYS = "1,3,7"
BOOKING_PAYMENTS = [
    ("none", "Nothing: the patient pays after the session"),
    ("deposit", "A deposit"),
    ("full", "The full price"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    clinic_card_authorisation_text = fields.Text(
        string="Saved Card Authorisation",
        translate=True,
        help='What a patient accepts when saving a card on the portal. Empty: "I authorise '
        '<clinic> to charge this card for my plan invoices and fees."',
    )
    clinic_card_retry_days = fields.Char(
        string="Retry Failed Card Charges After (days)",
        default=DEFAULT_RETRY_DAYS,
        help="Days after each failed charge of a saved card before it is tried again, e.g. "
        '"1,3,7": three more tries. Empty: no retry.',
    )
    clinic_overdue_booking_days = fields.Integer(
        string="Refuse Online Booking When Overdue (days)",
        default=14,
        help="A patient with an invoice overdue for more than this many days cannot book on "
        "the portal until it is paid. 0: never refused.",
    )

    clinic_booking_payment = fields.Selection(
        BOOKING_PAYMENTS,
        string="Payment at Online Booking",
        default="none",
        required=True,
        help="What a patient booking on the portal pays before the session is booked: nothing, "
        "a deposit, or the full price. The session is held while the patient pays and freed "
        "if the payment fails or is abandoned.",
    )
    clinic_booking_deposit_type = fields.Selection(
        FEE_TYPES, string="Deposit Type", default="percent", required=True
    )
    clinic_booking_deposit = fields.Float(
        string="Deposit",
        default=30.0,
        help="A fixed amount before tax (as the products' prices), or a percentage of the "
        "session's price; never more than the price. The patient pays it with tax.",
    )
    clinic_booking_hold_minutes = fields.Integer(
        string="Hold an Unpaid Booking (minutes)",
        default=30,
        help="How long a session booked online waits for its payment before its time is freed.",
    )

    @api.constrains(
        "clinic_booking_payment",
        "clinic_booking_deposit",
        "clinic_booking_deposit_type",
        "clinic_booking_hold_minutes",
    )
    def _check_clinic_booking_payment(self):
        for company in self:
            if company.clinic_booking_payment == "deposit" and not (
                0 < company.clinic_booking_deposit < float("inf")
            ):
                raise ValidationError(
                    self.env._(
                        "Deposit: enter an amount above 0 (or choose no payment at online booking)."
                    )
                )
            if (
                company.clinic_booking_deposit_type == "percent"
                and company.clinic_booking_deposit > 100
            ):
                raise ValidationError(
                    self.env._("Deposit: a percentage of the session's price, 100 at most.")
                )
            if not 5 <= company.clinic_booking_hold_minutes <= 24 * 60:
                raise ValidationError(
                    self.env._(
                        "Hold an Unpaid Booking: between 5 minutes and 1440 (a day), the time "
                        "a patient has to pay."
                    )
                )

    @api.constrains("clinic_card_retry_days")
    def _check_clinic_card_retry_days(self):
        for company in self:
            company._clinic_card_retry_delays()

    @api.constrains("clinic_overdue_booking_days")
    def _check_clinic_overdue_booking_days(self):
        for company in self:
            if company.clinic_overdue_booking_days < 0:
                raise ValidationError(
                    self.env._(
                        "Refuse Online Booking When Overdue: enter a number of days, 0 or more "
                        "(0 never refuses)."
                    )
                )

    def _clinic_card_retry_delays(self):
        """The retry schedule as a list of days, checked."""
        self.ensure_one()
        text = (self.clinic_card_retry_days or "").strip()
        if not text:
            return []
        try:
            delays = [int(part) for part in text.split(",")]
        except ValueError:
            delays = None
        if not delays or any(d < 1 or d > 90 for d in delays):
            raise ValidationError(
                self.env._(
                    "Retry Failed Card Charges After: enter days from 1 to 90 separated by "
                    'commas, e.g. "1,3,7" (empty: no retry), not "%(text)s".',
                    text=text,
                )
            )
        return delays

    def _clinic_card_authorisation(self):
        """The authorisation text a patient accepts, with the clinic's name."""
        self.ensure_one()
        return self.clinic_card_authorisation_text or self.env._(
            "I authorise %(clinic)s to charge this card for my plan invoices and fees.",
            clinic=self.name,
        )
