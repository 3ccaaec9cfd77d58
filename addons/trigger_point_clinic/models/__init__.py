# Odoo builds models in the order they are defined: the mixins and the abstract parts first, as
# the clinic's models inherit them (and a part's module defines the model it belongs to).
from . import (
    clinic_audited,
    clinic_frozen,
    clinic_patient_record,
    clinic_reminder_mixin,
    clinic_workflow,
)

# isort: split
from . import clinic_intake_part, clinic_treatment_note_part

# isort: split
from . import (
    account_move,
    account_move_line,
    base,
    clinic_access_grant,
    clinic_access_log,
    clinic_availability_day,
    clinic_billing_run,
    clinic_billing_skip,
    clinic_body_region,
    clinic_clearance,
    clinic_contraindication,
    clinic_demo,
    clinic_homecare_item,
    clinic_intake,
    clinic_intake_answer,
    clinic_intake_code,
    clinic_intake_pain,
    clinic_online_booking,
    clinic_patient,
    clinic_patient_screening,
    clinic_plan,
    clinic_plan_skip,
    clinic_record_seal,
    clinic_record_verification,
    clinic_room,
    clinic_screening_override,
    clinic_session,
    clinic_session_appointment_reminder,
    clinic_signin,
    clinic_signin_log,
    clinic_therapist,
    clinic_treatment_note,
    clinic_treatment_note_amendment,
    clinic_treatment_note_line,
    clinic_waitlist,
    ir_actions_report,
    ir_attachment,
    ir_binary,
    mail_mail,
    product_template,
    res_company,
    res_config_settings,
)
