from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .clinic_contraindication import PRESSURE_LEVELS, PRESSURE_RANK
from .clinic_treatment_note import PPT_MAX, SIDES, TECHNIQUES


class NrsScore(fields.Integer):
    """A pain score that is *not entered* (NULL, shown empty) until the therapist enters one,
    distinct from 0 (no pain): an NRS after treatment that nobody asked is not a full relief.
    Averages (the Outcomes report, SQL ``AVG``) leave the scores not entered out."""

    falsy_value = None

    def convert_to_column(self, value, record, values=None, validate=True):
        return None if value is None or value is False else int(value)

    def convert_to_cache(self, value, record, validate=True):
        return None if value is None or value is False else int(value)

    def convert_to_record(self, value, record):
        return False if value is None else value

    def convert_to_read(self, value, record, use_display_name=True):
        return False if value is None or value is False else value


class ClinicTreatmentNoteLine(models.Model):
    """One treated region or muscle: where, which trigger point, how, and the pain on the
    0-10 scale before and after."""

    _name = "clinic.treatment.note.line"
    _inherit = ["clinic.treatment.note.part"]
    _description = "Treatment Note Line"
    # Stored copies of the note's columns (for the Outcomes report): they follow the note, and
    # once it is signed they may only equal the note's.
    _frozen_mirrored = {"patient_id": "patient_id", "date": "date", "note_state": "state"}

    patient_id = fields.Many2one(related="note_id.patient_id", store=True, index=True)
    date = fields.Datetime(related="note_id.date", store=True)
    note_state = fields.Selection(related="note_id.state", store=True, string="Note Status")
    region_id = fields.Many2one(
        comodel_name="clinic.body.region", string="Region or Muscle", required=True
    )
    top_region_id = fields.Many2one(
        comodel_name="clinic.body.region",
        compute="_compute_top_region_id",
        store=True,
        string="Body Region",
    )
    side = fields.Selection(SIDES, default="bilateral", required=True)
    trigger_point = fields.Selection([("active", "Active"), ("latent", "Latent")])
    referral_noted = fields.Boolean(help="The patient felt the pain refer when pressed.")
    technique = fields.Selection(TECHNIQUES)
    pressure = fields.Selection(PRESSURE_LEVELS, default="moderate", required=True)
    allowed_pressures = fields.Json(
        compute="_compute_allowed_pressures",
        help="The pressures the patient's screening allows on the session's day: the only ones "
        "the note's form offers.",
    )
    minutes = fields.Integer()
    pain_before = NrsScore(string="NRS Before", aggregator="avg")
    pain_after = NrsScore(
        string="NRS After", aggregator="avg", help="Empty until entered: never the NRS before."
    )
    pain_relief = NrsScore(
        compute="_compute_pain_relief",
        store=True,
        string="NRS Relief",
        aggregator="avg",
        help="NRS before minus NRS after: how many points the session took off the pain.",
    )
    ppt_measured = fields.Boolean(
        string="PPT Measured",
        compute="_compute_ppt_measured",
        store=True,
        readonly=False,
        help="A pressure pain threshold was measured with an algometer.",
    )
    ppt = fields.Float(
        string="PPT (kg/cm²)",
        digits=(4, 2),
        aggregator="avg",
        help="Pressure pain threshold measured with a 1 cm² algometer tip.",
    )

    # The body region as charted: a frozen line does not follow a later change of the catalogue.
    @api.depends("region_id")
    def _compute_top_region_id(self):
        for line in self:
            line.top_region_id = line.region_id.parent_id or line.region_id

    @api.depends("pain_before", "pain_after")
    def _compute_pain_relief(self):
        for line in self:
            entered = line.pain_before is not False and line.pain_after is not False
            line.pain_relief = line.pain_before - line.pain_after if entered else False

    @api.depends("note_id.session_id.start", "note_id.patient_id")
    def _compute_allowed_pressures(self):
        for note in self.note_id:
            allowed = note._allowed_pressures()
            for line in self.filtered(lambda line, note=note: line.note_id == note):
                line.allowed_pressures = allowed
        for line in self.filtered(lambda line: not line.note_id):
            line.allowed_pressures = [level for level, _label in PRESSURE_LEVELS]

    @api.onchange("region_id")
    def _onchange_region_from_template(self):
        """A region charted on the form starts as the note's template says, as the regions the
        note started with did (``clinic.treatment.note.template._line_values``)."""
        template = self.note_id.template_id
        if template and self.region_id and not self.technique:
            values = {name: self[name] for name in ("technique", "minutes", "pressure")}
            self.update(template._line_values(values))

    @api.onchange("region_id")
    def _onchange_region_within_cap(self):
        """A line added on the form starts at a pressure the screening allows."""
        allowed = self.note_id._allowed_pressures() if self.note_id else []
        if allowed and self.pressure not in allowed:
            self.pressure = allowed[-1]

    @api.depends("ppt")
    def _compute_ppt_measured(self):
        for line in self:
            line.ppt_measured = line.ppt_measured or bool(line.ppt)

    @api.constrains("pain_before", "pain_after", "minutes", "ppt", "ppt_measured")
    def _check_measures(self):
        for line in self:
            region = line.region_id.display_name
            for label, score in (
                (self.env._("NRS Before"), line.pain_before),
                (self.env._("NRS After"), line.pain_after),
            ):
                if score is not False and not 0 <= score <= 10:
                    raise ValidationError(
                        self.env._(
                            "%(field)s on %(region)s is %(score)s: pain is a whole number from "
                            "0 (none) to 10 (worst imaginable).",
                            field=label,
                            region=region,
                            score=score,
                        )
                    )
            if line.minutes < 0:
                raise ValidationError(
                    self.env._(
                        "Minutes on %(region)s is %(minutes)s: enter the time spent, 0 or more.",
                        region=region,
                        minutes=line.minutes,
                    )
                )
            if line.ppt > PPT_MAX:
                raise ValidationError(
                    self.env._(
                        "PPT on %(region)s is %(ppt)s kg/cm²: an algometer reads up to "
                        "%(max)s. Correct the value.",
                        region=region,
                        ppt=line.ppt,
                        max=PPT_MAX,
                    )
                )
            if line.ppt_measured and line.ppt <= 0:
                raise ValidationError(
                    self.env._(
                        "PPT on %(region)s is %(ppt)s kg/cm²: a measured pressure pain threshold "
                        "is above 0. Correct it, or untick PPT Measured.",
                        region=region,
                        ppt=line.ppt,
                    )
                )

    @api.constrains("minutes", "note_id")
    def _check_minutes_within_session(self):
        """The regions treated fit in the session: their minutes add up to its length at most."""
        for note in self.note_id:
            length = round(note.session_id.duration * 60)
            total = sum(note.line_ids.mapped("minutes"))
            if total > length:
                raise ValidationError(
                    self.env._(
                        "The treated regions add up to %(total)s minutes, more than the "
                        "%(length)s minutes of the session: correct the Minutes.",
                        total=total,
                        length=length,
                    )
                )

    @api.constrains("region_id", "pressure", "note_id")
    def _check_screening(self):
        """A line respects the patient's screening on the session's day: no region excluded
        by a local contraindication, no pressure above what a precaution allows."""
        for note in self.note_id:
            result = note._screening()
            lines = self.filtered(lambda line, note=note: line.note_id == note)
            for line in lines:
                if line.region_id in result["excluded_regions"]:
                    reasons = result["contraindications"].filtered(
                        lambda c, line=line: (
                            c.kind == "local" and line.region_id in c.region_ids._with_muscles()
                        )
                    )
                    raise ValidationError(
                        self.env._(
                            "%(region)s must not be treated for %(patient)s: %(reason)s. Chart "
                            "another region.",
                            region=line.region_id.display_name,
                            patient=note.patient_id.name,
                            reason="; ".join(c._reason_line() for c in reasons),
                        )
                    )
                cap = result["max_pressure"]
                if cap and PRESSURE_RANK[line.pressure] > PRESSURE_RANK[cap]:
                    reasons = result["contraindications"].filtered(
                        lambda c, cap=cap: c.max_pressure == cap
                    )
                    raise ValidationError(
                        self.env._(
                            "%(pressure)s pressure on %(region)s is above what %(patient)s may "
                            "receive (%(cap)s at most): %(reason)s.",
                            pressure=dict(PRESSURE_LEVELS)[line.pressure],
                            region=line.region_id.display_name,
                            patient=note.patient_id.name,
                            cap=dict(PRESSURE_LEVELS)[cap].lower(),
                            reason="; ".join(c.name for c in reasons),
                        )
                    )
