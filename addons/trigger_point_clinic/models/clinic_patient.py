"""A patient of the clinic: who they are, their intakes and screening, and the one
enforcement point of the screening. Who may read their record (``clinic_patient_care.py``)
and how they are billed (``clinic_patient_billing.py``) live beside it."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .clinic_dates import check_date, format_when
from .clinic_intake import SUBMITTED, TREATABLE_VERDICTS
from .clinic_patient_screening import BOOKING_STATUS_OF_VERDICT, BOOKING_STATUSES
from .clinic_screening_override import ScreeningRefusal
from .clinic_workflow import MANAGER, THERAPIST, check_access_first, selection_label

SCREENING_FIELDS = ("current_intake_id", "pending_intake_id", "booking_status")


class ClinicPatient(models.Model):
    """A patient of the clinic. Contact and billing data live on the linked partner, so that
    billing staff never need the clinical fields held here."""

    _name = "clinic.patient"
    _description = "Patient"
    _inherit = [
        "clinic.workflow.mixin",
        "clinic.audited.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _inherits = {"res.partner": "partner_id"}
    _order = "name"
    _workflow_fields = SCREENING_FIELDS
    _clinic_audit_patient = "id"
    _clinic_audit_restricted = True

    partner_id = fields.Many2one(
        comodel_name="res.partner", required=True, ondelete="restrict", index=True
    )
    # One patient per contact: the portal finds the patient from the account's contact.
    _partner_uniq = models.Constraint(
        "UNIQUE(partner_id)", "This contact is already a patient: open that patient instead."
    )
    birthdate = fields.Date(string="Date of Birth", tracking=True)
    emergency_contact_name = fields.Char()
    emergency_contact_phone = fields.Char()
    referring_physician_id = fields.Many2one(comodel_name="res.partner")
    intake_ids = fields.One2many(
        comodel_name="clinic.intake", inverse_name="patient_id", string="Intakes"
    )
    current_intake_id = fields.Many2one(
        comodel_name="clinic.intake", compute="_compute_current_intake_id", store=True
    )
    pending_intake_id = fields.Many2one(
        comodel_name="clinic.intake",
        compute="_compute_current_intake_id",
        store=True,
        string="Intake Awaiting Review",
        help="A submitted intake that would make the screening less strict: it applies once a "
        "therapist has reviewed it.",
    )
    clearance_ids = fields.One2many(
        comodel_name="clinic.clearance",
        inverse_name="patient_id",
        string="Clearances",
        groups=THERAPIST,
    )
    override_ids = fields.One2many(
        comodel_name="clinic.screening.override",
        inverse_name="patient_id",
        string="Screening Overrides",
        groups=THERAPIST,
    )
    session_ids = fields.One2many(
        comodel_name="clinic.session", inverse_name="patient_id", string="Sessions"
    )
    treatment_note_ids = fields.One2many(
        comodel_name="clinic.treatment.note",
        inverse_name="patient_id",
        string="Treatment Notes",
        groups=THERAPIST,
    )
    outcome_ids = fields.One2many(
        comodel_name="clinic.region.outcome",
        inverse_name="patient_id",
        string="Outcomes",
        groups=THERAPIST,
    )
    session_count = fields.Integer(compute="_compute_session_count")
    screening_ids = fields.One2many(
        comodel_name="clinic.patient.screening",
        inverse_name="patient_id",
        groups=THERAPIST,
    )
    # The one consequence of the screening that the front desk sees; the screening itself
    # (verdict, reasons, what to avoid) is in clinic.patient.screening, which it cannot read.
    booking_status = fields.Selection(
        BOOKING_STATUSES,
        compute="_compute_booking_status",
        store=True,
        compute_sudo=True,
        help="Whether sessions can be booked for the patient: an intake is needed, or a "
        "therapist must be asked first.",
    )

    @api.depends(
        "intake_ids.state",
        "intake_ids.superseded_by_id",
        "intake_ids.date_submitted",
        "intake_ids.relaxes_screening",
    )
    def _compute_current_intake_id(self):
        """The intake that screens the patient: the latest submitted one, except one that would
        make the screening less strict and that no therapist has reviewed yet (pending)."""
        for patient in self:
            open_intakes = patient.intake_ids.filtered(
                lambda i: i.state in SUBMITTED and not i.superseded_by_id
            ).sorted("date_submitted", reverse=True)
            applied = open_intakes.filtered(
                lambda i: i.state == "reviewed" or not i.relaxes_screening
            )
            patient.current_intake_id = applied[:1]
            pending = open_intakes.filtered(
                lambda i: i.state == "submitted" and i.relaxes_screening
            )
            patient.pending_intake_id = pending[:1]

    @api.depends("screening_ids.verdict")
    def _compute_booking_status(self):
        for patient in self:
            verdict = patient.screening_ids[:1].verdict or "missing"
            patient.booking_status = BOOKING_STATUS_OF_VERDICT[verdict]

    def _compute_session_count(self):
        counts = dict(
            self.env["clinic.session"]._read_group(
                [("patient_id", "in", self.ids)], ["patient_id"], ["__count"]
            )
        )
        for patient in self:
            patient.session_count = counts.get(patient, 0)

    @api.constrains("birthdate")
    def _check_birthdate(self):
        today = fields.Date.context_today(self)
        for patient in self:
            check_date(self.env, self.env._("Date of Birth"), patient.birthdate)
            if patient.birthdate and patient.birthdate > today:
                raise ValidationError(
                    self.env._(
                        "Date of Birth %(date)s of %(name)s is in the future: correct the date.",
                        date=patient.birthdate,
                        name=patient.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_access_first(self, "create")
        for vals in vals_list:
            vals.setdefault("company_id", self.env.company.id)
        self._check_care_team_writer(vals_list)
        patients = super().create(vals_list)
        self.env["clinic.patient.screening"]._ensure_for(patients)
        return patients

    def write(self, vals):
        check_access_first(self, "write")
        if "partner_id" in vals and any(
            patient.partner_id.id != vals["partner_id"] for patient in self
        ):
            # The contact is who the patient is: their portal account, their mail, their
            # invoices. Swapping it would give the patient's record to another account.
            raise UserError(
                self.env._(
                    "Contact: a patient's contact is not swapped for another one. Edit the "
                    "contact's details (name, e-mail, address) instead."
                )
            )
        self._check_care_team_writer([vals])
        return super().write(vals)

    def unlink(self):
        check_access_first(self, "unlink")
        kept = self.filtered(lambda p: p.sudo().intake_ids.filtered(lambda i: i.state in SUBMITTED))
        if kept:
            raise UserError(
                self.env._(
                    "%(patient)s has a submitted intake, part of their health record, which the "
                    "clinic keeps: archive the patient instead of deleting them.",
                    patient=kept[0].name,
                )
            )
        return super().unlink()

    # ------------------------------------------------------------------ actions

    def action_new_intake(self):
        self.ensure_one()
        intake = self.env["clinic.intake"].create({"patient_id": self.id})
        return intake._get_records_action()

    def action_send_intake(self):
        """Create an intake and e-mail the patient the link to fill it in online."""
        self.ensure_one()
        intake = self.intake_ids.filtered(lambda i: i.state in ("draft", "sent"))[:1]
        intake = intake or self.env["clinic.intake"].create({"patient_id": self.id})
        return intake.action_send()

    def action_view_sessions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trigger_point_clinic.clinic_session_action"
        )
        action.update(
            domain=[("patient_id", "=", self.id)],
            context={"default_patient_id": self.id},
            view_mode="list,calendar,form",
            views=[(False, "list"), (False, "calendar"), (False, "form")],
        )
        return action

    def action_view_outcomes(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trigger_point_clinic.clinic_treatment_note_line_action_outcome"
        )
        action["domain"] = [("patient_id", "=", self.id), ("note_state", "=", "signed")]
        return action

    def action_override_screening(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Screening"),
            "res_model": "clinic.screening.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_patient_id": self.id},
        }

    # ------------------------------------------------------------------ business

    def _when(self, when, kind="datetime"):
        """``when`` as this patient reads it, on their pages, in their mails and messages: in
        their language (``partner.lang``) and the clinic's timezone (``clinic_dates.format_when``,
        ``kind`` one of its WHEN_FORMATS)."""
        patient = self.sudo()[:1]
        # The clinic's timezone is its working calendar's, which patients may not read.
        company = patient.company_id or patient.env.company
        lang = patient.partner_id.lang or self.env.lang
        return format_when(self.env, when, kind, company._clinic_tz(), lang)

    def _check_treatment_allowed(self, when=None, session=None):
        """The enforcement point of the screening: may this patient be treated at ``when``?

        Returns the screening result (with its precautions) when they may. When they may not,
        a manager's override lets one session through, from its confirmation to its end: the
        override made for ``session``, else an override not yet bound to a session, which is
        bound to it. Otherwise a UserError says why, with the clinical reasons for those who
        may read them (therapists and managers) only.
        """
        self.ensure_one()
        when = when or fields.Datetime.now()
        company = self.company_id or self.env.company
        day = company._clinic_local_date(when)
        result = self.sudo().current_intake_id._screen(day)
        if result["verdict"] in TREATABLE_VERDICTS:
            return result
        if session:
            overrides = self.sudo().override_ids
            override = overrides.filtered(lambda o: o.session_id == session)
            override = override or overrides.filtered(lambda o: not o.session_id)[:1]
            if override:
                override._bind(session)
                return result
        if self.env.su or self.env.user.has_group(THERAPIST):
            reasons = "\n".join(f"- {reason}" for reason in result["reasons"])
        else:
            reasons = self.env._("A therapist or a manager can see why.")
        message = self.env._(
            "%(patient)s cannot be treated on %(day)s (%(verdict)s):\n%(reasons)s\n"
            "To proceed: record a new intake or a physician clearance, or ask a manager to "
            "override the screening with a reason.",
            patient=self.name,
            day=day,
            verdict=selection_label(
                self.env["clinic.patient.screening"], "verdict", result["verdict"]
            ),
            reasons=reasons,
        )
        if session and not self.env.su and self.env.user.has_group(MANAGER):
            # The manager asked is the one reading: the override is one click away.
            raise ScreeningRefusal(
                message,
                self.env["clinic.screening.override"]._action_for(session),
                self.env._("Override"),
            )
        raise UserError(message)
