from odoo import fields, models


class ClinicPlanSkip(models.Model):
    """A slot of a plan that got no session, and why."""

    _name = "clinic.plan.skip"
    _description = "Skipped Plan Slot"
    _order = "slot_date"

    plan_id = fields.Many2one(
        comodel_name="clinic.plan", required=True, index=True, ondelete="cascade"
    )
    slot_date = fields.Date(required=True)
    start = fields.Datetime()
    reason = fields.Char(required=True)

    _slot_uniq = models.Constraint(
        "UNIQUE(plan_id, slot_date)", "A slot of a plan is skipped once."
    )
