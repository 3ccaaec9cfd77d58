from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ClinicIntakePain(models.Model):
    _name = "clinic.intake.pain"
    _inherit = ["clinic.intake.part"]
    _description = "Intake Pain Map Entry"
    _order = "pain desc, id"

    region_id = fields.Many2one(comodel_name="clinic.body.region", required=True)
    pain = fields.Integer(string="Pain (0-10)", required=True)

    _region_uniq = models.Constraint(
        "UNIQUE(intake_id, region_id)", "A region appears once on an intake's pain map."
    )

    @api.constrains("pain")
    def _check_pain(self):
        for entry in self:
            if not 0 <= entry.pain <= 10:
                raise ValidationError(
                    self.env._(
                        "Pain for %(region)s is %(pain)s: enter a whole number from 0 (no pain) "
                        "to 10 (worst imaginable).",
                        region=entry.region_id.display_name,
                        pain=entry.pain,
                    )
                )
