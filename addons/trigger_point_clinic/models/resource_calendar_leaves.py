from datetime import timedelta

from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """A leave or closing day added, moved or removed changes the available hours of the days it
    covers, for its resource, its calendar's resources, or (no calendar) everyone: those days are
    computed again, the days it left as well as the days it reaches."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        self._touch_availability(leaves._availability_spans())
        return leaves

    def write(self, vals):
        spans = self._availability_spans()
        result = super().write(vals)
        self._touch_availability(spans + self._availability_spans())
        return result

    def unlink(self):
        spans = self._availability_spans()
        result = super().unlink()
        self._touch_availability(spans)
        return result

    def _availability_spans(self):
        """[(resources or None for everyone, first day, last day)] the leaves cover (a day
        either side: they are stored in UTC)."""
        spans = []
        for leave in self.sudo():
            if leave.resource_id:
                resources = leave.resource_id
            elif leave.calendar_id:
                resources = leave.resource_id.search([("calendar_id", "=", leave.calendar_id.id)])
            else:
                resources = None
            spans.append(
                (
                    resources,
                    leave.date_from and leave.date_from.date() - timedelta(days=1),
                    leave.date_to and leave.date_to.date() + timedelta(days=1),
                )
            )
        return spans

    @api.model
    def _touch_availability(self, spans):
        days = self.env["clinic.availability.day"].sudo()
        for resources, date_from, date_to in spans:
            if resources is None or resources:
                days._touch(resources, date_from, date_to)
