"""The clinic's patients' invoices on the portal, in words fit for a patient: a posted invoice
is the invoice (Odoo calls it "Proforma" until its PDF is generated and sent), and the user who
posted it (often OdooBot, through the billing run) is no salesperson of a patient's. Other
invoices of the database keep Odoo's own wording."""

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _clinic_patient_invoice(self):
        """Whether every move in ``self`` is a clinic patient's: it bills clinic sessions, or it
        is addressed to a patient of the clinic."""
        if not self:
            return False
        moves = self.sudo()
        patients = self.env["clinic.patient"].sudo()
        for move in moves:
            if any(move.invoice_line_ids.mapped("clinic_charge")):
                continue
            if not patients.search_count(
                [("partner_id", "=", move.partner_id.commercial_partner_id.id)], limit=1
            ) and not patients.search_count([("partner_id", "=", move.partner_id.id)], limit=1):
                return False
        return True


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        data = super()._get_rendering_context(report, docids, data)
        if data.get("proforma") and report.model == "account.move":
            moves = self.env["account.move"].browse(docids)
            if all(move.state == "posted" for move in moves.sudo()) and (
                moves._clinic_patient_invoice()
            ):
                data["proforma"] = False
        return data
