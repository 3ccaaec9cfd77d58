from odoo import models


class IrBinary(models.AbstractModel):
    """A clinical file served by URL (``/web/content``, ``/web/image``: a clearance letter, an
    intake's signature) is a read of its record: logged as a file."""

    _inherit = "ir.binary"

    def _record_to_stream(self, record, field_name):
        stream = super()._record_to_stream(record, field_name)
        if hasattr(record, "_clinic_log_read"):
            record._clinic_log_read(record, [field_name], "file")
        elif record._name == "ir.attachment":
            record._clinic_log_content_read("file")
        return stream
