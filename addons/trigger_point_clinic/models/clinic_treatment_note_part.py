from odoo import api, fields, models

from .clinic_treatment_note import SIGNED
from .clinic_workflow import check_access_first, lock_trigger_sql


class ClinicTreatmentNotePart(models.AbstractModel):
    """What belongs to a treatment note's content (its lines, its home-care items): locked,
    like the note, once the note is signed."""

    _name = "clinic.treatment.note.part"
    _description = "Part of a Treatment Note"
    _inherit = ["clinic.audited.mixin"]
    _clinic_audit_patient = "note_id.patient_id"
    _clinic_audit_parent = "note_id"
    _order = "note_id, sequence, id"
    _locked_content = ()

    note_id = fields.Many2one(
        comodel_name="clinic.treatment.note", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)

    def init(self):
        super().init()
        if self._abstract:
            return
        self.env.cr.execute(
            lock_trigger_sql(
                self._table, self._locked_content, "clinic_treatment_note", "note_id", SIGNED
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        check_access_first(self, "create")
        notes = self.env["clinic.treatment.note"].browse(
            {vals["note_id"] for vals in vals_list if vals.get("note_id")}
        )
        notes._check_unsigned({"create"})
        return super().create(vals_list)

    def write(self, vals):
        check_access_first(self, "write")
        self.note_id._check_unsigned(set(vals) & set(self._locked_content))
        if "note_id" in vals:
            self.env["clinic.treatment.note"].browse(vals["note_id"])._check_unsigned({"move"})
        return super().write(vals)

    def unlink(self):
        check_access_first(self, "unlink")
        self.note_id._check_unsigned({"unlink"})
        return super().unlink()
