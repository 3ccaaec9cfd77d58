"""Booking a session: the clinic's one booking rule (a therapist, and a room, is in one session at
a time), held by PostgreSQL's exclusion constraints and checked ahead of them for a readable
message; the therapist's working hours and the room's opening hours; who books (the front desk
and managers); what a closed session, or one with a signed note, keeps; a plan's weekly slot."""

import re
from bisect import bisect_left, insort
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .clinic_availability import Availability
from .clinic_session import CLOSED_STATES, SCHEDULE_FIELDS
from .clinic_workflow import FRONT_DESK, MANAGER, in_workflow, selection_label

# What a booking is made of: the front desk (and managers) decide it, therapists do not.
BOOKING_FIELDS = (*SCHEDULE_FIELDS, "patient_id", "product_id", "forced_schedule", "company_id")
# A session that has a signed treatment note keeps what the signature covers.
SIGNED_FIELDS = ("patient_id", "therapist_id", "start", "stop")
CONFLICT_KEY = re.compile(
    r"conflicts with existing key \(.*?\)=\(\d+, \[\"?([^\",]+)\"?,\"?([^\")]+)\"?\), (\d+)\)"
)


def _double_booking_message(what):
    """The message of an exclusion constraint: PostgreSQL's detail names the other session
    (its id is part of the key), also when it was booked by a concurrent transaction."""

    def message(env, diag):
        found = CONFLICT_KEY.search((diag and diag.message_detail) or "")
        if not found:
            return env._("This %(what)s is already booked at that time.", what=what)
        start, stop, other_id = found.groups()
        return env._(
            "This %(what)s is already booked at that time, by session #%(id)s "
            "(%(start)s to %(stop)s UTC). Choose another time, %(what)s, or cancel that session.",
            what=what,
            id=other_id,
            start=start[:16],
            stop=stop[:16],
        )

    return message


