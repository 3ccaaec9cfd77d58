"""Reads of clinical content leave an entry in the access log.

The clinical models inherit ``clinic.audited.mixin``. Its overrides of the public reading
methods (``web_read`` for a form, ``web_search_read`` for a list, ``read``, ``search_read`` and
``copy_data`` for RPC, the grouped reads, ``onchange`` on a saved record), the export of every
model (``models/base.py``), the report rendering (``ir.actions.report``) and the files served by
URL (``ir.binary``) collect the clinical records they read, nested reads included, and log them
when the outermost call ends: one statement per model, named after the way the outermost call
read. Reads of fields that are not clinical (the patient's name and phone, an intake's state
for the front desk) leave no entry.

A Python context variable holds the call's reads; no client can set it, and no context key
switches the log off.
"""

import contextvars
from contextlib import contextmanager

from odoo import api, models
from odoo.api import NewId

from .clinic_workflow import THERAPIST

_AUDIT_SCOPE = contextvars.ContextVar("clinic_audit_scope", default=None)

# Fields that say which record it is, not what it holds.
NOT_CLINICAL = frozenset(
    {
        "id",
        "display_name",
        "patient_id",
        "company_id",
        "state",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
        "activity_ids",
        "activity_state",
        "activity_user_id",
        "activity_type_id",
        "activity_date_deadline",
        "activity_summary",
        "activity_exception_decoration",
        "activity_exception_icon",
        "message_ids",
        "message_follower_ids",
        "message_partner_ids",
        "message_is_follower",
        "message_needaction",
        "message_needaction_counter",
        "message_has_error",
        "message_has_error_counter",
        "message_attachment_count",
        "has_message",
    }
)


def logs_reads(method):
    """The generic reads of a clinical model (forms, lists, RPC) stay on the primary: a
    therapist who just saved a note reads it back at once, whatever the replica's lag. Reports
    marked ``@api.readonly`` and Odoo's read-only routes (``/report``, ``/web/content``) may be
    served by a replica: ``log_reads`` writes their entry on the primary."""
    method._readonly = False
    return method


def log_reads(env, records, how):
    """Write the access-log entry of ``records`` read ``how``, on the primary, once.

    On a read-only cursor (a request Odoo routed to ``db_replica_host``), the replica would
    refuse the entry and Odoo would serve the whole request again on the primary: the page
    rendered twice. The entry is written instead with a cursor of its own on the primary,
    committed at once, before the page is answered. What the read-only transaction read is
    already in hand; it is ended first, as Odoo's own asset route does before it opens a
    read/write cursor (``web/controllers/binary.py``)."""
    if not env.cr.readonly:
        env["clinic.access.log"]._log_reads(records.with_env(env), how)
        return
    env.cr.rollback()
    with env.registry.cursor() as cr:
        primary = env(cr=cr)
        primary["clinic.access.log"]._log_reads(records.with_env(primary), how)


@contextmanager
def audited_call(env, how):
    """The reads made inside are logged together when the outermost reading call of this thread
    ends (a spec may read other records through a relation: {model name: set of ids}, one
    statement per model). ``how``: the way the outermost call reads (form, list, ...)."""
    if _AUDIT_SCOPE.get() is not None:
        yield
        return
    token = _AUDIT_SCOPE.set({"how": how, "reads": {}})
    try:
        yield
        flush_reads(env)
    finally:
        _AUDIT_SCOPE.reset(token)


def flush_reads(env):
    """Log the reads of the outermost call: one statement per model read. The parts read with
    their record (a note's lines with the note) are in the record's entry."""
    scope = _AUDIT_SCOPE.get()
    reads, scope["reads"] = scope["reads"], {}
    for name, ids in reads.items():
        records = env[name].browse(sorted(ids))
        parent = records._clinic_audit_parent
        if parent and records._fields[parent].comodel_name in reads:
            read_parents = reads[records._fields[parent].comodel_name]
            records = records.browse(
                [part.id for part in records.sudo() if part[parent].id not in read_parents]
            )
        if records:
            log_reads(env, records, scope["how"])


