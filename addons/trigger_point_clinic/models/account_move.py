from odoo import models

CHARGES = [
    ("session", "Session"),
    ("no_show_fee", "No-show fee"),
    ("late_cancel_fee", "Late cancellation fee"),
    ("credit", "Credit for a cancelled session"),
    ("package", "Package of sessions"),
    ("deposit", "Deposit"),
    ("deposit_deduction", "Deposit deducted"),
    ("deposit_credit", "Deposit credited"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    def _clinic_action(self):
        """The customer invoices and credit notes in ``self``, as a window action."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        # Odoo's invoice list shows its Customer column only for a customer move type.
        action.update(
            domain=[("id", "in", self.ids)],
            context={"create": False, "default_move_type": "out_invoice"},
        )
        if len(self) == 1:
            action.update(views=[(False, "form")], res_id=self.id, view_mode="form")
        return action

    def _clinic_amount_due(self):
        """What the posted invoices in ``self`` still wait for (credit notes count negative)."""
        return sum(self.filtered(lambda m: m.state == "posted").mapped("amount_residual_signed"))
