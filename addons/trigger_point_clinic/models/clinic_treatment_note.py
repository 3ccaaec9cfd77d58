"""The treatment note of a session: what it holds and when it may change. Beside it: its
signature and hash (``clinic_treatment_note_signature.py``) and its charting (the screening's
limits, the body chart, Copy Previous Note: ``clinic_treatment_note_charting.py``)."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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
SIGNATURE = ("state", "signed_by_id", "date_signed", "content_hash")
SIGNED = "state = 'signed'"
# The recipe of the content hash. 1: the lines carried their region's display name, so renaming
# a region changed the hash of every note treating it. 2: identifiers only (ids, codes,
# selection keys), written "$2$<sha256>" (Odoo's account.move keeps hash_version the same way).
# A hash without the prefix is checked with the recipe of version 1.
HASH_VERSION = 2
# Minimal clinically important difference on the 0-10 pain scale (Cleland 2008: 1.3-2 points).
PAIN_MCID = 2
# Hand-held algometers read up to 10-20 kg/cm²: a larger PPT is a typing mistake.
PPT_MAX = 20.0


def by_sequence(record):
    """A note's lines and home-care items in the order the therapist gave them."""
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
    can_sign = fields.Boolean(
        compute="_compute_can_sign", help="The current user is the one who signs this note."
    )
    total_minutes = fields.Integer(compute="_compute_total_minutes")
    template_id = fields.Many2one(
        comodel_name="clinic.treatment.note.template",
        readonly=True,
        help="The template of the session's service the note started from.",
    )

    _session_uniq = models.Constraint(
        "UNIQUE(session_id)", "A session has one treatment note; open the existing one."
    )

    @api.depends_context("uid")
    @api.depends("state", "session_id.therapist_id.user_id")
    def _compute_can_sign(self):
        for note in self:
            note.can_sign = note.state == "draft" and note._is_signer()

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
