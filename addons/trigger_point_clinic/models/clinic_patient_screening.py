from odoo import api, fields, models

from .clinic_contraindication import PRESSURE_LEVELS
from .clinic_cron import single_run
from .clinic_intake import SCREENING_VERDICTS

# What the front desk may know of a screening: its consequence for booking, nothing clinical.
BOOKING_STATUSES = [
    ("bookable", "Can be booked"),
    ("intake_needed", "Intake needed"),
    ("ask_therapist", "Ask a therapist"),
]
BOOKING_STATUS_OF_VERDICT = {
    "missing": "intake_needed",
    "expired": "intake_needed",
    "do_not_treat": "ask_therapist",
    "clearance_required": "ask_therapist",
    "cleared_with_precautions": "bookable",
    "clear": "bookable",
}


class ClinicPatientScreening(models.Model):
    """A patient's current screening: the verdict of their current intake and clearances, what
    applies and what to avoid. Clinical content, in a model of its own: a role without the
    access right on this model (the front desk) reaches none of it, by any read, search or
    grouping; the patient carries only the consequence for booking (``booking_status``)."""

    _name = "clinic.patient.screening"
    _description = "Patient Screening"
    _inherit = ["clinic.patient.record", "clinic.workflow.mixin", "clinic.audited.mixin"]
    _rec_name = "patient_id"
    _order = "patient_id"
    _workflow_fields = ("patient_id",)
    # Read with the patient's form, it is part of the patient's entry in the access log.
    _clinic_audit_parent = "patient_id"

    verdict = fields.Selection(
        SCREENING_VERDICTS,
        compute="_compute_screening",
        store=True,
        string="Screening",
        help="Whether the patient may be treated today, from the current intake and clearances.",
    )
    intake_id = fields.Many2one(
        comodel_name="clinic.intake",
        compute="_compute_screening",
        store=True,
        string="Screened Intake",
        help="The intake this screening applies.",
    )
    pending_intake_id = fields.Many2one(
        comodel_name="clinic.intake",
        compute="_compute_screening",
        store=True,
        string="Intake Awaiting Review",
        help="A newer intake that would make the screening less strict: it applies once a "
        "therapist has reviewed it.",
    )
    reasons = fields.Text(compute="_compute_screening", store=True)
    contraindication_ids = fields.Many2many(
        comodel_name="clinic.contraindication",
        relation="clinic_screening_contraindication_rel",
        compute="_compute_screening",
        store=True,
        string="Contraindications",
    )
    excluded_region_ids = fields.Many2many(
        comodel_name="clinic.body.region",
        relation="clinic_screening_region_rel",
        compute="_compute_screening",
        store=True,
        string="Regions and Muscles to Avoid",
    )
    avoid_region_ids = fields.Many2many(
        comodel_name="clinic.body.region",
        compute="_compute_avoid_region_ids",
        string="Regions to Avoid",
        help="The regions and muscles the screening excludes, a region standing for its muscles.",
    )
    precautions = fields.Text(compute="_compute_screening", store=True)
    max_pressure = fields.Selection(
        PRESSURE_LEVELS, compute="_compute_screening", store=True, string="Maximum Pressure"
    )
    review_date = fields.Date(
        compute="_compute_screening",
        store=True,
        index=True,
        help="The screening is re-run by the daily check on this date (an intake or clearance "
        "expires, or a clearance starts).",
    )

    _patient_uniq = models.Constraint("UNIQUE(patient_id)", "A patient has one screening.")

    @api.depends(
        "patient_id.current_intake_id",
        "patient_id.pending_intake_id",
        "patient_id.current_intake_id.answer_ids.answer",
        "patient_id.current_intake_id.medication_ids",
        "patient_id.current_intake_id.recent_surgery",
        "patient_id.current_intake_id.pregnant",
        "patient_id.current_intake_id.pregnancy_trimester",
        "patient_id.current_intake_id.date_submitted",
        "patient_id.clearance_ids.state",
        "patient_id.clearance_ids.date_issued",
        "patient_id.clearance_ids.date_expiry",
        "patient_id.clearance_ids.contraindication_ids",
        "patient_id.company_id.clinic_intake_validity_months",
    )
    def _compute_screening(self):
        today = fields.Date.context_today(self)
        for screening in self:
            patient = screening.patient_id.sudo()
            result = patient.current_intake_id._screen(today)
            screening.intake_id = patient.current_intake_id
            screening.pending_intake_id = patient.pending_intake_id
            screening.verdict = result["verdict"]
            screening.reasons = "\n".join(result["reasons"])
            screening.contraindication_ids = result["contraindications"]
            screening.excluded_region_ids = result["excluded_regions"]
            screening.precautions = "\n".join(result["precautions"])
            screening.max_pressure = result["max_pressure"]
            screening.review_date = result["review_date"]

    @api.depends("excluded_region_ids")
    def _compute_avoid_region_ids(self):
        for screening in self:
            screening.avoid_region_ids = screening.excluded_region_ids._without_own_muscles()

    @api.private
    def _ensure_for(self, patients):
        """The screenings of ``patients``, made for those that have none yet."""
        screenings = self.sudo().search([("patient_id", "in", patients.ids)])
        missing = patients - screenings.patient_id
        if missing:
            screenings |= self.sudo()._workflow_create([{"patient_id": p.id} for p in missing])
        return screenings

    @api.model
    @single_run
    def _cron_rescreen(self):
        """Daily: re-screen patients whose intake or clearances changed state by the calendar
        (an expiry, or a clearance that starts)."""
        today = fields.Date.context_today(self)
        due = self.sudo().search([("review_date", "!=", False), ("review_date", "<=", today)])
        self.env.add_to_compute(self._fields["verdict"], due)
        due._recompute_recordset()
        return due
