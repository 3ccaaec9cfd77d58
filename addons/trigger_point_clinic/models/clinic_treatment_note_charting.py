"""Charting a treatment note: what the screening of the session's day allows (regions to
avoid, the pressure cap), the body chart, the quick entry from the intake's pain map and Copy
Previous Note."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_contraindication import PRESSURE_LEVELS, PRESSURE_RANK
from .clinic_treatment_note import by_sequence
from .clinic_workflow import check_access_first


class ClinicTreatmentNote(models.Model):
    _inherit = "clinic.treatment.note"

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
    screening_precautions = fields.Text(compute="_compute_screening", string="Precautions")
    max_pressure = fields.Selection(
        PRESSURE_LEVELS, compute="_compute_screening", string="Maximum Pressure"
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

    @api.depends("session_id.start", "patient_id.current_intake_id")
    def _compute_screening(self):
        for note in self:
            result = note._screening()
            note.excluded_region_ids = result["excluded_regions"]
            note.avoid_region_ids = result["excluded_regions"]._without_own_muscles()
            note.screening_precautions = "\n".join(result["precautions"])
            note.max_pressure = result["max_pressure"]

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

    # ------------------------------------------------------------------ actions

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
        for line in previous.line_ids.sorted(by_sequence):
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
            for item in previous.homecare_ids.sorted(by_sequence)
            if item.region_id not in excluded
        ]
        self.write({"line_ids": lines, "homecare_ids": homecare})
        return True

    # ------------------------------------------------------------------ business

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
