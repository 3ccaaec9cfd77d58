from odoo import fields, models
from odoo.fields import Domain

from .clinic_intake import THERAPIST


class ClinicSession(models.Model):
    """What a therapist's day (the My Day screen) shows of a session: whether it falls on the
    clinic's current day, and the patient's screening next to the booking, so that what to
    avoid is in sight before the session is opened.

    Kept apart from ``clinic_session.py`` while that file is being refactored; these fields
    belong there once it has landed."""

    _inherit = "clinic.session"

    is_today = fields.Boolean(
        string="Today",
        compute="_compute_is_today",
        search="_search_is_today",
        help="Starts on the clinic's current day, in the clinic's local time.",
    )
    patient_screening_verdict = fields.Selection(
        related="patient_id.screening_verdict", string="Screening"
    )
    patient_excluded_region_ids = fields.Many2many(
        related="patient_id.excluded_region_ids", string="Regions to Avoid", groups=THERAPIST
    )
    patient_max_pressure = fields.Selection(
        related="patient_id.screening_max_pressure", string="Maximum Pressure", groups=THERAPIST
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
