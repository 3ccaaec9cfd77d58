import hashlib
import json

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .clinic_workflow import check_access_first


class ClinicTreatmentNoteAmendment(models.Model):
    """A correction to a signed note, added under it: the original stays untouched."""

    _name = "clinic.treatment.note.amendment"
    _description = "Treatment Note Amendment"
    _inherit = ["clinic.audited.mixin", "clinic.frozen.mixin"]
    _clinic_audit_patient = "note_id.patient_id"
    _clinic_audit_parent = "note_id"
    _order = "date, id"
    # Recorded, an amendment is frozen whole (its files too); a correction is another one.
    # PostgreSQL: from the moment its company (a stored copy of the note's, set by the ORM right
    # after the insert) is set, i.e. once it is recorded.
    _frozen_domain = []
    _frozen_sql = "company_id IS NOT NULL"

    note_id = fields.Many2one(
        comodel_name="clinic.treatment.note", required=True, index=True, ondelete="cascade"
    )
    text = fields.Text(required=True)
    author_id = fields.Many2one(
        comodel_name="res.users", default=lambda self: self.env.user, readonly=True
    )
    date = fields.Datetime(default=fields.Datetime.now, readonly=True)
    company_id = fields.Many2one(related="note_id.company_id", store=True, index=True)

    @api.model_create_multi
    def create(self, vals_list):
        check_access_first(self, "create")
        for vals in vals_list:
            vals.update(author_id=self.env.user.id, date=fields.Datetime.now())
            note = self.env["clinic.treatment.note"].browse(vals.get("note_id"))
            if note.state != "signed":
                raise UserError(
                    self.env._("The note is not signed yet: correct it directly, no amendment.")
                )
            if not (vals.get("text") or "").strip():
                raise ValidationError(self.env._("Write the amendment's Text."))
        amendments = super().create(vals_list)
        self.env["clinic.record.seal"]._seal(amendments)
        for amendment in amendments:
            # Managers amend notes they may read but not write: the note's chatter records it
            # in their name.
            amendment.note_id.sudo().message_post(
                body=self.env._("Amendment by %(author)s.", author=amendment.author_id.name),
                author_id=self.env.user.partner_id.id,
            )
        return amendments

    def write(self, vals):  # pylint: disable=method-required-super
        check_access_first(self, "write")
        raise UserError(
            self.env._("An amendment cannot be changed once added: add another amendment.")
        )

    def unlink(self):  # pylint: disable=method-required-super
        check_access_first(self, "unlink")
        raise UserError(
            self.env._("An amendment cannot be deleted: it is part of the patient's record.")
        )

    def _clinic_seal_digest(self, version=2):
        """SHA-256 of the amendment: the note it corrects, its text, its author and time
        (identifiers only in every version; from version 2 written "$2$<sha256>")."""
        self.ensure_one()
        content = [
            self.note_id.id,
            self.text,
            self.author_id.id,
            fields.Datetime.to_string(self.date),
        ]
        payload = json.dumps(content, ensure_ascii=False)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        return f"${version}${digest}" if version >= 2 else digest
