from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class ClinicOnlineBooking(models.AbstractModel):
    _inherit = "clinic.online.booking"

    @api.model
    def _check_overdue(self, patient):
        """Refuse an online booking while the patient's bills hold an invoice overdue for more
        days than the clinic allows (settings: 0 never refuses), saying what to do."""
        patient = patient.sudo()
        limit = patient.company_id.clinic_overdue_booking_days
        if not limit:
            return
        before = fields.Date.context_today(self) - timedelta(days=limit)
        partners = patient.partner_id | patient._billing_partner()
        oldest = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("commercial_partner_id", "in", partners.commercial_partner_id.ids),
                    ("invoice_date_due", "<", before),
                ],
                order="invoice_date_due",
                limit=1,
            )
        )
        if oldest:
            raise UserError(
                self.env._(
                    "You have an invoice overdue since %(date)s (%(invoice)s): pay it on My "
                    "Invoices first, then book again.",
                    date=fields.Date.to_string(oldest.invoice_date_due),
                    invoice=oldest.name,
                )
            )
