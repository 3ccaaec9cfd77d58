from collections import defaultdict

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .clinic_contraindication import PRESSURE_LEVELS
from .clinic_intake import SCREENING_VERDICTS, THERAPIST, TREATABLE_VERDICTS

MANAGER = "trigger_point_clinic.group_clinic_manager"


class ClinicPatient(models.Model):
    """A patient of the clinic. Contact and billing data live on the linked partner, so that
    billing staff never need the clinical fields held here."""

    _name = "clinic.patient"
    _description = "Patient"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _inherits = {"res.partner": "partner_id"}
    _order = "name"

    partner_id = fields.Many2one(
        comodel_name="res.partner", required=True, ondelete="restrict", index=True
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
    clearance_ids = fields.One2many(
        comodel_name="clinic.clearance", inverse_name="patient_id", string="Clearances"
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
    billing_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Invoice To",
        help="Who receives the invoices: a parent, an employer or an insurer. Empty: the patient.",
    )
    plan_ids = fields.One2many(comodel_name="clinic.plan", inverse_name="patient_id")
    invoice_count = fields.Integer(compute="_compute_billing", compute_sudo=True)
    amount_due = fields.Monetary(
        compute="_compute_billing", compute_sudo=True, currency_field="currency_id"
    )
    package_balance = fields.Integer(
        compute="_compute_billing",
        compute_sudo=True,
        help="Sessions left on the packages of the patient's plans.",
    )
    screening_verdict = fields.Selection(
        SCREENING_VERDICTS,
        compute="_compute_screening",
        store=True,
        tracking=True,
        help="Whether the patient may be treated today, from the current intake and clearances.",
    )
    screening_reasons = fields.Text(compute="_compute_screening", store=True, groups=THERAPIST)
    screening_contraindication_ids = fields.Many2many(
        comodel_name="clinic.contraindication",
        relation="clinic_patient_screening_contraindication_rel",
        compute="_compute_screening",
        store=True,
        string="Contraindications",
        groups=THERAPIST,
    )
    excluded_region_ids = fields.Many2many(
        comodel_name="clinic.body.region",
        relation="clinic_patient_excluded_region_rel",
        compute="_compute_screening",
        store=True,
        string="Regions to Avoid",
        groups=THERAPIST,
    )
    screening_precautions = fields.Text(compute="_compute_screening", store=True, groups=THERAPIST)
    screening_max_pressure = fields.Selection(
        PRESSURE_LEVELS,
        compute="_compute_screening",
        store=True,
        string="Maximum Pressure",
        groups=THERAPIST,
    )
    screening_review_date = fields.Date(
        compute="_compute_screening",
        store=True,
        help="The screening is re-run by the daily check on this date (an intake or clearance "
        "expires, or a clearance starts).",
    )

    @api.depends("intake_ids.state", "intake_ids.superseded_by_id", "intake_ids.date_submitted")
    def _compute_current_intake_id(self):
        for patient in self:
            current = patient.intake_ids.filtered(
                lambda i: i.state in ("submitted", "reviewed") and not i.superseded_by_id
            ).sorted("date_submitted", reverse=True)
            patient.current_intake_id = current[:1]

    @api.depends(
        "current_intake_id.answer_ids.answer",
        "current_intake_id.medication_ids",
        "current_intake_id.recent_surgery",
        "current_intake_id.pregnant",
        "current_intake_id.pregnancy_trimester",
        "current_intake_id.date_submitted",
        "clearance_ids.date_issued",
        "clearance_ids.date_expiry",
        "clearance_ids.contraindication_ids",
        "company_id.clinic_intake_validity_months",
    )
    def _compute_screening(self):
        today = fields.Date.context_today(self)
        for patient in self:
            result = patient.current_intake_id._screen(today)
            patient.screening_verdict = result["verdict"]
            patient.screening_reasons = "\n".join(result["reasons"])
            patient.screening_contraindication_ids = result["contraindications"]
            patient.excluded_region_ids = result["excluded_regions"]
            patient.screening_precautions = "\n".join(result["precautions"])
            patient.screening_max_pressure = result["max_pressure"]
            patient.screening_review_date = result["review_date"]

    def _compute_session_count(self):
        counts = dict(
            self.env["clinic.session"]._read_group(
                [("patient_id", "in", self.ids)], ["patient_id"], ["__count"]
            )
        )
        for patient in self:
            patient.session_count = counts.get(patient, 0)

    @api.depends(
        "session_ids.invoice_line_ids.parent_state",
        "session_ids.invoice_line_ids.move_id.amount_residual",
        "plan_ids.invoice_line_ids.parent_state",
        "plan_ids.session_ids.state",
    )
    def _compute_billing(self):
        moves = self._invoices_by_patient()
        for patient in self:
            patient_moves = moves[patient.id]
            patient.invoice_count = len(patient_moves)
            patient.amount_due = patient_moves._clinic_amount_due()
            packages = patient.plan_ids.filtered(lambda p: p.billing_mode == "package")
            patient.package_balance = sum(packages.mapped("package_balance"))

    @api.constrains("birthdate")
    def _check_birthdate(self):
        today = fields.Date.context_today(self)
        for patient in self:
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
        for vals in vals_list:
            vals.setdefault("company_id", self.env.company.id)
        return super().create(vals_list)

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
        intake.action_send()
        return True

    def action_view_sessions(self):
        self.ensure_one()
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
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trigger_point_clinic.clinic_treatment_note_line_action_outcome"
        )
        action["domain"] = [("patient_id", "=", self.id), ("note_state", "=", "signed")]
        return action

    def action_view_invoices(self):
        self.ensure_one()
        return self._invoices_by_patient()[self.id]._clinic_action()

    def action_override_screening(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Screening"),
            "res_model": "clinic.screening.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_patient_id": self.id},
        }

    # ------------------------------------------------------------------ business

    def _billing_partner(self):
        self.ensure_one()
        return self.billing_partner_id or self.partner_id

    def _clinic_price(self, product, day):
        """The price of ``product`` for this patient: their pricelist's, else the list price."""
        self.ensure_one()
        pricelist = self.partner_id.sudo().property_product_pricelist
        if pricelist:
            return pricelist._get_product_price(product, 1.0, date=day)
        return product.lst_price

    def _invoices_by_patient(self):
        """{patient id: the invoices and credit notes billing their sessions or plans}."""
        moves = defaultdict(lambda: self.env["account.move"])
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    "|",
                    ("clinic_session_id.patient_id", "in", self.ids),
                    ("clinic_plan_id.patient_id", "in", self.ids),
                ]
            )
        )
        for line in lines:
            patient = line.clinic_session_id.patient_id or line.clinic_plan_id.patient_id
            moves[patient.id] |= line.move_id
        return moves

    def _check_treatment_allowed(self, when=None, session=None):
        """The enforcement point of the screening: may this patient be treated at ``when``?

        Returns the screening result (with its precautions) when they may. When they may not,
        a manager's unused override lets exactly one session through (and is used up by it);
        otherwise a UserError lists the reasons and how to lift them.
        """
        self.ensure_one()
        when = when or fields.Datetime.now()
        tz = (self.company_id or self.env.company)._clinic_tz()
        day = pytz.utc.localize(when).astimezone(tz).date()
        result = self.sudo().current_intake_id._screen(day)
        if result["verdict"] in TREATABLE_VERDICTS:
            return result
        override = self.sudo().override_ids.filtered(lambda o: not o.used)[:1]
        if override:
            override._use(session)
            return result
        raise UserError(
            self.env._(
                "%(patient)s cannot be treated on %(day)s (%(verdict)s):\n%(reasons)s\n"
                "To proceed: record a new intake or a physician clearance, or ask a manager to "
                "override the screening with a reason.",
                patient=self.name,
                day=day,
                verdict=dict(SCREENING_VERDICTS)[result["verdict"]],
                reasons="\n".join(f"- {reason}" for reason in result["reasons"]),
            )
        )

    @api.model
    def _cron_rescreen(self):
        """Daily: re-screen patients whose intake or clearances changed state by the calendar
        (an expiry, or a clearance that starts)."""
        today = fields.Date.context_today(self)
        due = self.search(
            [("screening_review_date", "!=", False), ("screening_review_date", "<=", today)]
        )
        self.env.add_to_compute(self._fields["screening_verdict"], due)
        due._recompute_recordset()
        return due


