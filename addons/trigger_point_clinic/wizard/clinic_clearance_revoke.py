from odoo import fields, models


class ClinicClearanceRevoke(models.TransientModel):
    """Asks why a physician's clearance is revoked (recorded by mistake, or withdrawn by the
    physician) before the clearance's own action withdraws it."""

    _name = "clinic.clearance.revoke"
    _description = "Revoke a Clearance"

    clearance_id = fields.Many2one(
        comodel_name="clinic.clearance",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.context.get("active_id"),
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.clearance_id.action_revoke(self.reason)
        return {"type": "ir.actions.act_window_close"}
