from odoo import models


class ResourceResource(models.Model):
    """A therapist or room given another working calendar: its available hours are computed
    again."""

    _inherit = "resource.resource"

    def write(self, vals):
        result = super().write(vals)
        if "calendar_id" in vals:
            self.env["clinic.availability.day"].sudo()._touch(self)
        return result
