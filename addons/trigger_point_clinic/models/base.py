from odoo import api, models
from odoo.orm.models import parse_read_group_spec

from .clinic_audited import audited_call
from .clinic_values import check_create, check_write, in_scope


class Base(models.AbstractModel):
    """An export reads what its paths reach: from any model (a session exporting its notes'
    text, a patient their intakes), the clinical fields it reaches are logged as an export."""

    _inherit = "base"

    @api.model_create_multi
    def create(self, vals_list):
        """Every value of a clinic record is checked against its field (clinic_values.py)."""
        if in_scope(self):
            check_create(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if in_scope(self):
            check_write(self, vals)
        return super().write(vals)

    def _clinic_check_date(self, field, day):
        """Hook for a model to refuse the date ``day`` of ``field`` with its own words before
        the clinic's calendar check (clinic_values.py): e.g. a date that must be past."""

    def _read_group_groupby(self, alias, groupby_spec, query):
        """Grouping by a field shows its values: refused, like a search on it, to whoever may
        not read the field (Odoo checks this for every kind of field but many2many)."""
        fname = parse_read_group_spec(groupby_spec)[0]
        field = self._fields.get(fname)
        if field is not None:
            self._check_field_access(field, "read")
        return super()._read_group_groupby(alias, groupby_spec, query)

    def export_data(self, fields_to_export):
        with audited_call(self.env, "export"):
            result = super().export_data(fields_to_export)
            for path in fields_to_export:
                self._clinic_log_export_path(path.split("/"))
        return result

    def _clinic_log_export_path(self, names):
        records = self
        for name in names:
            field = records._fields.get(name.removesuffix(".id"))
            if field is None or not records:
                return
            if hasattr(records, "_clinic_log_read"):
                records._clinic_log_read(records, [field.name], "export")
            if not field.relational:
                return
            records = records[field.name]
