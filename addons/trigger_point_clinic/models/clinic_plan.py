from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .clinic_availability import Availability
from .clinic_charge_rule import table_outcome
from .clinic_cron import single_run
from .clinic_dates import check_date, check_session_length
from .clinic_session import default_service_product
from .clinic_workflow import MANAGER, check_access_first, workflow
from .res_company import BILLING_MODES

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# Editing these on a plan moves its future draft sessions.
RECURRENCE_FIELDS = (
    "hour",
    "duration",
    "interval_weeks",
    "date_start",
    "end_type",
    "date_end",
    "session_count",
    *WEEKDAYS,
)
SLOT_FIELDS = {"therapist_id", "room_id", "product_id", *RECURRENCE_FIELDS}


class ClinicPlan(models.Model):
    """A weekly recurring plan: the same patient, therapist, room and service at the same local
    time on chosen weekdays, every N weeks. Its sessions are generated ahead by a cron."""

    _name = "clinic.plan"
    _description = "Weekly Session Plan"
    _inherit = ["clinic.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "state, patient_id"
    _check_company_auto = True
    _workflow_fields = ("state",)
    _workflow_transitions = {
        ("draft", "active"): None,
        ("paused", "active"): None,
        ("active", "paused"): None,
        ("draft", "ended"): None,
        ("active", "ended"): None,
        ("paused", "ended"): None,
    }

    patient_id = fields.Many2one(
        comodel_name="clinic.patient", required=True, index=True, check_company=True
    )
    therapist_id = fields.Many2one(
        comodel_name="clinic.therapist", required=True, tracking=True, check_company=True
    )
    room_id = fields.Many2one(
        comodel_name="clinic.room", required=True, tracking=True, check_company=True
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Service",
        required=True,
        domain=[("type", "=", "service")],
        default=default_service_product,
        check_company=True,
    )
    monday = fields.Boolean()
    tuesday = fields.Boolean()
    wednesday = fields.Boolean()
    thursday = fields.Boolean()
    friday = fields.Boolean()
    saturday = fields.Boolean()
    sunday = fields.Boolean()
    hour = fields.Float(
        string="Local Time", required=True, default=9.0, help="Start time, in the clinic's time."
    )
    duration = fields.Float(required=True, default=1.0, help="Length of each session in hours.")
    interval_weeks = fields.Integer(string="Every (weeks)", required=True, default=1)
    date_start = fields.Date(
        string="Start Date", required=True, default=fields.Date.context_today, tracking=True
    )
    end_type = fields.Selection(
        [("open", "No end"), ("date", "On a date"), ("count", "After a number of sessions")],
        required=True,
        default="open",
    )
    date_end = fields.Date(string="End Date", tracking=True)
    session_count = fields.Integer(string="Number of Sessions")
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("paused", "Paused"), ("ended", "Ended")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    session_ids = fields.One2many(comodel_name="clinic.session", inverse_name="plan_id")
    skip_ids = fields.One2many(
        comodel_name="clinic.plan.skip", inverse_name="plan_id", string="Skipped Slots"
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    upcoming_count = fields.Integer(compute="_compute_upcoming_count")
    billing_mode = fields.Selection(
        BILLING_MODES,
        required=True,
        tracking=True,
        default=lambda self: self.env.company.clinic_billing_mode,
    )
    package_size = fields.Integer(
        string="Sessions per Package", default=10, help="Package mode: sessions paid up front."
    )
    invoice_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="clinic_plan_id",
        string="Invoice Lines",
        groups=MANAGER,
    )
    package_balance = fields.Integer(
        compute="_compute_billing",
        compute_sudo=True,
        help="Sessions paid by packages and not used yet (attended, missed or cancelled late).",
    )
    invoice_count = fields.Integer(compute="_compute_billing", compute_sudo=True)
    amount_due = fields.Monetary(
        compute="_compute_billing", compute_sudo=True, currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("patient_id", "therapist_id", "hour", *WEEKDAYS)
    def _compute_display_name(self):
        for plan in self:
            days = ", ".join(plan._fields[day].string[:3] for day in WEEKDAYS if plan[day])
            hours, minutes = divmod(round(plan.hour * 60), 60)
            plan.display_name = self.env._(
                "%(patient)s with %(therapist)s, %(days)s %(time)s",
                patient=plan.patient_id.name or "",
                therapist=plan.therapist_id.name or "",
                days=days,
                time=f"{hours:02d}:{minutes:02d}",
            )

    def _compute_upcoming_count(self):
        now = fields.Datetime.now()
        for plan in self:
            plan.upcoming_count = len(
                plan.session_ids.filtered(lambda s: s.start >= now and s.state != "cancelled")
            )

    @api.depends(
        "invoice_line_ids.parent_state",
        "invoice_line_ids.move_id.amount_residual",
        "session_ids.state",
        "session_ids.late_cancel",
    )
    def _compute_billing(self):
        for plan in self:
            lines = plan.invoice_line_ids.filtered(lambda line: line.parent_state != "cancel")
            purchased = sum(
                lines.filtered(lambda line: line.clinic_charge == "package").mapped(
                    "clinic_package_size"
                )
            )
            plan.package_balance = purchased - len(plan.session_ids.filtered(_uses_package))
            plan.invoice_count = len(lines.move_id)
            plan.amount_due = lines.move_id._clinic_amount_due()

    @api.onchange("product_id")
    def _onchange_product_id(self):
        for plan in self:
            if plan.product_id:
                plan.duration = plan.product_id.clinic_duration or plan.duration

    @api.constrains("billing_mode", "package_size")
    def _check_package(self):
        for plan in self:
            if plan.billing_mode == "package" and plan.package_size < 1:
                raise ValidationError(
                    self.env._(
                        "Sessions per Package is %(size)s: a package holds at least 1 session.",
                        size=plan.package_size,
                    )
                )

    @api.constrains(*RECURRENCE_FIELDS)
    def _check_recurrence(self):
        for plan in self:
            if not any(plan[day] for day in WEEKDAYS):
                raise ValidationError(self.env._("Choose at least one weekday for the plan."))
            # Minutes, as the sessions get them: 23.995 h would round to 24:00.
            if not 0 <= round(plan.hour * 60) < 24 * 60:
                raise ValidationError(self.env._("Local Time must be between 00:00 and 23:59."))
            check_session_length(self.env, self.env._("Duration"), plan.duration)
            check_date(self.env, self.env._("Start Date"), plan.date_start)
            check_date(self.env, self.env._("End Date"), plan.date_end)
            if not 1 <= plan.interval_weeks <= 52:
                raise ValidationError(
                    self.env._(
                        "Every (weeks) must be from 1 to 52: 1 is weekly, 2 every other week."
                    )
                )
            if plan.end_type == "date" and not plan.date_end:
                raise ValidationError(self.env._("Give the plan's end date."))
            if plan.end_type == "date" and plan.date_end < plan.date_start:
                raise ValidationError(
                    self.env._(
                        "The plan ends on %(end)s, before it starts on %(start)s: set an end on "
                        "or after the start.",
                        end=plan.date_end,
                        start=plan.date_start,
                    )
                )
            if plan.end_type == "count" and not 1 <= plan.session_count <= 1000:
                raise ValidationError(self.env._("Number of Sessions must be from 1 to 1000."))

    @api.model_create_multi
    def create(self, vals_list):
        check_access_first(self, "create")
        for vals in vals_list:
            if "product_id" in vals and not vals["product_id"]:
                self._refuse_missing_service()
        return super().create(vals_list)

    def write(self, vals):
        check_access_first(self, "write")
        if "product_id" in vals and not vals["product_id"]:
            self._refuse_missing_service()
        result = super().write(vals)
        if set(vals) & SLOT_FIELDS:
            active = self.filtered(lambda p: p.state == "active")
            active._reschedule_future_drafts()
            active._generate_sessions()
        return result

    # ------------------------------------------------------------------ actions

    def action_activate(self):
        self._workflow_write({"state": "active"})
        self._generate_sessions()
        return True

    def action_pause(self):
        self._stop(self.env._("Plan paused"), "paused")
        return True

    def action_end(self):
        self._stop(self.env._("Plan ended"), "ended")
        return True

    def action_view_invoices(self):
        self.ensure_one()
        self.check_access("read")
        return self.sudo().invoice_line_ids.move_id._clinic_action()

    def action_view_sessions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trigger_point_clinic.clinic_session_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    # ------------------------------------------------------------------ business

    def _refuse_missing_service(self):
        raise ValidationError(
            self.env._(
                "A plan needs its Service: the product its sessions are billed with. Choose one "
                "(e.g. a trigger point therapy session)."
            )
        )

    def _stop(self, reason, state):
        """Pause or end: cancel the future sessions not yet confirmed; past, confirmed and done
        sessions stay as they are."""
        self._workflow_write({"state": state})
        self._future_drafts()._cancel(reason, "clinic", released_by_plan=True)

    def _future_drafts(self):
        now = fields.Datetime.now()
        return self.session_ids.filtered(lambda s: s.state == "draft" and s.start > now)

    def _slot_times(self, slot_date):
        """Start and stop (naive UTC) of the slot on ``slot_date``: the plan's local time in
        the clinic's timezone, whatever the daylight-saving time of that day."""
        tz = self.company_id._clinic_tz()
        minutes = round(self.hour * 60)
        local = tz.localize(datetime.combine(slot_date, time(minutes // 60, minutes % 60)))
        start = local.astimezone(pytz.utc).replace(tzinfo=None)
        return start, start + timedelta(hours=self.duration)

    def _slot_dates(self, until):
        """The plan's slot dates from its start up to ``until`` (and its end date), in order.
        Weeks count from the Monday of the start date, so every-N-weeks stays aligned."""
        weekdays = [index for index, day in enumerate(WEEKDAYS) if self[day]]
        last = min(until, self.date_end) if self.end_type == "date" else until
        monday = self.date_start - timedelta(days=self.date_start.weekday())
        while monday <= last:
            for weekday in weekdays:
                day = monday + timedelta(days=weekday)
                if self.date_start <= day <= last:
                    yield day
            monday += timedelta(weeks=self.interval_weeks)

    def _reschedule_future_drafts(self):
        """Bring the future draft sessions in line with the edited plan: a slot that still
        exists moves to the plan's time, therapist, room and service; one that no longer
        exists is cancelled (never deleted)."""
        for plan in self:
            drafts = plan._future_drafts()
            if not drafts:
                continue
            last = max(drafts.mapped("plan_slot_date"))
            valid = set(plan._slot_dates(last))
            gone = drafts.filtered(lambda s, valid=valid: s.plan_slot_date not in valid)
            gone._cancel(self.env._("Plan changed"), "clinic", released_by_plan=True)
            for session in drafts - gone:
                start, stop = plan._slot_times(session.plan_slot_date)
                session.write(
                    {
                        "start": start,
                        "stop": stop,
                        "therapist_id": plan.therapist_id.id,
                        "room_id": plan.room_id.id,
                        "product_id": plan.product_id.id,
                    }
                )

    def _generate_sessions(self, horizon_end=None):
        """Keep the active plans' sessions generated up to the horizon (the company's planning
        horizon, 8 weeks by default).

        Idempotent: a slot that has a session is never given another. A slot on a therapist's
        leave, a clinic closing day, outside working hours, or already taken, gets no session
        and is listed on the plan instead; future skipped slots are tried again on each run.
        Everything is read in a few queries and created in one batch.
        """
        plans = self.filtered(lambda p: p.state == "active")
        if not plans:
            return self.env["clinic.session"]
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        plans.skip_ids.filtered(lambda s: s.slot_date >= today).unlink()

        taken = defaultdict(set)
        released = {}
        for session in self.env["clinic.session"].search([("plan_id", "in", plans.ids)]):
            if session.released_by_plan:
                released[(session.plan_id.id, session.plan_slot_date)] = session
            else:
                taken[session.plan_id.id].add(session.plan_slot_date)
        skipped = {(s.plan_id.id, s.slot_date) for s in plans.skip_ids}

        candidates = []
        for plan in plans:
            horizon = horizon_end or today + timedelta(
                weeks=plan.company_id.clinic_plan_horizon_weeks
            )
            count = 0
            for day in plan._slot_dates(horizon):
                if plan.end_type == "count" and count >= plan.session_count:
                    break
                if day in taken[plan.id]:
                    count += 1
                    continue
                start, stop = plan._slot_times(day)
                if (plan.id, day) in skipped or start <= now:
                    continue
                candidates.append((plan, day, start, stop))
                count += 1
        if not candidates:
            return self.env["clinic.session"]

        window_start = min(c[2] for c in candidates)
        window_stop = max(c[3] for c in candidates)
        availability = Availability(
            self.env, plans.therapist_id, plans.room_id, window_start, window_stop
        )
        session_vals, skip_vals, revived = [], [], self.env["clinic.session"]
        free = []
        for plan, day, start, stop in candidates:
            reason = availability.reason(plan.therapist_id, plan.room_id, start, stop)
            if reason:
                skip_vals.append(
                    {"plan_id": plan.id, "slot_date": day, "start": start, "reason": reason}
                )
            else:
                free.append((plan, day, start, stop))
        conflicts = self.env["clinic.session"]._booking_conflicts(
            [
                (None, plan.therapist_id.id, plan.room_id.id, start, stop)
                for plan, _d, start, stop in free
            ]
        )
        for (plan, day, start, stop), conflict in zip(free, conflicts):
            if conflict:
                reason = (
                    self.env._("Therapist already booked")
                    if conflict[0] == "therapist"
                    else self.env._("Room already booked")
                )
                skip_vals.append(
                    {"plan_id": plan.id, "slot_date": day, "start": start, "reason": reason}
                )
                continue
            values = plan._session_values(day, start, stop)
            session = released.get((plan.id, day))
            if session:
                with workflow("clinic.session", "schedule_checked"):
                    session.write({**values, **session._reopen_values()})
                revived |= session
            else:
                session_vals.append(values)
        self.env["clinic.plan.skip"].sudo().create(skip_vals)
        # The availability was checked above, for the whole batch at once.
        with workflow("clinic.session", "schedule_checked"):
            created = (
                self.env["clinic.session"].with_context(mail_create_nolog=True).create(session_vals)
            )
        return revived | created

    def _session_values(self, day, start, stop):
        self.ensure_one()
        return {
            "patient_id": self.patient_id.id,
            "therapist_id": self.therapist_id.id,
            "room_id": self.room_id.id,
            "product_id": self.product_id.id,
            "start": start,
            "stop": stop,
            "plan_id": self.id,
            "plan_slot_date": day,
            "company_id": self.company_id.id,
        }

    @api.model
    @single_run
    def _cron_generate_sessions(self):
        return self.search([("state", "=", "active")])._generate_sessions()


def _uses_package(session):
    """A session draws on its plan's package when the clinic's charge rule says so: attended,
    missed, or cancelled late by the patient."""
    event = session.env["clinic.charge.rule"]._event(session)
    return bool(event) and table_outcome("package", event) == "package"
