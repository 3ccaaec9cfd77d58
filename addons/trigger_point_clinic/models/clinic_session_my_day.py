"""What a therapist's day (My Day) shows of a session: whether it falls on the clinic's current
day, and the patient's screening beside the booking, so that what to avoid is in sight before
the session is opened. (The home programme's line is ``clinic_session_home.py``.)"""

from odoo import api, fields, models
from odoo.fields import Domain

from .clinic_contraindication import PRESSURE_LEVELS
from .clinic_intake import SCREENING_VERDICTS


class ClinicSession(models.Model):
    _inherit = "clinic.session"

    is_today = fields.Boolean(
        string="Today",
        compute="_compute_is_today",
        search="_search_is_today",
        help="Starts on the clinic's current day, in the clinic's local time.",
    )
    # Computed with the reader's own rights on clinic.patient.screening: empty for a role that
    # cannot read the screening (the front desk), never stored, searched or grouped.
    patient_screening_verdict = fields.Selection(
        SCREENING_VERDICTS, compute="_compute_patient_screening", string="Screening"
    )
    patient_excluded_region_ids = fields.Many2many(
        comodel_name="clinic.body.region",
        compute="_compute_patient_screening",
        string="Regions to Avoid",
    )
    patient_max_pressure = fields.Selection(
        PRESSURE_LEVELS, compute="_compute_patient_screening", string="Maximum Pressure"
    )

    def _compute_is_today(self):
        now = fields.Datetime.now()
        for session in self:
            session.is_today = session.local_date == session.company_id._clinic_local_date(now)

    def _search_is_today(self, operator, value):
        """Today is the clinic's local day, which the browser's clock need not share: each
        company's own today, against the local day the session stores."""
        if operator != "in":
            return NotImplemented
        now = fields.Datetime.now()
        today = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain("local_date", "=", company._clinic_local_date(now))
            for company in self.env.companies
        )
        wanted = {bool(flag) for flag in value}
        if wanted == {True, False}:
            return Domain.TRUE
        return today if True in wanted else ~today

    @api.depends("patient_id")
    @api.depends_context("uid")
    def _compute_patient_screening(self):
        # Read with the user's own rights (and logged): the value is the user's, never cached
        # for another user.
        screenings = self.env["clinic.patient.screening"]
        # The read rule goes through the care relation, which this transaction may have just
        # changed (a session booked a moment ago puts its patient in the therapist's care).
        self.env["clinic.patient"].flush_model(["care_user_ids"])
        if screenings.has_access("read"):
            screenings = screenings.search([("patient_id", "in", self.patient_id.ids)])
            screenings._clinic_log_read(screenings, None, "list")
        by_patient = {screening.patient_id.id: screening for screening in screenings}
        for session in self:
            screening = by_patient.get(session.patient_id.id, screenings.browse())
            session.patient_screening_verdict = screening.verdict
            session.patient_excluded_region_ids = screening.avoid_region_ids
            session.patient_max_pressure = screening.max_pressure