class ClinicClearance(models.Model):
    """A physician's clearance to treat despite some relative contraindications."""

    _name = "clinic.clearance"
    _description = "Physician Clearance"
    _inherit = ["mail.thread"]
    _order = "date_issued desc"

    patient_id = fields.Many2one(
        comodel_name="clinic.patient", required=True, index=True, ondelete="cascade"
    )
    physician_id = fields.Many2one(comodel_name="res.partner", required=True)
    contraindication_ids = fields.Many2many(
        comodel_name="clinic.contraindication",
        string="Covers",
        required=True,
        domain=[("kind", "=", "relative")],
    )
    date_issued = fields.Date(required=True, default=fields.Date.context_today)
    date_expiry = fields.Date(
        compute="_compute_date_expiry",
        store=True,
        readonly=False,
        help="By default the date plus the shortest validity of the contraindications covered.",
    )
    document = fields.Binary(attachment=True, help="The clearance letter, as received.")
    document_name = fields.Char()
    note = fields.Text()

    @api.depends("date_issued", "contraindication_ids.clearance_validity_days")
    def _compute_date_expiry(self):
        for clearance in self:
            days = clearance.contraindication_ids.mapped("clearance_validity_days")
            if clearance.date_issued and days:
                clearance.date_expiry = fields.Date.add(clearance.date_issued, days=min(days))
            elif not clearance.date_expiry:
                clearance.date_expiry = clearance.date_issued

    @api.constrains("date_issued", "date_expiry", "contraindication_ids")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for clearance in self:
            if clearance.date_issued > today:
                raise ValidationError(
                    self.env._(
                        "Clearance date %(date)s is in the future.", date=clearance.date_issued
                    )
                )
            if not clearance.date_expiry:
                raise ValidationError(self.env._("Set the clearance's Expiry date."))
            if clearance.date_expiry < clearance.date_issued:
                raise ValidationError(
                    self.env._(
                        "Clearance expiry %(expiry)s is before its date %(date)s: set an expiry "
                        "on or after the date it was given.",
                        expiry=clearance.date_expiry,
                        date=clearance.date_issued,
                    )
                )
            if clearance.contraindication_ids.filtered(lambda c: c.kind != "relative"):
                raise ValidationError(
                    self.env._("A clearance covers relative contraindications only.")
                )

    @api.depends("patient_id.name", "date_issued")
    def _compute_display_name(self):
        for clearance in self:
            clearance.display_name = self.env._(
                "Clearance of %(date)s for %(patient)s",
                date=clearance.date_issued,
                patient=clearance.patient_id.name or "",
            )

    def _is_valid_on(self, day):
        self.ensure_one()
        return self.date_issued <= day <= self.date_expiry


