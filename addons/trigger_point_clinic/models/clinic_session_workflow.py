"""A session's workflow: its states, the moves between them and the role that makes each (the
gate's transition table), what entering a state asks (the session's own therapist treats it, a
no-show once its start has passed, the patient's screening), cancelling and booking again."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .clinic_session import CLOSED_STATES
from .clinic_workflow import MANAGER, THERAPIST, selection_label

SESSION_STATES = [
    ("draft", "Draft"),
    ("confirmed", "Confirmed"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("no_show", "No-show"),
    ("cancelled", "Cancelled"),
]
# A session can be started this long before its booked start (the patient is early).
EARLY_START = timedelta(hours=1)
# Entering these states treats the patient: the screening must allow it.
TREATING_STATES = ("confirmed", "in_progress", "done")


class ClinicSession(models.Model):
    _inherit = "clinic.session"
    _workflow_fields = (
        "state",
        "cancel_party",
        "cancel_reason",
        "cancelled_by_id",
        "date_cancelled",
        "released_by_plan",
        "late_cancel",
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

    state = fields.Selection(
        SESSION_STATES, default="draft", required=True, tracking=True, copy=False, index=True
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

    def write(self, vals):
        """A session entering a state that treats the patient, or whose patient or time moves
        while it treats, asks the patient's screening once the write is done."""
        new_state = vals.get("state")
        moved = bool({"patient_id", "start"} & set(vals))
        if not (new_state or moved):
            return super().write(vals)
        # Remembered, never shown: the gate (in super) checks the caller before anything else.
        entering = self.sudo().filtered(lambda s: s.state != new_state) if new_state else self
        result = super().write(vals)
        for session in self if moved else entering.with_env(self.env):
            if session.state in TREATING_STATES:
                session._check_screening()
        return result

    def _check_write_values(self, vals):
        """What entering the new state asks (``_check_state_entry``)."""
        if vals.get("state"):
            self._check_state_entry(vals["state"])
        return super()._check_write_values(vals)

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
