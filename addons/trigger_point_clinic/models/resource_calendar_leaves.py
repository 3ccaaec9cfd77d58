from datetime import timedelta

from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """A leave or closing day added, moved or removed makes the available hours of the days it
    covers stale, for its resource, its calendar's resources, or (no calendar) everyone."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._forget_availability()
        return leaves

    def write(self, vals):
        self._forget_availability()
        result = super().write(vals)
        self._forget_availability()
        return result

    def unlink(self):
        self._forget_availability()
        return super().unlink()

    def _forget_availability(self):
        """Forget the local days the leave touches (a day either side: it is stored in UTC)."""
        days = self.env["clinic.availability.day"].sudo()
        for leave in self.sudo():
            if leave.resource_id:
                resources = leave.resource_id
            elif leave.calendar_id:
                resources = leave.resource_id.search([("calendar_id", "=", leave.calendar_id.id)])
            else:
                resources = None
            days._forget(
                resources,
                leave.date_from and leave.date_from.date() - timedelta(days=1),
                leave.date_to and leave.date_to.date() + timedelta(days=1),
            )
