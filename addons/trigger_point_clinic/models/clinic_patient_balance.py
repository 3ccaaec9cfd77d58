"""A patient's balance: what they owe, what the clinic owes them back, what they paid in
advance; and the lines of their statement for a period. Read by managers and the front desk
(never therapists), and by the patient on the portal for their own."""

from odoo import fields, models

from .clinic_charge_rule import PREPAID
from .clinic_workflow import FRONT_DESK

OPEN_STATES = ("draft", "confirmed")


class ClinicPatient(models.Model):
    _inherit = "clinic.patient"

    balance_owed = fields.Monetary(
        string="Owed",
        compute="_compute_balance",
        compute_sudo=True,
        currency_field="currency_id",
        groups=FRONT_DESK,
        help="What the patient's posted invoices still wait for.",
    )
    balance_credited = fields.Monetary(
        string="Credited",
        compute="_compute_balance",
        compute_sudo=True,
        currency_field="currency_id",
        groups=FRONT_DESK,
        help="What the patient's open credit notes give back.",
    )
    balance_prepaid = fields.Monetary(
        string="Paid in Advance",
        compute="_compute_balance",
        compute_sudo=True,
        currency_field="currency_id",
        groups=FRONT_DESK,
        help="Sessions paid in advance and not taken yet, and deposits of sessions to come.",
    )

    def _compute_balance(self):
        for patient in self:
            balance = patient._clinic_balance()
            patient.balance_owed = balance["owed"]
            patient.balance_credited = balance["credited"]
            patient.balance_prepaid = balance["prepaid"]

    def _clinic_balance(self):
        """{owed, credited, prepaid} of this patient, tax included, in the company's
        currency."""
        self.ensure_one()
        moves = (
            self.sudo()
            ._invoices_by_patient()[self.id]
            .filtered(lambda move: move.state == "posted")
        )
        invoices = moves.filtered(lambda move: move.move_type == "out_invoice")
        refunds = moves.filtered(lambda move: move.move_type == "out_refund")
        paid = invoices.filtered(lambda move: move.payment_state in ("paid", "in_payment"))
        in_advance = paid.invoice_line_ids.filtered(
            lambda line: (
                line.clinic_session_id.state in OPEN_STATES
                and (
                    line.clinic_charge == "deposit"
                    or (
                        line.clinic_charge == "session"
                        and line.clinic_session_id._billing_mode() in PREPAID
                    )
                )
            )
        )
        return {
            "owed": sum(invoices.mapped("amount_residual")),
            "credited": sum(refunds.mapped("amount_residual")),
            "prepaid": sum(in_advance.mapped("price_total")),
        }

    def _clinic_statement(self, date_from, date_to):
        """The statement of a period: the opening balance (what was owed before it, credits
        counting against), the invoices, credit notes and payments of the period by date, and
        the closing balance."""
        self.ensure_one()
        moves = (
            self.sudo()
            ._invoices_by_patient()[self.id]
            .filtered(lambda move: move.state == "posted")
        )
        payments = moves._get_reconciled_payments() if moves else moves.browse()
        entries = []
        for move in moves:
            sign = 1 if move.move_type == "out_invoice" else -1
            entries.append(
                {
                    "date": move.invoice_date or move.date,
                    "kind": "invoice" if sign > 0 else "credit_note",
                    "name": move.name,
                    "amount": sign * move.amount_total,
                }
            )
        for payment in payments:
            sign = -1 if payment.payment_type == "inbound" else 1
            entries.append(
                {
                    "date": payment.date,
                    "kind": "payment",
                    "name": payment.name,
                    "amount": sign * payment.amount,
                }
            )
        entries.sort(key=lambda entry: (entry["date"], entry["name"] or ""))
        opening = sum(entry["amount"] for entry in entries if entry["date"] < date_from)
        period = [entry for entry in entries if date_from <= entry["date"] <= date_to]
        closing = opening + sum(entry["amount"] for entry in period)
        return {
            "patient": self,
            "date_from": date_from,
            "date_to": date_to,
            "opening": opening,
            "entries": period,
            "closing": closing,
            "currency": self.company_id.currency_id or self.env.company.currency_id,
        }
