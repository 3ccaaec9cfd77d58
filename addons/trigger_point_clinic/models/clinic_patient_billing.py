"""Billing a patient: who receives the invoices, the price of a service for them, and the
invoices and packages of their sessions and plans."""

from collections import defaultdict

from odoo import api, fields, models


class ClinicPatient(models.Model):
    _inherit = "clinic.patient"

    billing_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Invoice To",
        help="Who receives the invoices: a parent, an employer or an insurer. Empty: the patient.",
    )
    plan_ids = fields.One2many(comodel_name="clinic.plan", inverse_name="patient_id")
    invoice_count = fields.Integer(compute="_compute_billing", compute_sudo=True)
    amount_due = fields.Monetary(
        compute="_compute_billing", compute_sudo=True, currency_field="currency_id"
    )
    package_balance = fields.Integer(
        compute="_compute_billing",
        compute_sudo=True,
        help="Sessions left on the packages of the patient's plans.",
    )

    @api.depends(
        "session_ids.invoice_line_ids.parent_state",
        "session_ids.invoice_line_ids.move_id.amount_residual",
        "plan_ids.invoice_line_ids.parent_state",
        "plan_ids.session_ids.state",
    )
    def _compute_billing(self):
        moves = self._invoices_by_patient()
        for patient in self:
            patient_moves = moves[patient.id]
            patient.invoice_count = len(patient_moves)
            patient.amount_due = patient_moves._clinic_amount_due()
            packages = patient.plan_ids.filtered(lambda p: p.billing_mode == "package")
            patient.package_balance = sum(packages.mapped("package_balance"))

    # ------------------------------------------------------------------ actions

    def action_view_invoices(self):
        self.ensure_one()
        self.check_access("read")
        return self._invoices_by_patient()[self.id]._clinic_action()

    # ------------------------------------------------------------------ business

    def _billing_partner(self):
        self.ensure_one()
        return self.billing_partner_id or self.partner_id

    def _clinic_price(self, product, day):
        """The price of ``product`` for this patient: their pricelist's, else the list price."""
        self.ensure_one()
        pricelist = self.partner_id.sudo().property_product_pricelist
        if pricelist:
            return pricelist._get_product_price(product, 1.0, date=day)
        return product.lst_price

    def _invoices_by_patient(self):
        """{patient id: the invoices and credit notes billing their sessions or plans}."""
        moves = defaultdict(lambda: self.env["account.move"])
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    "|",
                    ("clinic_session_id.patient_id", "in", self.ids),
                    ("clinic_plan_id.patient_id", "in", self.ids),
                ]
            )
        )
        for line in lines:
            patient = line.clinic_session_id.patient_id or line.clinic_plan_id.patient_id
            moves[patient.id] |= line.move_id
        return moves
