from odoo import fields, models


class ClinicSessionCancel(models.TransientModel):
    _name = "clinic.session.cancel"
    _description = "Cancel Sessions"

    session_ids = fields.Many2many(
        comodel_name="clinic.session",
        default=lambda self: self.env.context.get("active_ids"),
    )
    party = fields.Selection(
        [("patient", "Patient"), ("clinic", "Clinic")],
        string="Cancelled By",
        required=True,
        default="patient",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.session_ids._cancel(self.reason, self.party)
        return {"type": "ir.actions.act_window_close"}