class ClinicAuditedMixin(models.AbstractModel):
    _name = "clinic.audited.mixin"
    _description = "Clinical Content (reads are logged)"

    # The path from a record to its patient ("id" for the patient itself).
    _clinic_audit_patient = "patient_id"
    # The field of the clinical record this one is part of (a note's lines, an intake's
    # answers): read in the same call as that record, it is read as part of it and needs no
    # entry of its own.
    _clinic_audit_parent = None
    # True: only the fields reserved to therapists are clinical (the patient, the intake, whose
    # other fields the front desk reads); False: every field but NOT_CLINICAL.
    _clinic_audit_restricted = False

    # ------------------------------------------------------------------ reading methods

    @logs_reads
    def read(self, fields=None, load="_classic_read"):
        with audited_call(self.env, "rpc"):
            result = super().read(fields, load)
            # No field names (None or []) reads every field.
            self._clinic_log_read(self, fields or None, "rpc")
        return result

    @logs_reads
    def web_read(self, specification):
        with audited_call(self.env, "form"):
            result = super().web_read(specification)
            self._clinic_log_read(self, list(specification), "form")
        return result

    @api.model
    @logs_reads
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        with audited_call(self.env, "list"):
            result = super().web_search_read(
                domain,
                specification,
                offset=offset,
                limit=limit,
                order=order,
                count_limit=count_limit,
            )
            records = self.browse([values["id"] for values in result["records"]])
            self._clinic_log_read(records, list(specification), "list")
        return result

    @api.model
    @logs_reads
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **kwargs):
        with audited_call(self.env, "rpc"):
            result = super().search_read(
                domain, fields, offset=offset, limit=limit, order=order, **kwargs
            )
            records = self.browse([values["id"] for values in result])
            self._clinic_log_read(records, fields or None, "rpc")
        return result

    def copy_data(self, default=None):
        """A public method that returns the copied values: a read of every copied field."""
        with audited_call(self.env, "rpc"):
            result = super().copy_data(default)
            self._clinic_log_read(self, None, "rpc")
        return result

    def onchange(self, values, field_names, fields_spec):
        with audited_call(self.env, "form"):
            result = super().onchange(values, field_names, fields_spec)
            saved = self.browse([rid for rid in self._ids if not isinstance(rid, NewId)])
            self._clinic_log_read(saved, list(fields_spec), "form")
        return result

    @api.model
    @logs_reads
    def web_read_group(self, domain, groupby, aggregates=(), *args, **kwargs):
        with audited_call(self.env, "list"):
            result = super().web_read_group(domain, groupby, aggregates, *args, **kwargs)
            self._clinic_log_grouped(domain, [*groupby, *aggregates])
        return result

    @api.model
    @logs_reads
    def formatted_read_group(self, domain, groupby=(), aggregates=(), *args, **kwargs):
        with audited_call(self.env, "grouped"):
            result = super().formatted_read_group(domain, groupby, aggregates, *args, **kwargs)
            self._clinic_log_grouped(domain, [*groupby, *aggregates])
        return result

    @api.model
    @logs_reads
    def formatted_read_grouping_sets(self, domain, grouping_sets, aggregates=(), **kwargs):
        with audited_call(self.env, "grouped"):
            result = super().formatted_read_grouping_sets(
                domain, grouping_sets, aggregates, **kwargs
            )
            specs = [spec for grouping in grouping_sets for spec in grouping]
            self._clinic_log_grouped(domain, [*specs, *aggregates])
        return result

    @api.model
    @logs_reads
    def read_group(self, domain, fields, groupby, *args, **kwargs):
        with audited_call(self.env, "grouped"):
            result = super().read_group(domain, fields, groupby, *args, **kwargs)
            groupby = [groupby] if isinstance(groupby, str) else list(groupby or ())
            self._clinic_log_grouped(domain, [*(fields or ()), *groupby])
        return result

    # ------------------------------------------------------------------ logging

    @api.model
    def _clinic_log_grouped(self, domain, specs):
        """A grouped read (pivot, graph, grouped list) shows what it groups by and aggregates:
        when one of them is clinical, every record it covers was read."""
        names = {spec.split(":")[0].split(".")[0].strip() for spec in specs if spec}
        if self._clinic_audited_fields().intersection(names):
            self._clinic_log_read(self.search(domain or []), list(names), "grouped")

    @api.model
    def _clinic_audited_fields(self):
        """The names of this model's clinical fields."""
        cls = type(self)
        cached = cls.__dict__.get("_clinic_audited_cache")
        if cached is None:
            if self._clinic_audit_restricted:
                cached = frozenset(
                    name
                    for name, field in self._fields.items()
                    if field.groups and THERAPIST in field.groups.split(",")
                )
            else:
                cached = frozenset(self._fields) - NOT_CLINICAL
            cls._clinic_audited_cache = cached
        return cached

    def _clinic_log_read(self, records, field_names, how):
        """Log that the current user read ``field_names`` (None: all) of ``records``, if any of
        those fields is clinical."""
        records = records.browse([rid for rid in records._ids if isinstance(rid, int)])
        if not records:
            return
        audited = self._clinic_audited_fields()
        if field_names is not None and not audited.intersection(field_names):
            return
        scope = _AUDIT_SCOPE.get()
        if scope is None:
            log_reads(self.env, records, how)
            return
        scope["reads"].setdefault(records._name, set()).update(records._ids)

    def _clinic_patients(self):
        """{record id: patient id} for ``self``."""
        path = self._clinic_audit_patient
        if path == "id":
            return {record.id: record.id for record in self}
        return {record.id: record.mapped(path)[:1].id for record in self.sudo()}
