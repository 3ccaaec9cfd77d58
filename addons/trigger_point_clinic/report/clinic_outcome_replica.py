"""The outcome reports read from the replica.

*Reporting > Outcomes* (the graph, pivot and list of signed treatment note lines) and the
outcome per patient and region are reports: what they show was signed, a replica a moment
behind shows the same. Their reads are marked ``@api.readonly``, the way Odoo 19 sends a
JSON-RPC call to ``db_replica_host``; each still leaves its access-log entry, written on the
primary (``clinic_audited.log_reads``). The forms and lists where therapists chart stay on the
primary (``clinic_audited.logs_reads``): what they just saved, they read back at once.
"""

from odoo import api, models


class GroupedReadsOnReplica:
    """The grouped reads of a report (its graph and pivot), marked ``@api.readonly``.

    A plain class listed before ``models.Model`` in a model's class: it is not a model (it adds
    nothing to the model's name, description or table), and its methods come first in the
    model's MRO, so JSON-RPC finds them marked."""

    __slots__ = ()

    @api.model
    @api.readonly
    def web_read_group(self, domain, groupby, aggregates=(), *args, **kwargs):
        return super().web_read_group(domain, groupby, aggregates, *args, **kwargs)

    @api.model
    @api.readonly
    def formatted_read_group(self, domain, groupby=(), aggregates=(), *args, **kwargs):
        return super().formatted_read_group(domain, groupby, aggregates, *args, **kwargs)

    @api.model
    @api.readonly
    def formatted_read_grouping_sets(self, domain, grouping_sets, aggregates=(), **kwargs):
        return super().formatted_read_grouping_sets(domain, grouping_sets, aggregates, **kwargs)


class ClinicTreatmentNoteLine(GroupedReadsOnReplica, models.Model):
    # The Outcomes report's graph and pivot: grouped reads only (the note's form reads its
    # lines with the note, on the primary).
    _inherit = "clinic.treatment.note.line"


class ClinicRegionOutcome(GroupedReadsOnReplica, models.Model):
    _inherit = "clinic.region.outcome"

    # A report through and through (a view over signed lines): every read of it.
    @api.readonly
    def read(self, fields=None, load="_classic_read"):
        return super().read(fields, load)

    @api.readonly
    def web_read(self, specification):
        return super().web_read(specification)

    @api.model
    @api.readonly
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        return super().web_search_read(
            domain, specification, offset=offset, limit=limit, order=order, count_limit=count_limit
        )

    @api.model
    @api.readonly
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **kwargs):
        return super().search_read(
            domain, fields, offset=offset, limit=limit, order=order, **kwargs
        )
