from odoo import api, fields, models

from ..models.clinic_dates import check_period


class ClinicStatementWizard(models.TransientModel):
    """Pick a period, print the patient's statement."""

    _name = "clinic.statement.wizard"
    _description = "Patient Statement"

    patient_id = fields.Many2one(comodel_name="clinic.patient", required=True)
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            check_period(self.env, wizard.date_from, wizard.date_to)

    def action_print(self):
        self.ensure_one()
        action = self.env.ref("trigger_point_clinic.action_report_clinic_statement").report_action(
            self.patient_id,
            data={
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            },
        )
        # The dialog closes once the PDF is downloaded (it stayed open, as if nothing happened).
        action["close_on_report_download"] = True
        return action
