import hashlib
import json

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .clinic_contraindication import PRESSURE_RANK
from .clinic_dates import check_date
from .clinic_private_links import private_links_allowed, send_private_mail
from .clinic_workflow import (
    THERAPIST,
    check_access_first,
    in_workflow,
    workflow,
)

SUBMITTED = ("submitted", "reviewed")
# What the patient answered and signed: frozen once submitted, by the ORM and by PostgreSQL.
INTAKE_CONTENT = (
    "patient_id",
    "answer_ids",
    "medication_ids",
    "medication_note",
    "pregnant",
    "pregnancy_trimester",
    "recent_surgery",
    "surgery_date",
    "surgery_site",
    "pain_ids",
    "goals",
    "consent",
    "signature",
    "signer_name",
)
# The columns of the intake's own table (the signature is an attachment, locked by the ORM).
INTAKE_COLUMNS = (
    *(
        name
        for name in INTAKE_CONTENT
        if name not in ("answer_ids", "medication_ids", "pain_ids", "signature")
    ),
    "date_submitted",
    "date_signed",
    "version",
)
ANSWERS = [("yes", "Yes"), ("no", "No")]
# The to-do's activity type (data/clinic_activity_data.xml).
REVIEW_INTAKE = "trigger_point_clinic.mail_activity_type_review_intake"
INTAKE_LOCKED = "state IN ('submitted', 'reviewed')"
# What still changes on a submitted intake: its review, and the newer intake superseding it.
INTAKE_STILL_CHANGING = ("state", "reviewed_by_id", "date_reviewed", "superseded_by_id")

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
    _inherit = [
        "clinic.patient.record",
        "clinic.workflow.mixin",
        "clinic.frozen.mixin",
        "clinic.audited.mixin",
        "clinic.reminder.mixin",
        "portal.mixin",
        "mail.thread",
    ]
    _clinic_audit_restricted = True
    # Submitted, the intake is what the patient signed: nothing of it changes (answers, pain
    # map, medications and signature included) but its review and the intake superseding it.
    _frozen_domain = [("state", "in", SUBMITTED)]
    _frozen_sql = INTAKE_LOCKED
    _frozen_allowed = INTAKE_STILL_CHANGING
    # Odoo's portal mixin makes a token when a mail template renders the intake's link (a
    # template check renders existing intakes); a submitted intake's link answers "already
    # submitted". Never written by a caller.
    _frozen_allowed_su = ("access_token",)
    _order = "patient_id, version desc"
    _workflow_fields = (
        "state",
        "version",
        "superseded_by_id",
        "date_sent",
        "date_submitted",
        "reviewed_by_id",
        "date_reviewed",
        "date_signed",
        "relaxes_screening",
    )
    # The front desk sends links; only the patient (through the link, as the clinic's
    # superuser code) or a therapist in the clinic submits, and a therapist reviews.
    _workflow_transitions = {
        ("draft", "sent"): None,
        ("draft", "submitted"): THERAPIST,
        ("sent", "submitted"): THERAPIST,
        ("submitted", "reviewed"): THERAPIST,
    }

    version = fields.Integer(readonly=True, copy=False)

    # Versions are numbered last + 1 when an intake is made: two made at once for one patient
    # would share a number; PostgreSQL lets only the first through.
    _patient_version_uniq = models.UniqueIndex(
        "(patient_id, version)",
        "Another intake of this patient was made at the same moment: open the patient again "
        "and use the intake there.",
    )
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
    relaxes_screening = fields.Boolean(
        readonly=True,
        copy=False,
        groups=THERAPIST,
        help="Submitted, this intake would make the patient's screening less strict than the "
        "intake it follows (a contraindication no longer applies): it screens the patient once "
        "a therapist has reviewed it.",
    )

    answer_ids = fields.One2many(
        comodel_name="clinic.intake.answer",
        inverse_name="intake_id",
        string="Health Questions",
        groups=THERAPIST,
    )
    medication_ids = fields.Many2many(
        comodel_name="clinic.contraindication",
        relation="clinic_contraindication_clinic_intake_rel",
        column1="clinic_intake_id",
        column2="clinic_contraindication_id",
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
        groups=THERAPIST,
        help="The patient agrees to be treated after reading the clinic's consent statement.",
    )
    signature = fields.Image(
        max_width=1024, max_height=1024, copy=False, attachment=True, groups=THERAPIST
    )
    signer_name = fields.Char(copy=False, groups=THERAPIST)
    date_signed = fields.Datetime(readonly=True, copy=False)
    # The patient's link opens the intake without a login: it reaches the patient by e-mail and
    # nobody else (staff re-send it; they never see it).
    access_token = fields.Char(groups="base.group_system")
    intake_url = fields.Char(
        string="Link",
        compute="_compute_intake_url",
        groups="base.group_system",
        help="The patient's private link to this intake (administrators only: the clinic's "
        "staff send it with Send Intake and never see it).",
    )

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

    @api.depends("access_token", "state")
    def _compute_intake_url(self):
        for intake in self:
            intake.intake_url = (
                intake.get_base_url() + intake.sudo()._get_share_url()
                if intake.state in ("draft", "sent") and intake.sudo().access_token
                else False
            )

    @api.private
    def get_portal_url(self, *args, **kwargs):
        """Not callable over JSON-RPC: the URL it answers opens the intake."""
        return super().get_portal_url(*args, **kwargs)

    def _get_share_url(self, redirect=False, signup_partner=False, pid=None, share_token=True):
        """The intake's token only in what e-mails the patient (or an administrator's form):
        never in what a staff member shares or copies (Odoo's Share, a composer)."""
        share_token = share_token and (private_links_allowed() or self.env.is_system())
        return super()._get_share_url(redirect, signup_partner, pid, share_token)

    def _clinic_intake_link(self):
        """The link of the intake e-mail: the patient's private link while the clinic's code
        e-mails it, else the page without its token (it opens nothing)."""
        self.ensure_one()
        intake = self.sudo()
        url = intake.get_base_url() + intake.access_url
        if private_links_allowed():
            url += f"?access_token={intake._portal_ensure_token()}"
        return url

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
        for intake in self.sudo():
            self._check_not_in_future(intake.surgery_date)
            check_date(self.env, self.env._("Surgery or Trauma Date"), intake.surgery_date)

    def _check_not_in_future(self, surgery_date):
        if surgery_date and surgery_date > fields.Date.context_today(self):
            raise ValidationError(
                self.env._(
                    "Surgery or Trauma Date %(date)s is in the future: enter the date it happened.",
                    date=surgery_date,
                )
            )

    def _clinic_check_date(self, field, day):
        """A surgery date is refused for being in the future before the calendar's bounds
        (clinic_values.py): the message the patient can act on."""
        if field.name == "surgery_date":
            self._check_not_in_future(day)
        return super()._clinic_check_date(field, day)

    @api.model_create_multi
    def create(self, vals_list):
        check_access_first(self, "create")
        if not in_workflow(self._name):
            for vals in vals_list:
                self._check_caller_values(vals)
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
        with workflow(self._name):
            intakes = super().create(vals_list)
        intakes.sudo()._add_missing_questions()
        return intakes

    def write(self, vals):
        check_access_first(self, "write")
        if "patient_id" in vals and self.filtered(lambda i: i.patient_id.id != vals["patient_id"]):
            raise UserError(
                self.env._(
                    "An intake stays with the patient it was made for: create an intake for the "
                    "other patient instead."
                )
            )
        return super().write(vals)

    def _frozen_refuse(self, names):
        self._check_open(names)
        return super()._frozen_refuse(names)

    def _check_open(self, names=()):
        """A submitted intake is what the patient signed: it never changes. A change of health
        is a new intake, which supersedes it."""
        frozen = self.filtered(lambda intake: intake.state in SUBMITTED)
        if frozen:
            raise UserError(
                self.env._(
                    "%(intake)s was submitted on %(date)s and does not change: start a new "
                    "intake to record a change.%(what)s",
                    what=self.env._(" Refused: %(fields)s.", fields=self._frozen_labels(names))
                    if names
                    else "",
                    intake=frozen[0].display_name,
                    date=(frozen[0].company_id or self.env.company)
                    ._clinic_local_datetime(frozen[0].date_submitted)
                    .strftime("%Y-%m-%d %H:%M"),
                )
            )

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
            if intake.state in SUBMITTED:
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
        sent, failed = self.browse(), []
        for intake in self:
            # A new link each time: the one of an earlier sending stops working.
            intake.sudo().access_token = False
            mail = send_private_mail(
                template,
                intake,
                self.env._(
                    "Intake e-mailed to %(email)s with the patient's private link.",
                    email=intake.patient_id.email,
                ),
            )
            # Sent now rather than by the queue: whoever pressed the button learns whether it
            # went, and the intake is marked sent only then. A mail that left is deleted.
            mail.send(raise_exception=False)
            mail = mail.exists()
            if mail.state == "exception" or (mail and not mail.email_to and not mail.recipient_ids):
                reason = mail.failure_reason or self.env._("the patient has no e-mail address")
                # The failed mail holds the link: nothing keeps it but the intake, until the
                # next sending replaces it.
                mail.unlink()
                intake.message_post(
                    body=self.env._("The intake e-mail was not sent: %(reason)s", reason=reason),
                    subtype_xmlid="mail.mt_note",
                )
                failed.append((intake, reason))
                continue
            intake.message_post(
                body=self.env._(
                    "Intake e-mailed to %(email)s with the patient's private link.",
                    email=intake.patient_id.email,
                ),
                subtype_xmlid="mail.mt_note",
            )
            intake._workflow_write({"state": "sent", "date_sent": fields.Datetime.now()})
            sent |= intake
        return self._send_result(sent, failed)

    def _send_result(self, sent, failed):
        """What the person who pressed Send Intake sees: the e-mail went, or why not (the intake
        stays unsent, to send again: the link reaches the patient by e-mail only)."""
        if failed:
            intake, reason = failed[0]
            notice = {
                "type": "warning",
                "sticky": True,
                "title": self.env._("The intake e-mail was not sent"),
                "message": self.env._(
                    "The e-mail to %(patient)s could not be sent (%(reason)s). The intake stays "
                    "unsent: check the patient's e-mail address, or press Send Intake again "
                    "once the mail server works.",
                    patient=intake.patient_id.name,
                    reason=reason.strip() or self.env._("no reason given"),
                ),
            }
        else:
            notice = {
                "type": "success",
                "sticky": False,
                "title": self.env._("Intake sent"),
                "message": self.env._(
                    "The intake link was e-mailed to %(emails)s.",
                    emails=", ".join(sent.patient_id.mapped("email")),
                ),
            }
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {**notice, "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }

    def action_submit(self):
        """Record the submission: complete (every question answered, consent, signature and
        signer), it supersedes the patient's earlier intakes and so re-screens the patient.
        The patient submits through the link; in the clinic, only a therapist may."""
        check_access_first(self, "write")
        return self._submit()

    @api.private
    def _submit(self, when=None):
        """Submit as the patient did at ``when`` (now by default; the demo's history and tests
        give an earlier time)."""
        self._check_transition("submitted")
        for intake in self:
            intake._check_complete()
        when = when or fields.Datetime.now()
        # Pending answers reach the database before the lock does.
        self.env.flush_all()
        for intake in self:
            # A screening may become stricter at once; less strict only once a therapist has
            # reviewed the intake that relaxes it (a submission alone never clears anyone).
            applied = intake.patient_id.sudo().current_intake_id
            relaxes = bool(
                applied
                and applied._triggered_contraindications() - intake._triggered_contraindications()
            )
            if not relaxes:
                intake._supersede_previous()
            intake._workflow_write(
                {
                    "state": "submitted",
                    "date_submitted": when,
                    "date_signed": when,
                    "relaxes_screening": relaxes,
                }
            )
            self.env["clinic.record.seal"]._seal(intake)
            intake._clinic_remind(
                intake._reviewer(), REVIEW_INTAKE, self.env._("Read the answers before treating.")
            )
        return True

    def _clinic_seal_digest(self, version=2):
        """SHA-256 of what the patient submitted: the intake's columns, answers, pain map,
        medications and signature, in a canonical form (identifiers only in every version; from
        version 2 written "$2$<sha256>")."""
        self.ensure_one()
        intake = self.sudo()
        content = {
            "intake": [
                value.id if isinstance(value, models.BaseModel) else value
                for value in (intake[name] for name in INTAKE_COLUMNS)
            ],
            "answers": sorted(
                [a.contraindication_id.id, a.answer or "", a.detail or ""]
                for a in intake.answer_ids
            ),
            "pain": sorted([p.region_id.id, p.pain] for p in intake.pain_ids),
            "medications": sorted(intake.medication_ids.ids),
            "signature": hashlib.sha256(
                intake.with_context(bin_size=False).signature or b""
            ).hexdigest(),
        }
        payload = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        return f"${version}${digest}" if version >= 2 else digest

    def _reviewer(self):
        """Who reviews a submitted intake: the therapist of the patient's next session, else
        the one who sent it."""
        self.ensure_one()
        next_session = (
            self.env["clinic.session"]
            .sudo()
            .search(
                [
                    ("patient_id", "=", self.patient_id.id),
                    ("state", "in", ("draft", "confirmed")),
                    ("start", ">=", fields.Datetime.now()),
                ],
                order="start",
                limit=1,
            )
        )
        return next_session.therapist_id.user_id or self.sudo().create_uid

    def _supersede_previous(self):
        """This intake screens the patient from now on: the earlier ones stay readable."""
        for intake in self:
            previous = self.sudo().search(
                [
                    ("patient_id", "=", intake.patient_id.id),
                    ("id", "!=", intake.id),
                    ("state", "in", SUBMITTED),
                    ("superseded_by_id", "=", False),
                    ("date_submitted", "<=", intake.date_submitted or fields.Datetime.now()),
                ]
            )
            previous._workflow_write({"superseded_by_id": intake.id})

    def action_review(self):
        """A therapist read the answers. An intake that relaxes the screening applies now."""
        self._workflow_write(
            {
                "state": "reviewed",
                "reviewed_by_id": self.env.uid,
                "date_reviewed": fields.Datetime.now(),
            }
        )
        self.sudo().filtered("relaxes_screening").filtered(
            lambda i: not i.superseded_by_id
        )._supersede_previous()
        self._clinic_reminded(REVIEW_INTAKE)
        return True

    def action_new_intake(self):
        """Start the patient's next intake (after a change of health or at renewal)."""
        self.ensure_one()
        new = self.create({"patient_id": self.patient_id.id})
        return new._get_records_action()

    def _check_complete(self):
        """The one completeness rule of a submission, for the portal and the back office:
        every health question answered yes or no (unanswered is not "no"), consent, signature,
        signer, and the details the answers ask for."""
        self.ensure_one()
        intake = self.sudo()
        if intake.state in SUBMITTED:
            raise UserError(
                self.env._(
                    "Intake %(name)s was already submitted; it cannot be submitted again.",
                    name=intake.display_name,
                )
            )
        missing = []
        unanswered = intake.answer_ids.filtered(lambda answer: not answer.answer)
        if unanswered:
            missing.append(
                self.env._(
                    "answer yes or no to every health question (%(count)s unanswered, e.g. "
                    "%(question)s)",
                    count=len(unanswered),
                    question=unanswered[0].question,
                )
            )
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
        triggered = intake.answer_ids.filtered(lambda a: a.answer == "yes").contraindication_id
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
        clearances = intake.patient_id.clearance_ids.filtered(lambda c: c.state == "active")
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
