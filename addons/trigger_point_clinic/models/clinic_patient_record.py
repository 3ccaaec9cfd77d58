from odoo import fields, models


class ClinicPatientRecord(models.AbstractModel):
    """A record of one patient's file (an intake, a clearance, an override): it belongs to the
    patient's clinic and goes with the patient."""

    _name = "clinic.patient.record"
    _description = "Patient Record"
    _check_company_auto = True

    patient_id = fields.Many2one(
        comodel_name="clinic.patient",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="patient_id.company_id", store=True, index=True)
