from odoo import fields, models


class ClinicBillingSkip(models.Model):
    """A session a billing run left out, and why (e.g. its treatment note is not signed)."""

    _name = "clinic.billing.skip"
    _description = "Session Not Billed"
    _order = "run_id desc, id"

    run_id = fields.Many2one(
        comodel_name="clinic.billing.run", required=True, index=True, ondelete="cascade"
    )
    session_id = fields.Many2one(comodel_name="clinic.session", required=True, ondelete="cascade")
    patient_id = fields.Many2one(related="session_id.patient_id")
    reason = fields.Char(required=True)
