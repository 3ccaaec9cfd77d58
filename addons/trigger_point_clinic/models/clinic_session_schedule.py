"""The day schedule (a timeline per therapist or room, views/clinic_schedule_views.xml): a
session dragged to another time, therapist or room is checked before it lands, by the same
rules as a save, so that a clash is refused with its message and nothing is written; and the
booking form warns of a clash as soon as the time, therapist or room is chosen."""

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from .clinic_session import SCHEDULE_FIELDS
from .clinic_workflow import check_access_first


class _WouldSave(Exception):
    """Raised inside the trial write of ``check_schedule_move`` to undo it."""


class ClinicSession(models.Model):
    _inherit = "clinic.session"

    @api.onchange("start", "stop", "therapist_id", "room_id")
    def _onchange_schedule_clash(self):
        """Warn of a double booking while the form is being filled, not only at save."""
        if not (self.start and self.stop and self.therapist_id and self.room_id):
            return None
        if self.stop <= self.start or self.state == "cancelled":
            return None
        slot = (
            self._origin.id or None,
            self.therapist_id.id,
            self.room_id.id,
            self.start,
            self.stop,
        )
        conflict = self._booking_conflicts([slot])[0]
        if not conflict:
            return None
        kind, other = conflict
        what = other.sudo().therapist_id if kind == "therapist" else other.sudo().room_id
        return {
            "warning": {
                "title": self.env._("Double booking"),
                "message": self.env._(
                    "%(what)s is already booked at that time by session %(other)s. Choose "
                    "another time, therapist or room, or cancel that session.",
                    what=what.name,
                    other=other.sudo().display_name,
                ),
            }
        }

    def check_schedule_move(self, vals):
        """Would moving this session to ``vals`` (its start, stop, therapist and room only) be
        saved? False if so, else the message the save would give. The move is tried and
        undone: every rule of a save (the booking rule, working hours, the roles, a closed or
        signed session) answers, and nothing is written."""
        self.ensure_one()
        check_access_first(self, "write")
        vals = {name: value for name, value in vals.items() if name in SCHEDULE_FIELDS}
        if not vals:
            return False
        try:
            with self.env.cr.savepoint():
                self.write(vals)
                self.env.flush_all()
                raise _WouldSave
        except _WouldSave:
            return False
        except (UserError, ValidationError) as error:
            return error.args[0]
