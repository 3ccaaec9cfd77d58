import hashlib
import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .clinic_contraindication import PRESSURE_LEVELS, PRESSURE_RANK
from .clinic_cron import single_run
from .clinic_workflow import THERAPIST, check_access_first, selection_label

SIDES = [
    ("left", "Left"),
    ("right", "Right"),
    ("bilateral", "Bilateral"),
    ("midline", "Midline"),
]
TECHNIQUES = [
    ("pressure_release", "Pressure-release cycles / ischemic compression"),
    ("myofascial_release", "Myofascial release"),
    ("deep_stroking", "Deep stroking"),
    ("stretching", "Stretching"),
    ("tool_assisted", "Tool-assisted"),
]
# What a signature covers: these columns are hashed at signing. From then on the whole note, its
# lines and home-care items are frozen (clinic.frozen.mixin), by the ORM (a readable message)
# and by database triggers (also against sudo and raw SQL).
NOTE_CONTENT = (
    "session_id",
    "patient_id",
    "therapist_id",
    "date",
    "subjective",
    "objective",
    "assessment",
    "treatment_plan",
)
LINE_CONTENT = (
    "note_id",
    "sequence",
    "region_id",
    "side",
    "trigger_point",
    "referral_noted",
    "technique",
    "pressure",
    "minutes",
    "pain_before",
    "pain_after",
    "ppt_measured",
    "ppt",
)
HOMECARE_CONTENT = (
    "note_id",
    "sequence",
    "region_id",
    "kind",
    "instructions",
    "times_per_day",
    "minutes",
)
SIGNATURE = ("state", "signed_by_id", "date_signed", "content_hash")
SIGNED = "state = 'signed'"
# The recipe of the content hash. 1: the lines carried their region's display name, so renaming
# a region changed the hash of every note treating it. 2: identifiers only (ids, codes,
# selection keys), written "$2$<sha256>" (Odoo's account.move keeps hash_version the same way).
# A hash without the prefix is checked with the recipe of version 1.
HASH_VERSION = 2
# Minimal clinically important difference on the 0-10 pain scale (Cleland 2008: 1.3-2 points).
PAIN_MCID = 2
# The to-do's activity type (data/clinic_activity_data.xml).
SIGN_NOTE = "trigger_point_clinic.mail_activity_type_sign_note"
# Hand-held algometers read up to 10-20 kg/cm²: a larger PPT is a typing mistake.
PPT_MAX = 20.0


def _values(record, names):
    """The values of ``record`` for ``names``, as plain data (ids for relations)."""
    return [
        record[name].id if isinstance(record[name], models.BaseModel) else record[name]
        for name in names
    ]


def _by_sequence(record):
    return (record.sequence, record.id)


def hash_version(digest):
    """The recipe a content hash was made with: "$<version>$<sha256>", or 1 without prefix."""
    if digest and digest.startswith("$"):
        return int(digest.split("$")[1])
    return 1