class ClinicSession(models.Model):
    _inherit = "clinic.session"
    # The plan books its weekly slots itself.
    _workflow_fields = ("plan_id", "plan_slot_date")

    plan_id = fields.Many2one(
        comodel_name="clinic.plan", index="btree_not_null", readonly=True, check_company=True
    )
    plan_slot_date = fields.Date(
        readonly=True, help="The weekly slot of the plan this session stands for (local date)."
    )
    forced_schedule = fields.Boolean(
        copy=False,
        help="Booked outside the therapist's working hours or during a leave, by a manager.",
    )

    _stop_after_start = models.Constraint(
        "CHECK (stop > start)", "A session must end after it starts."
    )
    _therapist_no_overlap = models.Constraint(
        "EXCLUDE USING gist (therapist_id WITH =, tsrange(start, stop) WITH &&, id WITH <>) "
        "WHERE (state != 'cancelled')",
        _double_booking_message("therapist"),
    )
    _room_no_overlap = models.Constraint(
        "EXCLUDE USING gist (room_id WITH =, tsrange(start, stop) WITH &&, id WITH <>) "
        "WHERE (state != 'cancelled')",
        _double_booking_message("room"),
    )
    _plan_slot_uniq = models.UniqueIndex(
        "(plan_id, plan_slot_date) WHERE plan_id IS NOT NULL",
        "A plan has one session per weekly slot.",
    )

    @api.constrains("start", "stop", "therapist_id", "room_id", "forced_schedule", "state")
    def _check_schedule(self):
        """A session falls within its therapist's working hours (leaves and clinic closing
        days excluded) and its room's opening hours, unless a manager forced it."""
        if in_workflow("schedule_checked"):
            return
        to_check = self.filtered(
            lambda s: s.state in ("draft", "confirmed") and not s.forced_schedule
        )
        if not to_check:
            return
        availability = Availability(
            self.env,
            to_check.therapist_id,
            to_check.room_id,
            min(to_check.mapped("start")),
            max(to_check.mapped("stop")),
        )
        for session in to_check:
            reason = availability.reason(
                session.therapist_id, session.room_id, session.start, session.stop
            )
            if reason:
                raise ValidationError(
                    self.env._(
                        "Session %(session)s cannot be booked: %(reason)s. Choose another time, "
                        "or ask a manager to force the booking.",
                        session=session.display_name,
                        reason=reason,
                    )
                )

    # ------------------------------------------------------------------ the gate's rules

    def _check_create_values(self, vals_list):
        """Who books, who forces a booking outside the hours, and the booking rule."""
        self._check_booker(set().union(*vals_list) & set(BOOKING_FIELDS))
        if any(vals.get("forced_schedule") for vals in vals_list):
            self._check_manager_forces()
        self._check_slots_free(
            [
                (
                    None,
                    vals.get("therapist_id"),
                    vals.get("room_id"),
                    vals.get("start"),
                    vals.get("stop"),
                )
                for vals in vals_list
                if vals.get("state", "draft") != "cancelled"
            ]
        )
        return super()._check_create_values(vals_list)

    def _check_write_values(self, vals):
        """Who books, who forces, what a signed note and a closed session keep, and the
        booking rule for a session moved or booked again."""
        self._check_booker(set(vals) & set(BOOKING_FIELDS))
        if vals.get("forced_schedule"):
            self._check_manager_forces()
        if set(vals) & set(SIGNED_FIELDS):
            signed = self.filtered(lambda s: s.treatment_note_state == "signed")
            if signed:
                raise UserError(
                    self.env._(
                        "Session %(session)s has a signed treatment note: its patient, "
                        "therapist and time are part of the signed record and cannot change.",
                        session=signed[0].display_name,
                    )
                )
        # A cancelled session booked again takes its slot back: the state counts too.
        if set(vals) & {*SCHEDULE_FIELDS, "state"}:
            self._check_slots_free(
                [
                    (
                        session.id,
                        vals.get("therapist_id", session.therapist_id.id),
                        vals.get("room_id", session.room_id.id),
                        vals.get("start", session.start),
                        vals.get("stop", session.stop),
                    )
                    for session in self
                    if vals.get("state", session.state) != "cancelled"
                ]
            )
        if set(vals) & set(SCHEDULE_FIELDS):
            closed = self.filtered(
                lambda s: s.state in CLOSED_STATES and vals.get("state", s.state) in CLOSED_STATES
            )
            if closed:
                raise UserError(
                    self.env._(
                        "Session %(session)s is %(state)s: its time, therapist and room can no "
                        "longer change.",
                        session=closed[0].display_name,
                        state=selection_label(self, "state", closed[0].state),
                    )
                )
        return super()._check_write_values(vals)

    def _check_booker(self, booking_fields):
        """Only the front desk (and managers) book: therapists change the clinical state of
        their own sessions, never who, when or where."""
        if booking_fields and not self.env.su and not self.env.user.has_group(FRONT_DESK):
            raise AccessError(
                self.env._(
                    "Only the front desk or a manager books sessions: %(fields)s cannot be "
                    "changed by a therapist.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(booking_fields)
                    ),
                )
            )

    def _check_manager_forces(self):
        if not self.env.user.has_group(MANAGER):
            raise UserError(
                self.env._(
                    "Only a clinic manager can force a booking outside working hours or during "
                    "a leave."
                )
            )

    # ------------------------------------------------------------------ the booking rule

    @api.model
    def _booking_conflicts(self, slots):
        """The clinic's one booking rule: a therapist, and a room, is in one session at a time.
        The exclusion constraints enforce it in PostgreSQL, also between concurrent
        transactions; this finds, ahead of them, what stands in the way, for a readable message
        or for the plan generator to skip the slot.

        ``slots`` are (session id or None, therapist id, room id, start, stop) to be booked, in
        order. Returns one entry per slot: None when free, else (what, other): ``what`` is
        "therapist" or "room", ``other`` the session in the way, or the position of an earlier
        slot of the list that takes the same therapist or room (a slot in the way does not
        count for later ones). One query, whatever the number of slots.
        """
        conflicts = [None] * len(slots)
        if not slots:
            return conflicts
        self.flush_model(["therapist_id", "room_id", "start", "stop", "state"])
        moving = [sid for sid, *_rest in slots if sid]
        self.env.cr.execute(
            """
            SELECT c.position, o.id, o.kind
              FROM unnest(%s::int[], %s::int[], %s::timestamp[], %s::timestamp[])
                   WITH ORDINALITY AS c(therapist_id, room_id, start, stop, position)
             CROSS JOIN LATERAL (
                   (SELECT s.id, 'therapist' AS kind FROM clinic_session s
                     WHERE s.therapist_id = c.therapist_id AND s.state != 'cancelled'
                       AND tsrange(s.start, s.stop) && tsrange(c.start, c.stop)
                       AND s.id != ALL(%s::int[])
                     LIMIT 1)
                   UNION ALL
                   (SELECT s.id, 'room' AS kind FROM clinic_session s
                     WHERE s.room_id = c.room_id AND s.state != 'cancelled'
                       AND tsrange(s.start, s.stop) && tsrange(c.start, c.stop)
                       AND s.id != ALL(%s::int[])
                     LIMIT 1)
             ) o
             ORDER BY c.position, o.kind DESC
            """,
            [
                [slot[1] for slot in slots],
                [slot[2] for slot in slots],
                [slot[3] for slot in slots],
                [slot[4] for slot in slots],
                moving,
                moving,
            ],
        )
        for position, other_id, kind in self.env.cr.fetchall():
            conflicts[position - 1] = conflicts[position - 1] or (kind, self.browse(other_id))
        taken = defaultdict(list)
        for position, (_sid, therapist, room, start, stop) in enumerate(slots):
            if conflicts[position]:
                continue
            keys = [(kind, key) for kind, key in (("therapist", therapist), ("room", room)) if key]
            for kind, key in keys:
                spans = taken[(kind, key)]
                index = bisect_left(spans, (start,))
                nearby = spans[max(index - 1, 0) : index + 1]
                clash = [span for span in nearby if span[0] < stop and start < span[1]]
                if clash:
                    conflicts[position] = (kind, clash[0][2])
                    break
            else:
                for kind, key in keys:
                    insort(taken[(kind, key)], (start, stop, position))
        return conflicts

    @api.model
    def _lock_booked(self, slots):
        """Queue concurrent bookings of a therapist or a room before they meet in the exclusion
        constraints: a transaction lock per therapist and per room of ``slots``, taken in one
        order (by kind, then id) before the conflict pre-check. Two bookings of the same
        therapist or room then never wait on each other inside the two constraints' checks
        (where each could wait for the other's row: "deadlock detected ... while checking
        exclusion constraint"); the later one sees the earlier one's session and is refused
        with its message, or by the constraint. Held until the transaction ends."""
        keys = sorted(
            {("therapist", slot[1]) for slot in slots if slot[1]}
            | {("room", slot[2]) for slot in slots if slot[2]}
        )
        for kind, key in keys:
            self.env.cr.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s), %s)",
                [f"trigger_point_clinic:clinic.session.{kind}", key],
            )

    @api.model
    def _check_slots_free(self, slots):
        """Refuse a session that ends before it starts, or that books a therapist or a room
        twice at once (``_booking_conflicts``), naming the session in the way."""
        slots = [
            (
                sid,
                therapist,
                room,
                fields.Datetime.to_datetime(start),
                fields.Datetime.to_datetime(stop),
            )
            for sid, therapist, room, start, stop in slots
            if start and stop
        ]
        for _sid, _therapist, _room, start, stop in slots:
            if stop <= start:
                raise ValidationError(
                    self.env._(
                        "A session starting %(start)s ends at or before it starts: set an end "
                        "after the start (a session lasts more than zero minutes).",
                        start=start,
                    )
                )
        # What is in the way already (committed before this request, or its own) is refused
        # at once, without queueing behind other bookings of the therapist or room; a free slot
        # then waits its turn (``_lock_booked``) and the exclusion constraints decide.
        conflicts = self._booking_conflicts(slots)
        if not any(conflicts):
            self._lock_booked(slots)
        for slot, conflict in zip(slots, conflicts):
            if not conflict:
                continue
            kind, other = conflict
            if isinstance(other, int):
                raise ValidationError(
                    self.env._(
                        "Two of the sessions being saved book the same %(what)s at %(start)s.",
                        what=self.env._("therapist") if kind == "therapist" else self.env._("room"),
                        start=slot[3],
                    )
                )
            what = other.sudo().therapist_id if kind == "therapist" else other.sudo().room_id
            raise ValidationError(
                self.env._(
                    "%(what)s is already booked at that time by session %(other)s. Choose "
                    "another time, therapist or room, or cancel that session.",
                    what=what.name,
                    other=other.sudo().display_name,
                )
            )
