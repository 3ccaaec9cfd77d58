from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .clinic_contraindication import PRESSURE_RANK

THERAPIST = "trigger_point_clinic.group_clinic_therapist"

SCREENING_VERDICTS = [
    ("missing", "No intake"),
    ("expired", "Intake expired"),
    ("do_not_treat", "Do not treat"),
    ("clearance_required", "Clearance required"),
    ("cleared_with_precautions", "Cleared with precautions"),
    ("clear", "Clear"),
]
TREATABLE_VERDICTS = ("cleared_with_precautions", "clear")


class ClinicIntake(models.Model):
    """A patient's health intake, one per submission. A newer submitted intake supersedes the
    older ones, which stay readable; the current one is what screens the patient."""

    _name = "clinic.intake"
    _description = "Patient Intake"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "patient_id, version desc"

    patient_id = fields.Many2one(
        comodel_name="clinic.patient", required=True, index=True, ondelete="cascade"
    )
    version = fields.Integer(readonly=True, copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("submitted", "Submitted"),
            ("reviewed", "Reviewed"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    superseded_by_id = fields.Many2one(
        comodel_name="clinic.intake", readonly=True, copy=False, index="btree_not_null"
    )
    date_sent = fields.Datetime(readonly=True, copy=False)
    date_submitted = fields.Datetime(readonly=True, copy=False, tracking=True)
    reviewed_by_id = fields.Many2one(comodel_name="res.users", readonly=True, copy=False)
    date_reviewed = fields.Datetime(readonly=True, copy=False)

    answer_ids = fields.One2many(
        comodel_name="clinic.intake.answer",
        inverse_name="intake_id",
        string="Health Questions",
        groups=THERAPIST,
    )
    medication_ids = fields.Many2many(
        comodel_name="clinic.contraindication",
        string="Medication Classes",
        domain=[("kind", "=", "medication")],
        groups=THERAPIST,
    )
    medication_note = fields.Text(string="Medications", groups=THERAPIST)
    pregnant = fields.Boolean(groups=THERAPIST)
    pregnancy_trimester = fields.Selection(
        [("1", "First"), ("2", "Second"), ("3", "Third")], groups=THERAPIST
    )
    recent_surgery = fields.Boolean(string="Recent Surgery or Trauma", groups=THERAPIST)
    surgery_date = fields.Date(string="Surgery or Trauma Date", groups=THERAPIST)
    surgery_site = fields.Char(string="Surgery or Trauma Site", groups=THERAPIST)
    pain_ids = fields.One2many(
        comodel_name="clinic.intake.pain",
        inverse_name="intake_id",
        string="Pain Map",
        groups=THERAPIST,
    )
    goals = fields.Text(groups=THERAPIST)
    consent = fields.Boolean(
        string="Consent to Treatment",
        copy=False,
        help="The patient agrees to be treated after reading the clinic's consent statement.",
    )
    signature = fields.Image(max_width=1024, max_height=1024, copy=False, attachment=True)
    signer_name = fields.Char(copy=False)
    date_signed = fields.Datetime(readonly=True, copy=False)

    @api.depends("patient_id.name", "version")
    def _compute_display_name(self):
        for intake in self:
            intake.display_name = self.env._(
                "%(patient)s, intake %(version)s",
                patient=intake.patient_id.name or "",
                version=intake.version or "",
            )

    def _compute_access_url(self):
        for intake in self:
            intake.access_url = f"/clinic/intake/{intake.id}"

    @api.constrains("pregnant", "pregnancy_trimester")
    def _check_pregnancy(self):
        for intake in self.sudo():
            if intake.pregnancy_trimester and not intake.pregnant:
                raise ValidationError(
                    self.env._(
                        "A pregnancy trimester is set but Pregnant is not ticked: tick Pregnant "
                        "or clear the trimester."
                    )
                )

    @api.constrains("surgery_date")
    def _check_surgery_date(self):
        today = fields.Date.context_today(self)
        for intake in self.sudo():
            if intake.surgery_date and intake.surgery_date > today:
                raise ValidationError(
                    self.env._(
                        "Surgery or Trauma Date %(date)s is in the future: enter the date it "
                        "happened.",
                        date=intake.surgery_date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        next_version = {}
        for vals in vals_list:
            patient_id = vals.get("patient_id")
            if patient_id not in next_version:
                last = self.sudo().search(
                    [("patient_id", "=", patient_id)], order="version desc", limit=1
                )
                next_version[patient_id] = last.version + 1
            vals["version"] = next_version[patient_id]
            next_version[patient_id] += 1
        intakes = super().create(vals_list)
        intakes.sudo()._add_missing_questions()
        return intakes

    def _add_missing_questions(self):
        """Give each intake one answer line per question of the catalogue."""
        questions = self.env["clinic.contraindication"].search([("trigger", "=", "question")])
        lines = []
        for intake in self:
            asked = intake.answer_ids.contraindication_id
            lines += [
                {"intake_id": intake.id, "contraindication_id": question.id}
                for question in questions - asked
            ]
        self.env["clinic.intake.answer"].create(lines)

    # ------------------------------------------------------------------ actions

    def action_send(self):
        """E-mail the patient a private link to fill in and sign this intake online. Each
        sending makes a new link: earlier links stop working."""
        for intake in self:
            if intake.state not in ("draft", "sent"):
                raise UserError(
                    self.env._(
                        "Intake %(name)s was already submitted: create a new intake to ask the "
                        "patient again.",
                        name=intake.display_name,
                    )
                )
            if not intake.patient_id.email:
                raise UserError(
                    self.env._(
                        "Patient %(name)s has no Email: add one on the patient to send the "
                        "intake form.",
                        name=intake.patient_id.name,
                    )
                )
        template = self.env.ref("trigger_point_clinic.mail_template_clinic_intake")
        for intake in self:
            intake.sudo().access_token = False
            intake._portal_ensure_token()
            intake.write({"state": "sent", "date_sent": fields.Datetime.now()})
            intake.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=intake.patient_id.partner_id.ids,
            )
        return True

    def action_submit(self):
        """Record the patient's submission: needs consent, a signature and the signer's name,
        supersedes the patient's earlier intakes, and so re-screens the patient."""
        for intake in self:
            intake._check_complete()
        now = fields.Datetime.now()
        for intake in self:
            previous = self.sudo().search(
                [
                    ("patient_id", "=", intake.patient_id.id),
                    ("id", "!=", intake.id),
                    ("state", "in", ("submitted", "reviewed")),
                    ("superseded_by_id", "=", False),
                ]
            )
            previous.write({"superseded_by_id": intake.id})
            intake.write({"state": "submitted", "date_submitted": now, "date_signed": now})
        return True

    def action_review(self):
        self.ensure_one()
        if self.state != "submitted":
            raise UserError(self.env._("Only a submitted intake can be marked as reviewed."))
        self.write(
            {
                "state": "reviewed",
                "reviewed_by_id": self.env.uid,
                "date_reviewed": fields.Datetime.now(),
            }
        )
        return True

    def action_new_intake(self):
        """Start the patient's next intake (after a change of health or at renewal)."""
        self.ensure_one()
        new = self.create({"patient_id": self.patient_id.id})
        return new._get_records_action()

    def _check_complete(self):
        """Refuse a submission that lacks what a clinic needs to treat: consent, signature,
        signer, and the details of the answers that ask for them."""
        self.ensure_one()
        intake = self.sudo()
        if intake.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "Intake %(name)s was already submitted; it cannot be submitted again.",
                    name=intake.display_name,
                )
            )
        missing = []
        if not intake.consent:
            missing.append(self.env._("tick the consent to treatment"))
        if not intake.signature:
            missing.append(self.env._("sign the form"))
        if not (intake.signer_name or "").strip():
            missing.append(self.env._("type the signer's name"))
        if intake.pregnant and not intake.pregnancy_trimester:
            missing.append(self.env._("give the trimester of the pregnancy"))
        if intake.recent_surgery and not intake.surgery_date:
            missing.append(self.env._("give the date of the surgery or trauma"))
        if missing:
            raise UserError(
                self.env._(
                    "The intake cannot be submitted yet: %(missing)s.",
                    missing=", ".join(missing),
                )
            )

    # ------------------------------------------------------------------ screening

    def _triggered_contraindications(self):
        """The catalogue entries this intake's answers make apply to the patient."""
        self.ensure_one()
        intake = self.sudo()
        triggered = intake.answer_ids.filtered("answer").contraindication_id
        triggered |= intake.medication_ids
        catalogue = self.env["clinic.contraindication"]
        if intake.recent_surgery:
            triggered |= catalogue.search([("trigger", "=", "recent_surgery")])
        if intake.pregnant and intake.pregnancy_trimester == "1":
            triggered |= catalogue.search([("trigger", "=", "pregnancy_first_trimester")])
        return triggered

    def _screen(self, at_date):
        """The clinic's one screening rule, for this intake at ``at_date``.

        - no intake, or an intake older than the company's validity (12 months by default):
          the patient cannot be treated until a new intake is submitted;
        - any **absolute** contraindication: do not treat;
        - a **relative** contraindication without a physician's clearance valid on that date:
          clearance required;
        - **local** regions to avoid, **medication** precautions, or relative contraindications
          covered by a clearance: cleared with precautions;
        - otherwise clear.

        Returns a dict: verdict, contraindications (those that apply), reasons (lines for the
        therapist), excluded regions (with their muscles), precautions, the maximum pressure,
        and review_date (the first day the verdict may change by itself).
        """
        empty = self.env["clinic.contraindication"]
        result = {
            "verdict": "missing",
            "contraindications": empty,
            "reasons": [],
            "excluded_regions": self.env["clinic.body.region"],
            "precautions": [],
            "max_pressure": False,
            "review_date": False,
        }
        if not self:
            result["reasons"] = [self.env._("No submitted intake: send the patient an intake.")]
            return result
        self.ensure_one()
        intake = self.sudo()
        company = intake.patient_id.company_id or self.env.company
        expiry = fields.Date.to_date(intake.date_submitted) + relativedelta(
            months=company.clinic_intake_validity_months
        )
        if at_date >= expiry:
            result.update(
                verdict="expired",
                review_date=False,
                reasons=[
                    self.env._(
                        "The intake of %(date)s expired on %(expiry)s: the patient must fill in "
                        "a new intake.",
                        date=fields.Date.to_date(intake.date_submitted),
                        expiry=expiry,
                    )
                ],
            )
            return result
        applying = intake._triggered_contraindications()
        clearances = intake.patient_id.clearance_ids
        valid_clearances = clearances.filtered(lambda c: c._is_valid_on(at_date))
        covered = valid_clearances.contraindication_ids
        absolute = applying.filtered(lambda c: c.kind == "absolute")
        relative = applying.filtered(lambda c: c.kind == "relative")
        uncovered = relative - covered
        cautions = applying.filtered(lambda c: c.kind in ("local", "medication")) | (
            relative & covered
        )
        review_dates = [expiry]
        review_dates += [c.date_expiry + relativedelta(days=1) for c in valid_clearances]
        review_dates += [c.date_issued for c in clearances if c.date_issued > at_date]
        if absolute:
            verdict, reasons = "do_not_treat", absolute
        elif uncovered:
            verdict, reasons = "clearance_required", uncovered
        elif cautions:
            verdict, reasons = "cleared_with_precautions", cautions
        else:
            verdict, reasons = "clear", empty
        pressures = [c.max_pressure for c in applying if c.max_pressure]
        result.update(
            verdict=verdict,
            contraindications=applying,
            reasons=[c._reason_line() for c in reasons],
            excluded_regions=applying.filtered(
                lambda c: c.kind == "local"
            ).region_ids._with_muscles(),
            precautions=[c._reason_line() for c in cautions],
            max_pressure=min(pressures, key=PRESSURE_RANK.get) if pressures else False,
            review_date=min(d for d in review_dates if d > at_date),
        )
        if verdict == "clearance_required":
            result["reasons"] = [
                self.env._("Physician clearance needed for: %(reason)s", reason=reason)
                for reason in result["reasons"]
            ]
        return result


class ClinicIntakeAnswer(models.Model):
    _name = "clinic.intake.answer"
    _description = "Intake Health Answer"
    _order = "sequence, id"

    intake_id = fields.Many2one(
        comodel_name="clinic.intake", required=True, index=True, ondelete="cascade"
    )
    contraindication_id = fields.Many2one(
        comodel_name="clinic.contraindication", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="contraindication_id.sequence", store=True)
    question = fields.Char(related="contraindication_id.question")
    kind = fields.Selection(related="contraindication_id.kind")
    answer = fields.Boolean(string="Yes")
    detail = fields.Char(help="Where, since when, what the physician said.")

    _question_uniq = models.Constraint(
        "UNIQUE(intake_id, contraindication_id)", "Each question is answered once per intake."
    )


class ClinicIntakePain(models.Model):
    _name = "clinic.intake.pain"
    _description = "Intake Pain Map Entry"
    _order = "pain desc, id"

    intake_id = fields.Many2one(
        comodel_name="clinic.intake", required=True, index=True, ondelete="cascade"
    )
    region_id = fields.Many2one(comodel_name="clinic.body.region", required=True)
    pain = fields.Integer(string="Pain (0-10)", required=True)

    _region_uniq = models.Constraint(
        "UNIQUE(intake_id, region_id)", "A region appears once on an intake's pain map."
    )

    @api.constrains("pain")
    def _check_pain(self):
        for entry in self:
            if not 0 <= entry.pain <= 10:
                raise ValidationError(
                    self.env._(
                        "Pain for %(region)s is %(pain)s: enter a whole number from 0 (no pain) "
                        "to 10 (worst imaginable).",
                        region=entry.region_id.display_name,
                        pain=entry.pain,
                    )
                )
