"""Who may call what on ``clinic.record.seal`` over JSON-RPC: a seal of the chain of clinical
records is part of the audit trail (``clinic_access_log.audit_trail_rows``)."""

from .clinic_access_log import audit_trail_rows


def rows(s):
    return audit_trail_rows(s, "clinic.record.seal")
