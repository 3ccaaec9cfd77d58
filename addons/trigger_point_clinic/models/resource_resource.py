from odoo import models


class ResourceResource(models.Model):
    """A therapist or room given another working calendar: its available hours are stale."""

    _inherit = "resource.resource"

    def write(self, vals):
        result = super().write(vals)
        if "calendar_id" in vals:
            self.env["clinic.availability.day"].sudo()._forget(self)
        return result
