from odoo import api, fields, models

from .clinic_intake import INTAKE_LOCKED
from .clinic_workflow import check_access_first, lock_trigger_sql


class ClinicIntakePart(models.AbstractModel):
    """What belongs to an intake's content (its answers, its pain map): frozen, like the
    intake, once submitted."""

    _name = "clinic.intake.part"
    _description = "Part of an Intake"
    _inherit = ["clinic.audited.mixin"]
    _clinic_audit_patient = "intake_id.patient_id"
    _clinic_audit_parent = "intake_id"
    _locked_content = ()

    intake_id = fields.Many2one(
        comodel_name="clinic.intake", required=True, index=True, ondelete="cascade"
    )

    def init(self):
        super().init()
        if not self._abstract:
            self.env.cr.execute(
                lock_trigger_sql(
                    self._table, self._locked_content, "clinic_intake", "intake_id", INTAKE_LOCKED
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        check_access_first(self, "create")
        intakes = self.env["clinic.intake"].browse({vals.get("intake_id") for vals in vals_list})
        intakes._check_open()
        return super().create(vals_list)

    def write(self, vals):
        check_access_first(self, "write")
        self.intake_id._check_open()
        if "intake_id" in vals:
            self.env["clinic.intake"].browse(vals["intake_id"])._check_open()
        return super().write(vals)

    def unlink(self):
        check_access_first(self, "unlink")
        self.intake_id._check_open()
        return super().unlink()