class ClinicScreeningOverride(models.Model):
    """A manager's decision to treat once despite the screening, with the reason on record."""

    _name = "clinic.screening.override"
    _description = "Screening Override"
    _order = "create_date desc"

    patient_id = fields.Many2one(
        comodel_name="clinic.patient", required=True, index=True, ondelete="cascade"
    )
    reason = fields.Text(required=True)
    user_id = fields.Many2one(
        comodel_name="res.users", default=lambda self: self.env.user, readonly=True
    )
    used = fields.Boolean(readonly=True, copy=False)
    date_used = fields.Datetime(readonly=True, copy=False)
    used_on = fields.Char(readonly=True, copy=False, help="The session the override let through.")

    @api.constrains("reason")
    def _check_reason(self):
        for override in self:
            if len((override.reason or "").strip()) < 10:
                raise ValidationError(
                    self.env._(
                        "An override needs a Reason of at least a sentence: say why the patient "
                        "is treated despite the screening."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a clinic manager can override a screening."))
        overrides = super().create(vals_list)
        for override in overrides:
            override.patient_id.message_post(
                body=self.env._(
                    "Screening overridden for one session by %(user)s: %(reason)s",
                    user=override.user_id.name,
                    reason=override.reason,
                )
            )
        return overrides

    def action_confirm(self):
        return {"type": "ir.actions.act_window_close"}

    def _use(self, session=None):
        self.ensure_one()
        self.sudo().write(
            {
                "used": True,
                "date_used": fields.Datetime.now(),
                "used_on": session.display_name if session else False,
            }
        )
        self.patient_id.sudo().message_post(
            body=self.env._(
                "Screening override used for %(session)s.",
                session=session.display_name if session else self.env._("a session"),
            )
        )
