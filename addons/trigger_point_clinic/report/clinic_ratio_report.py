from odoo import models
from odoo.tools import SQL


class ClinicRatioReport(models.AbstractModel):
    """Reports whose percentage measures are ratios of sums, whatever the grouping:
    ``_ratios`` maps a measure to (numerator, denominator, scale)."""

    _name = "clinic.ratio.report"
    _description = "Report with Ratio Measures"
    _ratios = {}

    def _read_group_select(self, aggregate_spec, query):
        """A group's percentage is the ratio of its sums (never an average of row ratios)."""
        measure, _sep, aggregate = aggregate_spec.partition(":")
        if measure in self._ratios and aggregate == "sum":
            numerator, denominator, scale = self._ratios[measure]
            return SQL(
                "%s * SUM(%s) / NULLIF(SUM(%s), 0)",
                scale,
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)
