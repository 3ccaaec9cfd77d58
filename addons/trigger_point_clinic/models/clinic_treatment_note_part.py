from odoo import fields, models


class ClinicTreatmentNotePart(models.AbstractModel):
    """What belongs to a treatment note's content (its lines, its home-care items): frozen,
    like the note, once the note is signed (``clinic.frozen.mixin``: the ORM and a trigger)."""

    _name = "clinic.treatment.note.part"
    _description = "Part of a Treatment Note"
    _inherit = ["clinic.audited.mixin", "clinic.frozen.mixin"]
    _clinic_audit_patient = "note_id.patient_id"
    _clinic_audit_parent = "note_id"
    _order = "note_id, sequence, id"
    _frozen_parent = "note_id"

    note_id = fields.Many2one(
        comodel_name="clinic.treatment.note", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
