"""A patient's health intake: what it holds, its versions, and what freezes once it is
submitted. Its link and e-mail (``clinic_intake_send.py``), its submission and review
(``clinic_intake_submission.py``) and the screening it gives (``clinic_intake_screening.py``)
live beside it."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .clinic_dates import check_date
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

    @api.depends("patient_id.name", "version")
    def _compute_display_name(self):
        for intake in self:
            intake.display_name = self.env._(
                "%(patient)s, intake %(version)s",
                patient=intake.patient_id.name or "",
                version=intake.version or "",
            )

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
