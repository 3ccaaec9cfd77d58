"""The session: one appointment, a patient with a therapist in a room, for a service.

This file holds what a session is (who, when, where, what service, its note); each concern
extends the model in a file of its own and declares there its fields, its workflow fields and
its transitions, which the gate (``clinic.workflow.mixin``) collects from every file:

- ``clinic_session_booking.py``: the booking rule (one session at a time per therapist and
  room, in PostgreSQL and ahead of it), working hours, who books, the plan's slot;
- ``clinic_session_workflow.py``: the states, their transitions and what entering each asks,
  cancellation and booking again;
- ``clinic_session_billing.py``: what the session owes, asked of the charge rule
  (``clinic.charge.rule``), its invoices and billing status;
- ``clinic_session_reminder.py``: the patient's appointment reminder and confirmation;
- ``clinic_session_my_day.py``: what a therapist's day shows of it (today, the screening);
- ``clinic_session_desk.py``, ``_schedule.py``, ``_episode.py``, ``_prepaid.py``,
  ``_home.py``: the desk's day, the day schedule, the episode of care, what was paid in
  advance, the home programme.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_workflow import THERAPIST

SCHEDULE_FIELDS = ("start", "stop", "therapist_id", "room_id")
CLOSED_STATES = ("done", "no_show", "cancelled")


def default_service_product(model):
    """The clinic's standard session service, offered by default on sessions and plans."""
    return model.env.ref(
        "trigger_point_clinic.product_trigger_point_session", raise_if_not_found=False
    )


class ClinicSession(models.Model):
    """One appointment: a patient with a therapist in a room, for a service."""

    _name = "clinic.session"
    _description = "Session"
    _inherit = ["clinic.workflow.mixin", "clinic.reminder.mixin", "mail.thread"]
    _order = "start desc, id desc"
    _rec_names_search = ["patient_id.name", "therapist_id.name"]
    _check_company_auto = True
    # Computed from the session's time and its note: never a caller's.
    _workflow_fields = ("local_date", "duration", "treatment_note_state")

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
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    color = fields.Integer(related="therapist_id.color")
    note = fields.Text()
    treatment_note_ids = fields.One2many(
        comodel_name="clinic.treatment.note",
        inverse_name="session_id",
        string="Treatment Notes",
        groups=THERAPIST,
    )
    treatment_note_state = fields.Selection(
        [("none", "Not Written"), ("draft", "Draft"), ("signed", "Signed")],
        compute="_compute_treatment_note_state",
        store=True,
        compute_sudo=True,
        string="Treatment Note",
    )

    # Bounded screens read a period, not the history: the calendar's week (of some therapists
    # or rooms), and the utilisation report's days (per therapist or room and local day).
    _patient_start_idx = models.Index("(patient_id, start)")
    _start_idx = models.Index("(start)")
    _therapist_start_idx = models.Index("(therapist_id, start)")
    _room_start_idx = models.Index("(room_id, start)")
    _therapist_local_date_idx = models.Index("(therapist_id, local_date)")
    _room_local_date_idx = models.Index("(room_id, local_date)")

    @api.depends("start", "company_id.resource_calendar_id.tz", "company_id.partner_id.tz")
    def _compute_local_date(self):
        for session in self:
            session.local_date = session.start and session.company_id._clinic_local_date(
                session.start
            )

    @api.depends("start", "stop")
    def _compute_duration(self):
        for session in self:
            if session.start and session.stop:
                session.duration = (session.stop - session.start).total_seconds() / 3600
            else:
                session.duration = 0.0

    @api.depends("treatment_note_ids.state")
    def _compute_treatment_note_state(self):
        for session in self:
            session.treatment_note_state = session.treatment_note_ids[:1].state or "none"

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

    # ------------------------------------------------------------------ actions

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
