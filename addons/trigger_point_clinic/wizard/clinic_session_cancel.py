from odoo import api, fields, models

from ..models.clinic_workflow import FRONT_DESK, MANAGER


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
    fee_summary = fields.Text(
        string="What It Costs",
        compute="_compute_fee_summary",
        groups=f"{MANAGER},{FRONT_DESK}",
        help="What cancelling now costs each session, by the clinic's charge rule, tax included "
        "as invoiced.",
    )

    @api.depends("session_ids", "party")
    def _compute_fee_summary(self):
        rule = self.env["clinic.charge.rule"]
        for wizard in self:
            lines = []
            for session in wizard.session_ids:
                if wizard.party == "clinic":
                    text = self.env._("it costs nothing (cancelled by the clinic)")
                else:
                    text = rule._summary(rule._cancel_charge(session))
                lines.append(f"{session.display_name}: {text}")
            wizard.fee_summary = "\n".join(lines) or False

    def action_confirm(self):
        self.ensure_one()
        self.session_ids._cancel(self.reason, self.party)
        return {"type": "ir.actions.act_window_close"}
