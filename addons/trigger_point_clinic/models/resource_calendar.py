from odoo import api, models


class ResourceCalendar(models.Model):
    """A working calendar whose hours or time zone change makes the utilisation's available
    hours of its resources stale: the days already computed are computed again."""

    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if {"tz", "attendance_ids", "hours_per_day"} & set(vals):
            self._touch_availability()
        return result

    def _touch_availability(self):
        resources = self.env["resource.resource"].sudo().search([("calendar_id", "in", self.ids)])
        if resources:
            self.env["clinic.availability.day"].sudo()._touch(resources)


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.calendar_id._touch_availability()
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        (calendars | self.calendar_id)._touch_availability()
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        calendars._touch_availability()
        return result
