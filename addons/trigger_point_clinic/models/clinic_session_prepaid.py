from odoo import api, fields, models

from .clinic_workflow import FRONT_DESK, MANAGER

PREPAID_STATES = [
    ("awaiting", "Awaiting payment"),
    ("pending", "Payment pending"),
    ("deposit", "Deposit paid"),
    ("paid", "Paid"),
]


class ClinicSession(models.Model):
    """What a session booked online paid in advance (a deposit or its full price), for the
    session form and the portal. Therapists see nothing of payments."""

    _inherit = "clinic.session"

    prepaid_state = fields.Selection(
        PREPAID_STATES,
        string="Paid in Advance",
        compute="_compute_prepaid",
        compute_sudo=True,
        groups=f"{MANAGER},{FRONT_DESK}",
        help="Awaiting payment: held for the deposit the patient is paying online. Payment "
        "pending: held, the provider has accepted the payment and not settled it yet. Deposit "
        "paid: the billing run deducts it. Paid: the session's price was paid at booking.",
    )
    prepaid_amount = fields.Monetary(
        string="Amount Paid in Advance",
        compute="_compute_prepaid",
        compute_sudo=True,
        currency_field="currency_id",
        groups=f"{MANAGER},{FRONT_DESK}",
    )

    @api.depends(
        "state",
        "invoice_line_ids.move_id.payment_state",
        "invoice_line_ids.move_id.transaction_ids.state",
    )
    def _compute_prepaid(self):
        booking = self.env["clinic.online.booking"]
        for session in self:
            prepaid = booking._prepaid(session) if session.id else {"state": False, "amount": 0}
            session.prepaid_state = prepaid["state"]
            session.prepaid_amount = prepaid["amount"]
