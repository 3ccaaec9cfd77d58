import re
from bisect import bisect_left, insort
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from .clinic_availability import Availability
from .clinic_contraindication import PRESSURE_LEVELS
from .clinic_intake import SCREENING_VERDICTS
from .clinic_workflow import (
    FRONT_DESK,
    MANAGER,
    THERAPIST,
    check_access_first,
    in_workflow,
    selection_label,
)

SESSION_STATES = [
    ("draft", "Draft"),
    ("confirmed", "Confirmed"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("no_show", "No-show"),
    ("cancelled", "Cancelled"),
]
SCHEDULE_FIELDS = ("start", "stop", "therapist_id", "room_id")
# What a booking is made of: the front desk (and managers) decide it, therapists do not.
BOOKING_FIELDS = (*SCHEDULE_FIELDS, "patient_id", "product_id", "forced_schedule", "company_id")
# A session that has a signed treatment note keeps what the signature covers.
SIGNED_FIELDS = ("patient_id", "therapist_id", "start", "stop")
CLOSED_STATES = ("done", "no_show", "cancelled")
# A session can be started this long before its booked start (the patient is early).
EARLY_START = timedelta(hours=1)
# Entering these states treats the patient: the screening must allow it.
TREATING_STATES = ("confirmed", "in_progress", "done")
CONFLICT_KEY = re.compile(
    r"conflicts with existing key \(.*?\)=\(\d+, \[\"?([^\",]+)\"?,\"?([^\")]+)\"?\), (\d+)\)"
)


def default_service_product(model):
    """The clinic's standard session service, offered by default on sessions and plans."""
    return model.env.ref(
        "trigger_point_clinic.product_trigger_point_session", raise_if_not_found=False
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
    """One appointment: a patient with a therapist in a room, for a service."""

    _name = "clinic.session"
    _description = "Session"
    _inherit = ["clinic.workflow.mixin", "clinic.reminder.mixin", "mail.thread"]
    _order = "start desc, id desc"
    _rec_names_search = ["patient_id.name", "therapist_id.name"]
    _check_company_auto = True
    _workflow_fields = (
        "state",
        "plan_id",
        "plan_slot_date",
        "billing_run_id",
        "treatment_note_state",
        "cancel_party",
        "cancel_reason",
        "cancelled_by_id",
        "date_cancelled",
        "released_by_plan",
        "late_cancel",
        "local_date",
        "duration",
        # Appointment reminders (clinic_session_appointment_reminder.py).
        "reminder_sent_for",
        "reminder_sent_at",
        "patient_confirmed_at",
        "patient_confirmed_for",
        "patient_confirmation",
    )
    _workflow_transitions = {
        ("draft", "confirmed"): None,
        ("draft", "cancelled"): None,
        ("confirmed", "in_progress"): THERAPIST,
        ("confirmed", "no_show"): None,
        ("confirmed", "cancelled"): None,
        ("in_progress", "done"): THERAPIST,
        ("in_progress", "no_show"): None,
        ("in_progress", "cancelled"): None,
        ("cancelled", "draft"): None,
    }

    patient_id = fields.Many2one(
        comodel_name="clinic.patient", required=True, index=True, tracking=True, check_company=True
    )
    therapist_id = fields.Many2one(
        comodel_name="clinic.therapist",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    room_id = fields.Many2one(
        comodel_name="clinic.room", required=True, index=True, tracking=True, check_company=True
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Service",
        required=True,
        domain=[("type", "=", "service")],
        default=default_service_product,
        check_company=True,
    )
    start = fields.Datetime(required=True, tracking=True)
    stop = fields.Datetime(required=True, tracking=True)
    duration = fields.Float(compute="_compute_duration", store=True, help="Length in hours.")
    local_date = fields.Date(
        compute="_compute_local_date",
        store=True,
        index=True,
        string="Day",
        help="The clinic's local day of the start: the day reports count the session on.",
    )
    state = fields.Selection(
        SESSION_STATES, default="draft", required=True, tracking=True, copy=False, index=True
    )
    plan_id = fields.Many2one(
        comodel_name="clinic.plan", index="btree_not_null", readonly=True, check_company=True
    )
    plan_slot_date = fields.Date(
        readonly=True, help="The weekly slot of the plan this session stands for (local date)."
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    color = fields.Integer(related="therapist_id.color")
    forced_schedule = fields.Boolean(
        copy=False,
        help="Booked outside the therapist's working hours or during a leave, by a manager.",
    )
    note = fields.Text()
    treatment_note_ids = fields.One2many(
        comodel_name="clinic.treatment.note",
        inverse_name="session_id",
        string="Treatment Notes",
        groups=THERAPIST,
    )
    billing_run_id = fields.Many2one(
        comodel_name="clinic.billing.run", readonly=True, copy=False, string="Last Billing Run"
    )
    invoice_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="clinic_session_id",
        string="Invoice Lines",
        groups=MANAGER,
    )
    invoice_status = fields.Selection(
        [
            ("nothing", "Nothing to Bill"),
            ("to_invoice", "To Invoice"),
            ("blocked", "Blocked"),
            ("invoiced", "Invoiced"),
            ("credited", "Credited"),
            ("package", "Covered by Package"),
        ],
        compute="_compute_invoice_status",
        compute_sudo=True,
    )
    invoice_blocked_reason = fields.Char(compute="_compute_invoice_status", compute_sudo=True)
    amount_due = fields.Monetary(
        compute="_compute_invoice_status", compute_sudo=True, currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    charge_amount = fields.Monetary(
        string="What Cancelling Now Costs",
        compute="_compute_charge",
        compute_sudo=True,
        currency_field="currency_id",
        groups=f"{MANAGER},{FRONT_DESK}",
        help="Open session: what the patient pays if they cancel now. Closed session: what "
        "its outcome costs (the clinic's charge rule, tax included as invoiced).",
    )
    charge_summary = fields.Char(
        string="Charge",
        compute="_compute_charge",
        compute_sudo=True,
        groups=f"{MANAGER},{FRONT_DESK}",
    )
    treatment_note_state = fields.Selection(
        [("none", "Not Written"), ("draft", "Draft"), ("signed", "Signed")],
        compute="_compute_treatment_note_state",
        store=True,
        compute_sudo=True,
        string="Treatment Note",
    )
    cancel_party = fields.Selection(
        [("patient", "Patient"), ("clinic", "Clinic")], string="Cancelled By", copy=False
    )
    cancel_reason = fields.Text(copy=False)
    cancelled_by_id = fields.Many2one(
        comodel_name="res.users", string="Cancellation Recorded By", readonly=True, copy=False
    )
    date_cancelled = fields.Datetime(readonly=True, copy=False)
    released_by_plan = fields.Boolean(
        readonly=True,
        copy=False,
        help="Cancelled because its plan was paused, ended or changed: the plan may book the "
        "slot again.",
    )
    late_cancel = fields.Boolean(
        string="Late Cancellation",
        readonly=True,
        copy=False,
        help="Cancelled by the patient with less notice than the clinic's policy.",
    )

    # What a therapist's day (My Day) shows of a session: whether it falls on the clinic's
    # current day, and the patient's screening beside the booking, so that what to avoid is in
    # sight before the session is opened.
    is_today = fields.Boolean(
        string="Today",
        compute="_compute_is_today",
        search="_search_is_today",
        help="Starts on the clinic's current day, in the clinic's local time.",
    )
    # Computed with the reader's own rights on clinic.patient.screening: empty for a role that
    # cannot read the screening (the front desk), never stored, searched or grouped.
    patient_screening_verdict = fields.Selection(
        SCREENING_VERDICTS, compute="_compute_patient_screening", string="Screening"
    )
    patient_excluded_region_ids = fields.Many2many(
        comodel_name="clinic.body.region",
        compute="_compute_patient_screening",
        string="Regions to Avoid",
    )
    patient_max_pressure = fields.Selection(
        PRESSURE_LEVELS, compute="_compute_patient_screening", string="Maximum Pressure"
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
    # Bounded screens read a period, not the history: the calendar's week (of some therapists
    # or rooms), and the utilisation report's days (per therapist or room and local day).
    _patient_start_idx = models.Index("(patient_id, start)")
    _start_idx = models.Index("(start)")
    _therapist_start_idx = models.Index("(therapist_id, start)")
    _room_start_idx = models.Index("(room_id, start)")
    _therapist_local_date_idx = models.Index("(therapist_id, local_date)")
    _room_local_date_idx = models.Index("(room_id, local_date)")
    _plan_slot_uniq = models.UniqueIndex(
        "(plan_id, plan_slot_date) WHERE plan_id IS NOT NULL",
        "A plan has one session per weekly slot.",
    )

    @api.depends("start", "company_id.resource_calendar_id.tz", "company_id.partner_id.tz")
    def _compute_local_date(self):
        for session in self:
            session.local_date = session.start and session.company_id._clinic_local_date(
                session.start
            )

    def _compute_is_today(self):
        now = fields.Datetime.now()
        for session in self:
            session.is_today = session.local_date == session.company_id._clinic_local_date(now)

    def _search_is_today(self, operator, value):
        """Today is the clinic's local day, which the browser's clock need not share: each
        company's own today, against the local day the session stores."""
        if operator != "in":
            return NotImplemented
        now = fields.Datetime.now()
        today = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain("local_date", "=", company._clinic_local_date(now))
            for company in self.env.companies
        )
        wanted = {bool(flag) for flag in value}
        if wanted == {True, False}:
            return Domain.TRUE
        return today if True in wanted else ~today

    @api.depends("start", "stop")
    def _compute_duration(self):
        for session in self:
            if session.start and session.stop:
                session.duration = (session.stop - session.start).total_seconds() / 3600
            else:
                session.duration = 0.0

    @api.depends(
        "state",
        "late_cancel",
        "cancel_party",
        "treatment_note_state",
        "invoice_line_ids.parent_state",
        "invoice_line_ids.move_id.amount_residual",
    )
    def _compute_invoice_status(self):
        billed = self._billed_charges()
        for session in self:
            kinds = billed[session.id]
            due, reason = session._billing_due(kinds)
            if "credit" in kinds:
                status = "credited"
            elif due:
                status = "to_invoice"
            elif reason:
                status = "blocked"
            elif kinds:
                status = "invoiced"
            elif session._billing_mode() == "package" and session.state in ("done", "no_show"):
                status = "package"
            else:
                status = "nothing"
            session.invoice_status = status
            session.invoice_blocked_reason = reason
            session.amount_due = session._billed_lines().move_id._clinic_amount_due()

    @api.depends("state", "late_cancel", "cancel_party", "start", "plan_id", "product_id")
    def _compute_charge(self):
        rule = self.env["clinic.charge.rule"]
        for session in self:
            if not (session.id and session.start and session.patient_id and session.product_id):
                session.charge_amount = 0.0
                session.charge_summary = False
                continue
            if session.state in ("draft", "confirmed"):
                charge = rule._cancel_charge(session)
            else:
                charge = rule._charge(session)
            session.charge_amount = charge.amount
            session.charge_summary = rule._summary(charge) if charge.event else False

    @api.depends("treatment_note_ids.state")
    def _compute_treatment_note_state(self):
        for session in self:
            session.treatment_note_state = session.treatment_note_ids[:1].state or "none"

    @api.depends("patient_id")
    @api.depends_context("uid")
    def _compute_patient_screening(self):
        # Read with the user's own rights (and logged): the value is the user's, never cached
        # for another user.
        screenings = self.env["clinic.patient.screening"]
        # The read rule goes through the care relation, which this transaction may have just
        # changed (a session booked a moment ago puts its patient in the therapist's care).
        self.env["clinic.patient"].flush_model(["care_user_ids"])
        if screenings.has_access("read"):
            screenings = screenings.search([("patient_id", "in", self.patient_id.ids)])
            screenings._clinic_log_read(screenings, None, "list")
        by_patient = {screening.patient_id.id: screening for screening in screenings}
        for session in self:
            screening = by_patient.get(session.patient_id.id, screenings.browse())
            session.patient_screening_verdict = screening.verdict
            session.patient_excluded_region_ids = screening.avoid_region_ids
            session.patient_max_pressure = screening.max_pressure

    @api.depends("patient_id", "therapist_id", "start")
    def _compute_display_name(self):
        for session in self:
            when = ""
            if session.start:
                local = session.company_id._clinic_local_datetime(session.start)
                when = local.strftime("%Y-%m-%d %H:%M")
            session.display_name = " · ".join(
                filter(None, [session.patient_id.name, session.therapist_id.name, when])
            )

    @api.onchange("start", "product_id")
    def _onchange_start_product(self):
        """A booking ends the service's length after it starts."""
        for session in self:
            if session.start and session.product_id:
                session.stop = session.start + timedelta(
                    hours=session.product_id.clinic_duration or 1.0
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

    @api.model_create_multi
    def create(self, vals_list):
        check_access_first(self, "create")
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
        return super().create(vals_list)

    def write(self, vals):
        check_access_first(self, "write")
        if not in_workflow(self._name):
            # The gate first, so that a caller's write of a workflow field reads as such.
            self._check_caller_values(vals)
        self._check_booker(set(vals) & set(BOOKING_FIELDS))
        if vals.get("forced_schedule"):
            self._check_manager_forces()
        new_state = vals.get("state")
        if new_state:
            self._check_state_entry(new_state)
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
        states_before = {session.id: session.state for session in self}
        result = super().write(vals)
        moved = bool({"patient_id", "start"} & set(vals))
        if new_state or moved:
            for session in self:
                if session.state in TREATING_STATES and (
                    moved or session.state != states_before[session.id]
                ):
                    session._check_screening()
        return result

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

    def _check_state_entry(self, new_state):
        """What entering ``new_state`` asks of each session, beyond the transition table: the
        session's own therapist (or a manager) treats it, and a no-show is recorded once the
        session's start has passed."""
        now = fields.Datetime.now()
        for session in self.filtered(lambda s: s.state != new_state):
            if new_state in ("in_progress", "done") and not (
                self.env.su
                or self.env.user == session.therapist_id.user_id
                or self.env.user.has_group(MANAGER)
            ):
                raise AccessError(
                    self.env._(
                        "Only %(therapist)s, the session's therapist, or a manager can start or "
                        "finish session %(session)s.",
                        therapist=session.therapist_id.name,
                        session=session.display_name,
                    )
                )
            if new_state == "in_progress" and session.start - EARLY_START > now:
                raise UserError(
                    self.env._(
                        "Session %(session)s starts at %(start)s: it can be started from an hour "
                        "before, not earlier. Move the session if the patient came early.",
                        session=session.display_name,
                        start=session.company_id._clinic_local_datetime(session.start).strftime(
                            "%H:%M"
                        ),
                    )
                )
            if new_state == "done" and session.start > now:
                raise UserError(
                    self.env._(
                        "Session %(session)s has not reached its booked start yet: mark it done "
                        "once it has taken place.",
                        session=session.display_name,
                    )
                )
            if new_state == "no_show" and session.start > now:
                raise UserError(
                    self.env._(
                        "A no-show is recorded on a confirmed session once its start time has "
                        "passed (%(session)s).",
                        session=session.display_name,
                    )
                )

    def _check_screening(self):
        """The screening must allow the patient in a session that treats them: on the
        session's day when it is booked (confirmed), now when treatment starts or ends."""
        self.ensure_one()
        when = self.start if self.state == "confirmed" else fields.Datetime.now()
        self.patient_id._check_treatment_allowed(when, self)

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
        self._lock_booked(slots)
        for slot, conflict in zip(slots, self._booking_conflicts(slots)):
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

    def _check_manager_forces(self):
        if not self.env.user.has_group(MANAGER):
            raise UserError(
                self.env._(
                    "Only a clinic manager can force a booking outside working hours or during "
                    "a leave."
                )
            )

    # ------------------------------------------------------------------ actions

    def action_confirm(self):
        """Confirm draft sessions; the screening must allow the patient on that day."""
        self._workflow_write({"state": "confirmed"})
        return True

    def action_start(self):
        self._workflow_write({"state": "in_progress"})
        return True

    def action_done(self):
        self._workflow_write({"state": "done"})
        return True

    def action_no_show(self):
        """The patient did not come: only once the session's start has passed."""
        self._workflow_write({"state": "no_show"})
        return True

    def action_cancel(self):
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Session"),
            "res_model": "clinic.session.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    def action_open_treatment_note(self):
        """Open the session's treatment note, creating it (pre-filled from the intake's pain
        map) the first time."""
        self.ensure_one()
        note = self.sudo().treatment_note_ids[:1]
        if not note and self.env.user != self.therapist_id.user_id:
            raise UserError(
                self.env._(
                    "Session %(session)s has no treatment note yet: only %(therapist)s, its "
                    "therapist, writes it.",
                    session=self.display_name,
                    therapist=self.therapist_id.name,
                )
            )
        note = note.with_env(self.env)
        if note and not note.has_access("read"):
            raise UserError(
                self.env._(
                    "Treatment notes are read by the therapists who treat the patient and by "
                    "managers."
                )
            )
        note = note or self.env["clinic.treatment.note"].create({"session_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "clinic.treatment.note",
            "res_id": note.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_invoices(self):
        self.ensure_one()
        self.check_access("read")
        return self._billed_lines().move_id._clinic_action()

    def action_reset_to_draft(self):
        """Book a cancelled session again. What its cancellation cost stays on record: a
        cancellation already billed (fee or credit) cannot be undone this way, and waiving a
        patient's late cancellation is a manager's decision."""
        for session in self:
            if session._billed_lines().filtered(
                lambda line: line.clinic_charge in ("late_cancel_fee", "credit", "deposit_credit")
            ):
                raise UserError(
                    self.env._(
                        "The cancellation of %(session)s is already billed: book a new session "
                        "instead.",
                        session=session.display_name,
                    )
                )
            if session.late_cancel and not self.env.user.has_group(MANAGER):
                raise AccessError(
                    self.env._(
                        "%(session)s was cancelled late by the patient: only a manager can book "
                        "it again (and so waive the late-cancellation fee).",
                        session=session.display_name,
                    )
                )
        self._workflow_write(self._reopen_values())
        return True

    @api.model
    def _reopen_values(self):
        return {
            "state": "draft",
            "cancel_party": False,
            "cancel_reason": False,
            "cancelled_by_id": False,
            "date_cancelled": False,
            "late_cancel": False,
            "released_by_plan": False,
        }

    # ------------------------------------------------------------------ business

    def _billing_mode(self):
        self.ensure_one()
        return self.plan_id.billing_mode if self.plan_id else "per_session"

    def _billing_due(self, billed):
        """What this session owes now by the clinic's one charge rule (``clinic.charge.rule``),
        given the charges ``billed`` already (kinds on invoices that count). Returns (kinds
        due, reason it is held back or None). On top of the rule: an attended session billed
        per session waits for its signed note when the clinic requires it, a fee of 0 is
        listed as not billed, and a past session still open is listed to be closed."""
        self.ensure_one()
        rule = self.env["clinic.charge.rule"]
        company = self.company_id
        mode = self._billing_mode()
        event = rule._event(self)
        due = rule._due(self, billed)
        if (
            event == "attended"
            and mode == "per_session"
            and "session" in due
            and company.clinic_require_signed_note
            and self.treatment_note_state != "signed"
        ):
            return [], self.env._("Treatment note not signed")
        fees = [kind for kind in due if kind in ("no_show_fee", "late_cancel_fee")]
        if fees and not rule._charge(self, event, mode).amount:
            due = [kind for kind in due if kind not in fees]
            if not due:
                return [], self.env._("The fee is 0 in the clinic's settings")
        if (
            event is None
            and mode not in ("weekly", "monthly")
            and self.start
            and self.start < fields.Datetime.now()
        ):
            return [], self.env._("Not closed: mark it done, no-show or cancelled")
        return due, None

    def _billed_charges(self):
        """{session id: set of charges} on the invoices that count (not cancelled)."""
        billed = defaultdict(set)
        if not self.ids:
            return billed
        rows = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [("clinic_session_id", "in", self.ids), ("parent_state", "!=", "cancel")],
                ["clinic_session_id", "clinic_charge"],
            )
        )
        for session, charge in rows:
            billed[session.id].add(charge)
        return billed

    def _billed_lines(self, charge=None):
        lines = self.sudo().invoice_line_ids.filtered(lambda line: line.parent_state != "cancel")
        return lines.filtered(lambda line: line.clinic_charge == charge) if charge else lines

    def _billing_label(self):
        """How the session reads on an invoice: service, local date and time, therapist and
        patient."""
        self.ensure_one()
        when = self.company_id._clinic_local_datetime(self.start).strftime("%a %d %b %Y %H:%M")
        return f"{self.product_id.name}, {when}, {self.therapist_id.name}, {self.patient_id.name}"

    def _cancel(self, reason, party, released_by_plan=False):
        """Cancel the sessions, freeing their slot. A patient cancelling with less notice than
        the clinic's policy (24 hours by default) makes a late cancellation."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the cancellation."))
        if party not in ("patient", "clinic"):
            raise UserError(self.env._("Say who cancelled: the patient or the clinic."))
        closed = self.filtered(lambda s: s.state in CLOSED_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Session %(session)s is %(state)s and cannot be cancelled.",
                    session=closed[0].display_name,
                    state=selection_label(self, "state", closed[0].state),
                )
            )
        now = fields.Datetime.now()
        for session in self:
            notice = timedelta(hours=session.company_id.clinic_late_cancel_hours)
            session._workflow_write(
                {
                    "state": "cancelled",
                    "cancel_party": party,
                    "cancel_reason": reason,
                    "cancelled_by_id": self.env.uid,
                    "date_cancelled": now,
                    "late_cancel": party == "patient" and session.start - now < notice,
                    "released_by_plan": released_by_plan,
                }
            )
        self.env["clinic.waitlist"]._offer_freed_slots(self)
        return True
