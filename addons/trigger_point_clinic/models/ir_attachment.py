from odoo import api, models
from odoo.exceptions import AccessError

from .clinic_frozen import frozen_models, frozen_record_sql
from .clinic_workflow import guard_trigger_sql

# The fields of a file that say only where it hangs and what kind of file it is. Reading any
# other field of a clinical record's file (its bytes, where they are stored, the text indexed
# from them, and any field added later) is a read of that record.
DESCRIPTION_FIELDS = frozenset(
    (
        "id",
        "display_name",
        "name",
        "res_model",
        "res_id",
        "res_field",
        "res_name",
        "type",
        "mimetype",
        "file_size",
        "public",
        "company_id",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
    )
)

# What may still change on a frozen record's file: the token that shares it, and who wrote it.
ATTACHMENT_ALLOWED = ("access_token", "write_uid", "write_date")
_ALLOWED_SQL = "ARRAY[" + ", ".join(f"'{column}'" for column in ATTACHMENT_ALLOWED) + "]::text[]"

ATTACHMENT_TRIGGER_SQL = guard_trigger_sql(
    "ir_attachment_clinic_frozen",
    "ir_attachment",
    body=f"""
        IF TG_OP = 'UPDATE'
           AND OLD.res_model IS NOT DISTINCT FROM NEW.res_model
           AND OLD.res_id IS NOT DISTINCT FROM NEW.res_id
           AND (to_jsonb(OLD) - {_ALLOWED_SQL}) = (to_jsonb(NEW) - {_ALLOWED_SQL})
        THEN
            RETURN NEW;
        END IF;
        IF (TG_OP <> 'INSERT' AND OLD.res_model LIKE 'clinic.%'
                AND clinic_record_frozen(OLD.res_model, OLD.res_id))
           OR (TG_OP <> 'DELETE' AND NEW.res_model LIKE 'clinic.%'
                AND clinic_record_frozen(NEW.res_model, NEW.res_id)) THEN
            RAISE EXCEPTION '% of ir_attachment: the file belongs to a frozen % record', TG_OP,
                coalesce(NEW.res_model, OLD.res_model)
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    """,
)


class IrAttachment(models.Model):
    """The files of a frozen clinical record (an intake's signature, a clearance's letter, a
    signed note's files) are frozen with it: no file added, changed, moved or deleted, by the
    ORM and by a PostgreSQL trigger."""

    _inherit = "ir.attachment"

    def _read_format(self, fnames, load="_classic_read"):
        # Every way a client reads fields (read, search_read, web_read, web_search_read) formats
        # them here: a file's content read through ir.attachment is logged as a read of the
        # clinical record it belongs to, as a download of it by URL is (ir_binary.py).
        result = super()._read_format(fnames, load)
        if set(fnames or self._fields) - DESCRIPTION_FIELDS:
            self._clinic_log_content_read("file")
        return result

    def _clinic_log_content_read(self, how):
        """Log, against the records they belong to, that the content of the files of ``self``
        that hang off clinical records was read."""
        ids_by_model = {}
        for attachment in self.sudo():
            records = self.env.get(attachment.res_model)
            if attachment.res_id and records is not None and hasattr(records, "_clinic_log_read"):
                ids_by_model.setdefault(attachment.res_model, set()).add(attachment.res_id)
        for res_model, ids in ids_by_model.items():
            records = self.env[res_model].browse(sorted(ids))
            records._clinic_log_read(records, None, how)

    def init(self):
        res = super().init()
        self.env.cr.execute(frozen_record_sql(self.env))
        self.env.cr.execute(ATTACHMENT_TRIGGER_SQL)
        return res

    @api.model
    def _clinic_check_frozen(self, targets):
        """Refuse if one of ``targets`` ((res_model, res_id) pairs) is a frozen record."""
        frozen = set(frozen_models(self.env))
        ids_by_model = {}
        for res_model, res_id in targets:
            if res_model in frozen and res_id:
                ids_by_model.setdefault(res_model, set()).add(res_id)
        for res_model, ids in ids_by_model.items():
            records = self.env[res_model].sudo().browse(ids).exists()._clinic_frozen()
            if records:
                if records._frozen_parent:
                    records[:1]._frozen_refuse_parent(
                        records[:1][records._frozen_parent], ["attachment"]
                    )
                records[:1]._frozen_refuse(["attachment"])

    def _clinic_targets(self):
        return [(attachment.res_model, attachment.res_id) for attachment in self.sudo()]

    @api.model_create_multi
    def create(self, vals_list):
        targets = [(vals.get("res_model"), vals.get("res_id")) for vals in vals_list]
        # Odoo's access check of the records the files go to comes first: a caller without
        # access learns nothing from a clinic message.
        frozen = set(frozen_models(self.env))
        by_model = {}
        for res_model, res_id in targets:
            if res_model in frozen and res_id:
                by_model.setdefault(res_model, set()).add(res_id)
        if by_model and any(self._inaccessible_comodel_records(by_model, "write")):
            raise AccessError(self.env._("Sorry, you are not allowed to access this document."))
        self._clinic_check_frozen(targets)
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - set(ATTACHMENT_ALLOWED):
            self.check_access("write")
            targets = self._clinic_targets()
            if "res_model" in vals or "res_id" in vals:
                targets += [
                    (vals.get("res_model", res_model), vals.get("res_id", res_id))
                    for res_model, res_id in targets
                ]
            self._clinic_check_frozen(targets)
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        self._clinic_check_frozen(self._clinic_targets())
        return super().unlink()
