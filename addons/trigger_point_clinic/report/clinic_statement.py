from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.clinic_workflow import FRONT_DESK


class ClinicStatementReport(models.AbstractModel):
    """A patient's statement for a period: for the front desk and managers, and for the
    patient (a portal user) for their own; nobody else, therapists included."""

    _name = "report.trigger_point_clinic.report_clinic_statement"
    _description = "Patient Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        patients = self.env["clinic.patient"].browse(docids)
        self._check_statement_access(patients)
        date_from, date_to = self._period(data)
        return {
            "doc_ids": patients.ids,
            "doc_model": "clinic.patient",
            "docs": patients.sudo(),
            "statements": {
                patient.id: patient.sudo()._clinic_statement(date_from, date_to)
                for patient in patients
            },
        }

    @api.model
    def _check_statement_access(self, patients):
        user = self.env.user
        if user.has_group(FRONT_DESK):
            patients.check_access("read")
            return
        own = (
            user.share
            and patients
            and all(patient.sudo().partner_id == user.partner_id for patient in patients)
        )
        if not own:
            raise AccessError(
                self.env._(
                    "A patient's statement is read by the front desk, managers and the patient."
                )
            )

    @api.model
    def _period(self, data):
        """(date_from, date_to) of ``data``; the current month by default."""
        today = fields.Date.context_today(self)
        try:
            date_from = fields.Date.to_date(data.get("date_from")) or today.replace(day=1)
            date_to = fields.Date.to_date(data.get("date_to")) or today
        except (TypeError, ValueError) as exc:
            raise UserError(
                self.env._("The statement's dates are From and To, as YYYY-MM-DD.")
            ) from exc
        if not isinstance(date_from, date) or date_to < date_from:
            raise UserError(
                self.env._(
                    "The statement ends on %(stop)s, before it starts on %(start)s: enter a "
                    "To date after the From date.",
                    start=date_from,
                    stop=date_to,
                )
            )
        return date_from, date_to
