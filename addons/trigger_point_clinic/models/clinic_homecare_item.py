from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ClinicHomecareItem(models.Model):
    """One self-care exercise the patient is given: self-massage or a stretch, for a region,
    so many times a day for so long."""

    _name = "clinic.homecare.item"
    _inherit = ["clinic.treatment.note.part"]
    _description = "Home-care Item"

    region_id = fields.Many2one(
        comodel_name="clinic.body.region", string="Region or Muscle", required=True
    )
    kind = fields.Selection(
        [("self_massage", "Self-massage"), ("stretch", "Stretch"), ("other", "Other")],
        required=True,
        default="self_massage",
    )
    instructions = fields.Text(help="How to do it, in the patient's words.")
    times_per_day = fields.Integer(default=2, required=True)
    minutes = fields.Integer(string="Minutes Each Time", default=2, required=True)

    @api.constrains("times_per_day", "minutes")
    def _check_dose(self):
        for item in self:
            if not 1 <= item.times_per_day <= 12:
                raise ValidationError(
                    self.env._(
                        "Times per day for %(region)s is %(times)s: enter 1 to 12.",
                        region=item.region_id.display_name,
                        times=item.times_per_day,
                    )
                )
            if not 1 <= item.minutes <= 120:
                raise ValidationError(
                    self.env._(
                        "Minutes each time for %(region)s is %(minutes)s: enter 1 to 120.",
                        region=item.region_id.display_name,
                        minutes=item.minutes,
                    )
                )
