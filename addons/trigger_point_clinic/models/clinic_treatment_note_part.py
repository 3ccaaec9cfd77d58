from odoo import fields, models


class ClinicTreatmentNotePart(models.AbstractModel):
    """What belongs to a treatment note's content (its lines, its home-care items): locked with
    the note once it is signed (``clinic.locked.part``), in the order the therapist gave."""

    _name = "clinic.treatment.note.part"
    _description = "Part of a Treatment Note"
    _inherit = ["clinic.locked.part"]
    _order = "note_id, sequence, id"
    _frozen_parent = "note_id"

    note_id = fields.Many2one(
        comodel_name="clinic.treatment.note", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
