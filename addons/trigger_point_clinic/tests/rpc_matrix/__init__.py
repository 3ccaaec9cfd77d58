"""The JSON-RPC gate matrix as data: one module per model, each with ``rows(case)``, the
list of ``(model, method, build, expectations)`` that ``test_rpc_gate`` runs for every role.

``build(role)`` makes fresh records as the clinic would and returns the call's
``(args, kwargs, context)``; ``expectations`` maps each role to ``True`` (allowed) or the regex
of its refusal (``expect``). A refusal's message is the first rule that stops the call: the
clinic's own rules run before Odoo checks the access rights, so some roles without rights meet
a clinic rule first. A reviewer reads one model's rights in one module; ``MATRIX`` lists them
(and the rows of features kept in ``tests/rpc_rows_*.py``)."""

ROLES = ("therapist", "front_desk", "manager", "administrator", "portal", "public")
# Odoo's own refusals: the access rights (model) and the record rules (records).
ACCESS = r"not allowed to|doesn't have '\w+' access|top-secret|enough rights"
GATE = r"cannot be written directly"
FROZEN = r"does not change"
ONLY_THERAPIST = r"only a therapist|the session's therapist, or a manager"
OUTSIDERS = {"portal": ACCESS, "public": r"Session expired|SessionExpired"}
ALL_INTERNAL = dict.fromkeys(("therapist", "front_desk", "manager", "administrator"), True)
STAFF = {"front_desk": True, "manager": True, "administrator": True}
CLINICAL = {"therapist": True, "manager": True, "administrator": True}
MANAGERS = {"manager": True, "administrator": True}


def expect(allowed=None, default=ACCESS, **refused):
    """{role: True (allowed) or the regex of the refusal}: ``allowed`` roles succeed, the
    roles named in ``refused`` fail with their message, other internal roles with
    ``default``, and outsiders (portal, public) are always refused."""
    result = dict.fromkeys(ROLES[:4], default)
    result.update(allowed or {})
    result.update(refused)
    result.update(OUTSIDERS)
    return result


def modules():
    """Every module of rows: one per model here, then the features' own files."""
    from .. import (  # imported here: those files import the names above from this package
        rpc_rows_charting,
        rpc_rows_desk,
        rpc_rows_homeprog,
        rpc_rows_homeprog2,
        rpc_rows_money,
        rpc_rows_money_pay,
        rpc_rows_money_rule,
        rpc_rows_outcomes,
        rpc_rows_signin,
    )
    from . import (
        clinic_access_grant,
        clinic_access_log,
        clinic_billing_run,
        clinic_clearance,
        clinic_clearance_revoke,
        clinic_homecare_item,
        clinic_intake,
        clinic_intake_answer,
        clinic_intake_pain,
        clinic_patient,
        clinic_patient_screening,
        clinic_plan,
        clinic_record_verification,
        clinic_room,
        clinic_screening_override,
        clinic_session,
        clinic_session_cancel,
        clinic_therapist,
        clinic_treatment_note,
        clinic_treatment_note_amendment,
        clinic_treatment_note_line,
        clinic_utilisation_wizard,
        ir_attachment,
        mail_mail,
    )

    return [
        clinic_access_grant,
        clinic_access_log,
        clinic_billing_run,
        clinic_clearance,
        clinic_clearance_revoke,
        clinic_homecare_item,
        clinic_intake,
        clinic_intake_answer,
        clinic_intake_pain,
        clinic_patient,
        clinic_patient_screening,
        clinic_plan,
        clinic_record_verification,
        clinic_room,
        clinic_screening_override,
        clinic_session,
        clinic_session_cancel,
        clinic_therapist,
        clinic_treatment_note,
        clinic_treatment_note_amendment,
        clinic_treatment_note_line,
        clinic_utilisation_wizard,
        ir_attachment,
        mail_mail,
        rpc_rows_money_rule,
        rpc_rows_homeprog,
        rpc_rows_outcomes,
        rpc_rows_money_pay,
        rpc_rows_signin,
        rpc_rows_desk,
        rpc_rows_homeprog2,
        rpc_rows_charting,
        rpc_rows_money,
    ]