class ClinicTreatmentNote(models.Model):
    """The treatment note of one session: SOAP text, what was treated where (the lines), and
    the patient's home-care plan. Signed by the therapist, it is locked for good; corrections
    are amendments added under it."""

    _name = "clinic.treatment.note"
    _description = "Treatment Note"
    _inherit = [
        "clinic.workflow.mixin",
        "clinic.frozen.mixin",
        "clinic.audited.mixin",
        "clinic.reminder.mixin",
        "mail.thread",
    ]
    _order = "date desc, id desc"
    # Signed, nothing of the note changes: corrections are amendments (their own records).
    _frozen_domain = [("state", "=", "signed")]
    _frozen_sql = SIGNED
    _frozen_allowed = ()
    _rec_name = "session_id"
    _check_company_auto = True
    _workflow_fields = SIGNATURE
    _workflow_transitions = {("draft", "signed"): THERAPIST}

    session_id = fields.Many2one(
        comodel_name="clinic.session",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    patient_id = fields.Many2one(
        related="session_id.patient_id", store=True, index=True, string="Patient"
    )
    therapist_id = fields.Many2one(
        related="session_id.therapist_id", store=True, index=True, string="Therapist"
    )
    date = fields.Datetime(related="session_id.start", store=True, string="Session Date")
    company_id = fields.Many2one(related="session_id.company_id", store=True)
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed")],
        default="draft",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    subjective = fields.Html(help="What the patient reports: pain, history since last session.")
    objective = fields.Html(help="What the therapist finds: palpation, range of motion, posture.")
    assessment = fields.Html(help="The therapist's reading of the findings.")
    treatment_plan = fields.Html(string="Plan", help="Next steps: frequency, focus, referrals.")
    line_ids = fields.One2many(
        comodel_name="clinic.treatment.note.line",
        inverse_name="note_id",
        string="Treated Regions",
        copy=True,
    )
    homecare_ids = fields.One2many(
        comodel_name="clinic.homecare.item",
        inverse_name="note_id",
        string="Home-care Plan",
        copy=True,
    )
    amendment_ids = fields.One2many(
        comodel_name="clinic.treatment.note.amendment", inverse_name="note_id", string="Amendments"
    )
    signed_by_id = fields.Many2one(comodel_name="res.users", readonly=True, copy=False)
    date_signed = fields.Datetime(readonly=True, copy=False)
    content_hash = fields.Char(
        readonly=True, copy=False, help="SHA-256 of the note's content at signing."
    )
    hash_verified = fields.Boolean(
        compute="_compute_hash_verified",
        help="The content still matches the hash taken at signing.",
    )
    excluded_region_ids = fields.Many2many(
        comodel_name="clinic.body.region",
        compute="_compute_screening",
        string="Regions and Muscles to Avoid",
    )
    avoid_region_ids = fields.Many2many(
        comodel_name="clinic.body.region",
        compute="_compute_screening",
        string="Regions to Avoid",
        help="The regions the screening excludes, a region standing for its muscles.",
    )
    can_sign = fields.Boolean(
        compute="_compute_can_sign", help="The current user is the one who signs this note."
    )
    screening_precautions = fields.Text(compute="_compute_screening", string="Precautions")
    max_pressure = fields.Selection(
        PRESSURE_LEVELS, compute="_compute_screening", string="Maximum Pressure"
    )
    total_minutes = fields.Integer(compute="_compute_total_minutes")
    template_id = fields.Many2one(
        comodel_name="clinic.treatment.note.template",
        readonly=True,
        help="The template of the session's service the note started from.",
    )
    body_chart = fields.Json(
        compute="_compute_body_chart",
        help="The body diagram of the note's form: every region and muscle of the catalogue, "
        "and those the screening excludes.",
    )
    previous_note_id = fields.Many2one(
        comodel_name="clinic.treatment.note",
        compute="_compute_previous_note_id",
        help="The patient's latest earlier note the current user may read: what Copy Previous "
        "Note copies.",
    )

    _session_uniq = models.Constraint(
        "UNIQUE(session_id)", "A session has one treatment note; open the existing one."
    )

    @api.depends(
        "state",
        "content_hash",
        "patient_id",
        "therapist_id",
        "date",
        "signed_by_id",
        "date_signed",
        "line_ids",
        "homecare_ids",
    )
    def _compute_hash_verified(self):
        Seal = self.env["clinic.record.seal"].sudo()
        for note in self:
            verified = bool(
                note.state == "signed"
                and note.content_hash
                == note._content_digest(
                    note.signed_by_id, note.date_signed, hash_version(note.content_hash)
                )
            )
            if not verified and note.state == "signed" and hash_version(note.content_hash) == 1:
                # Signed with the first recipe: sealed again with the current one on upgrade
                # (clinic.record.seal._reseal_version_1), the content still matches that seal.
                newest = Seal.search(
                    [("res_model", "=", note._name), ("res_id", "=", note.id)],
                    order="id desc",
                    limit=1,
                )
                version = hash_version(newest.content_hash)
                verified = bool(
                    version >= 2 and newest.content_hash == note._clinic_seal_digest(version)
                )
            note.hash_verified = verified

    @api.depends("session_id.start", "patient_id.current_intake_id")
    def _compute_screening(self):
        for note in self:
            result = note._screening()
            note.excluded_region_ids = result["excluded_regions"]
            note.avoid_region_ids = result["excluded_regions"]._without_own_muscles()
            note.screening_precautions = "\n".join(result["precautions"])
            note.max_pressure = result["max_pressure"]

    @api.depends_context("uid")
    @api.depends("state", "session_id.therapist_id.user_id")
    def _compute_can_sign(self):
        for note in self:
            note.can_sign = note.state == "draft" and note._is_signer()

    @api.depends("session_id.start", "patient_id.current_intake_id")
    def _compute_body_chart(self):
        regions = self.env["clinic.body.region"].search([])
        drawing = self.env["clinic.body.region"]._body_map(regions)
        unmapped = [{"id": r.id, "name": r.display_name} for r in drawing.pop("unmapped")]
        for note in self:
            note.body_chart = dict(
                drawing, unmapped=unmapped, excluded=note.excluded_region_ids.ids
            )

    @api.depends_context("uid")
    @api.depends("patient_id", "date")
    def _compute_previous_note_id(self):
        for note in self:
            note.previous_note_id = note._previous_note()

    @api.depends("line_ids.minutes")
    def _compute_total_minutes(self):
        for note in self:
            note.total_minutes = sum(note.line_ids.mapped("minutes"))

    @api.constrains("session_id")
    def _check_session(self):
        for note in self:
            if note.session_id.state in ("cancelled", "no_show"):
                raise ValidationError(
                    self.env._(
                        "Session %(session)s is %(state)s: there was no treatment to chart. "
                        "Book the session again before writing its note.",
                        session=note.session_id.display_name,
                        state=selection_label(note.session_id, "state", note.session_id.state),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_access_first(self, "create")
        sessions = self.env["clinic.session"].browse(
            [vals["session_id"] for vals in vals_list if vals.get("session_id")]
        )
        taken = self.sudo().search([("session_id", "in", sessions.ids)])
        if taken:
            raise ValidationError(
                self.env._(
                    "Session %(session)s already has a treatment note; open it instead of "
                    "writing a second one.",
                    session=taken[0].session_id.display_name,
                )
            )
        Template = self.env["clinic.treatment.note.template"]
        for vals in vals_list:
            if not vals.get("session_id"):
                continue
            session = self.env["clinic.session"].browse(vals["session_id"])
            template = Template.search([("product_id", "=", session.product_id.id)], limit=1)
            if "line_ids" not in vals:
                vals["line_ids"] = self._lines_from_pain_map(session)
            if template:
                vals.update(template._note_values(vals), template_id=template.id)
        return super().create(vals_list)

    def _frozen_refuse(self, names):
        self._check_unsigned(names)
        return super()._frozen_refuse(names)

    # ------------------------------------------------------------------ actions

    def action_sign(self):
        """The session's therapist signs the note: who, when and a hash of its content; from
        then on it is locked."""
        for note in self:
            note._check_unsigned({"sign"})
            therapist_user = note.session_id.therapist_id.user_id
            if not self.env.su and not note._is_signer():
                raise UserError(
                    self.env._(
                        "Only %(therapist)s, the session's therapist, can sign this note.",
                        therapist=note.session_id.therapist_id.name,
                    )
                )
            if note.session_id.state not in ("in_progress", "done"):
                raise UserError(
                    self.env._(
                        "Session %(session)s has not taken place yet: sign its note once the "
                        "session is in progress or done.",
                        session=note.session_id.display_name,
                    )
                )
            if not note.line_ids:
                raise UserError(
                    self.env._(
                        "Add at least one treated region to the note before signing it.",
                    )
                )
            unfinished = note.line_ids.filtered(lambda line: not line.technique)
            if unfinished:
                raise UserError(
                    self.env._(
                        "Set the Technique on %(region)s before signing the note.",
                        region=unfinished[0].region_id.display_name,
                    )
                )
            # Pending edits of the content reach the database before the lock does.
            self.env.flush_all()
            signer = therapist_user if self.env.su else self.env.user
            date_signed = fields.Datetime.now()
            note._workflow_write(
                {
                    "state": "signed",
                    "signed_by_id": signer.id,
                    "date_signed": date_signed,
                    "content_hash": note._content_digest(
                        signer, date_signed, self.env["clinic.record.seal"]._clinic_hash_version()
                    ),
                }
            )
            self.env["clinic.record.seal"]._seal(note)
            note._clinic_reminded(SIGN_NOTE)
            note.session_id._clinic_reminded(SIGN_NOTE)
        return True

    @api.model
    @single_run
    def _cron_remind_unsigned(self):
        """Daily: the therapist of a session that ended more than a day ago without a signed
        note gets a to-do on the note (written or not yet)."""
        ended = fields.Datetime.now() - timedelta(days=1)
        sessions = self.env["clinic.session"].search(
            [
                ("state", "in", ("in_progress", "done")),
                ("stop", "<", ended),
                ("treatment_note_state", "!=", "signed"),
            ]
        )
        for session in sessions:
            target = session.treatment_note_ids[:1] or session
            target._clinic_remind(
                session.therapist_id.user_id,
                SIGN_NOTE,
                self.env._("Write and sign the treatment note of this session."),
            )
        return sessions

    def action_add_amendment(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Amend Note"),
            "res_model": "clinic.treatment.note.amendment",
            "view_mode": "form",
            "target": "new",
            "context": {"default_note_id": self.id},
        }

    def action_copy_previous_note(self):
        """Copy forward: the regions, sides, trigger points, techniques, pressures and minutes
        of the patient's previous note, and its home-care plan, replace this draft's. Pain
        scores and PPT stay empty (they are measured today); regions the screening now
        excludes are left out, and a pressure above today's cap comes down to it."""
        self.ensure_one()
        check_access_first(self, "write")
        self._check_unsigned({"line_ids", "homecare_ids"})
        previous = self._previous_note()
        if not previous:
            raise UserError(
                self.env._(
                    "%(patient)s has no earlier treatment note you may read: chart the regions "
                    "on the body chart instead.",
                    patient=self.patient_id.name,
                )
            )
        excluded = self.excluded_region_ids
        allowed = self._allowed_pressures()
        lines = [fields.Command.clear()]
        for line in previous.line_ids.sorted(_by_sequence):
            if line.region_id in excluded:
                continue
            lines.append(
                fields.Command.create(
                    {
                        "sequence": line.sequence,
                        "region_id": line.region_id.id,
                        "side": line.side,
                        "trigger_point": line.trigger_point,
                        "referral_noted": line.referral_noted,
                        "technique": line.technique,
                        "pressure": line.pressure if line.pressure in allowed else allowed[-1],
                        "minutes": line.minutes,
                    }
                )
            )
        homecare = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "sequence": item.sequence,
                    "region_id": item.region_id.id,
                    "kind": item.kind,
                    "instructions": item.instructions,
                    "times_per_day": item.times_per_day,
                    "minutes": item.minutes,
                }
            )
            for item in previous.homecare_ids.sorted(_by_sequence)
            if item.region_id not in excluded
        ]
        self.write({"line_ids": lines, "homecare_ids": homecare})
        return True

    def action_print_note(self):
        self.ensure_one()
        if self.state != "signed":
            raise UserError(self.env._("Sign the note before printing it."))
        return self.env.ref("trigger_point_clinic.action_report_treatment_note").report_action(
            self, config=False
        )

    def action_print_homecare(self):
        self.ensure_one()
        if not self.homecare_ids:
            raise UserError(self.env._("Add home-care items to the note before printing them."))
        return self.env.ref("trigger_point_clinic.action_report_homecare_sheet").report_action(
            self, config=False
        )

    # ------------------------------------------------------------------ business

    def _is_signer(self):
        """Who signs a note: the session's therapist, nobody else (not even a manager)."""
        self.ensure_one()
        return self.env.user == self.session_id.therapist_id.user_id

    def _check_unsigned(self, what):
        """Refuse ``what`` (field names or operations) on the signed notes of ``self``."""
        if not what:
            return
        signed = self.filtered(lambda note: note.state == "signed")
        if signed:
            raise UserError(
                self.env._(
                    "The treatment note of %(session)s was signed by %(signer)s on %(date)s and "
                    "can no longer change (%(what)s). Add an amendment to correct it.",
                    what=self._frozen_labels(sorted(what)),
                    session=signed[0].session_id.display_name,
                    signer=signed[0].signed_by_id.name,
                    date=signed[0]
                    .company_id._clinic_local_datetime(signed[0].date_signed)
                    .strftime("%Y-%m-%d %H:%M"),
                )
            )

    def _previous_note(self):
        """The patient's latest note before this one that the current user may read."""
        self.ensure_one()
        if not self.patient_id:
            return self.browse()
        domain = [("patient_id", "=", self.patient_id.id), ("id", "!=", self._origin.id or 0)]
        if self.date:
            domain.append(("date", "<", self.date))
        return self.search(domain, order="date desc, id desc", limit=1)

    def _allowed_pressures(self):
        """The pressures the screening allows on the session's day, lightest first: the
        choices the form offers (the cap itself is enforced by the line's constraint)."""
        self.ensure_one()
        cap = self._screening()["max_pressure"] if self.session_id else False
        return [
            level
            for level, _label in PRESSURE_LEVELS
            if not cap or PRESSURE_RANK[level] <= PRESSURE_RANK[cap]
        ]

    def _screening(self):
        """The patient's screening on the session's day: the one rule of the intake."""
        self.ensure_one()
        session = self.session_id
        day = fields.Date.context_today(self)
        if session.start:
            day = session.company_id._clinic_local_date(session.start)
        return session.patient_id.sudo().current_intake_id._screen(day)

    @api.model
    def _lines_from_pain_map(self, session):
        """Quick entry: one line per region of the patient's intake pain map, worst first,
        with the pain reported there as the NRS before; regions the screening excludes are
        left out, and the pressure starts within what the screening allows."""
        intake = session.patient_id.sudo().current_intake_id
        if not intake:
            return []
        screening = intake._screen(fields.Date.context_today(self))
        cap = screening["max_pressure"]
        pressure = "moderate"
        if cap and PRESSURE_RANK[cap] < PRESSURE_RANK[pressure]:
            pressure = cap
        return [
            fields.Command.create(
                {
                    "region_id": pain.region_id.id,
                    "pain_before": pain.pain,
                    "pressure": pressure,
                    "sequence": sequence,
                }
            )
            for sequence, pain in enumerate(intake.pain_ids.sorted("pain", reverse=True))
            if pain.region_id not in screening["excluded_regions"]
        ]

    def _clinic_seal_digest(self, version=HASH_VERSION):
        """What the chain of clinical records seals: the content as signed."""
        return self._content_digest(self.signed_by_id, self.date_signed, version)

    def _content_digest(self, signer, date_signed, version=HASH_VERSION):
        """SHA-256 of what the signature covers: who was treated, when and by whom, who signed
        and when, the SOAP text, the lines and the home-care plan, in a canonical form.
        Version 2 (``$2$`` prefix): identifiers only, so renaming a region or muscle in the
        catalogue changes no hash; version 1 also carried each region's display name."""
        self.ensure_one()
        if version >= 2:
            content = {
                "note": _values(self, NOTE_CONTENT),
                "signed_by": signer.id,
                "date_signed": fields.Datetime.to_string(date_signed),
                "lines": [
                    _values(line, LINE_CONTENT) for line in self.line_ids.sorted(_by_sequence)
                ],
                "homecare": [
                    _values(item, HOMECARE_CONTENT)
                    for item in self.homecare_ids.sorted(_by_sequence)
                ],
            }
            payload = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
            return f"${version}${hashlib.sha256(payload.encode()).hexdigest()}"
        content = {
            "note": _values(self, NOTE_CONTENT),
            "signed_by": signer.id,
            "date_signed": fields.Datetime.to_string(date_signed),
            "lines": [
                [*_values(line, LINE_CONTENT), line.region_id.display_name]
                for line in self.line_ids.sorted(_by_sequence)
            ],
            "homecare": [
                [*_values(item, HOMECARE_CONTENT), item.region_id.display_name]
                for item in self.homecare_ids.sorted(_by_sequence)
            ],
        }
        payload = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()
