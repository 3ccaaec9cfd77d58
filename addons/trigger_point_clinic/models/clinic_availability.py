"""When a therapist and a room can take a session: the one place that reads working calendars,
leaves and clinic closing days, for bookings and for the weekly plans alike."""

from bisect import bisect_right
from collections import defaultdict
from datetime import timedelta

import pytz


def _spans(intervals):
    return sorted(
        (start.astimezone(pytz.utc), stop.astimezone(pytz.utc)) for start, stop, _ in intervals
    )


def _covers(spans, start, stop):
    """True when one span of ``spans`` (sorted) holds the whole of [start, stop]."""
    starts = [span[0] for span in spans]
    index = bisect_right(starts, start) - 1
    return index >= 0 and spans[index][1] >= stop


def _touches(spans, start, stop):
    return any(s < stop and start < e for s, e in spans)


class Availability:
    """Working time of therapists and rooms over one window, read once from their calendars.

    ``reason(therapist, room, start, stop)`` says why the slot cannot be booked (outside the
    therapist's hours, clinic closed, therapist on leave, room closed), or None when it can.
    Datetimes are naive UTC, as Odoo stores them.
    """

    def __init__(self, env, therapists, rooms, start, stop):
        self.env = env
        start = pytz.utc.localize(start - timedelta(days=1))
        stop = pytz.utc.localize(stop + timedelta(days=1))
        self.attendance = {}
        self.work = {}
        self.closed = {}
        by_calendar = defaultdict(lambda: env["resource.resource"])
        for resource in therapists.resource_id | rooms.resource_id:
            by_calendar[resource.calendar_id] |= resource
        for calendar, resources in by_calendar.items():
            if not calendar:
                for resource in resources:
                    self.attendance[resource.id] = self.work[resource.id] = []
                continue
            attendance = calendar._attendance_intervals_batch(start, stop, resources)
            leaves = calendar._leave_intervals_batch(start, stop, resources)
            closed = _spans(calendar._leave_intervals_batch(start, stop)[False])
            for resource in resources:
                self.attendance[resource.id] = _spans(attendance[resource.id])
                self.work[resource.id] = _spans(attendance[resource.id] - leaves[resource.id])
                self.closed[resource.id] = closed

    def reason(self, therapist, room, start, stop):
        start, stop = pytz.utc.localize(start), pytz.utc.localize(stop)
        _ = self.env._
        resource = therapist.resource_id.id
        if _touches(self.closed.get(resource, []), start, stop):
            return _("Clinic closed")
        if not _covers(self.attendance[resource], start, stop):
            return _("Outside %(therapist)s's working hours", therapist=therapist.name)
        if not _covers(self.work[resource], start, stop):
            return _("%(therapist)s on leave", therapist=therapist.name)
        if room:
            resource = room.resource_id.id
            if _touches(self.closed.get(resource, []), start, stop) or not _covers(
                self.work[resource], start, stop
            ):
                return _("Room %(room)s closed", room=room.name)
        return None
