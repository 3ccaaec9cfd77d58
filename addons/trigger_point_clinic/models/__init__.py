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
from . import clinic_locked_part

# isort: split
from . import clinic_intake_part, clinic_treatment_note_part

# isort: split
from . import (
    account_move,
    account_move_line,
    account_move_payment,
    account_move_portal,
    base,
    clinic_access_grant,
    clinic_access_log,
    clinic_availability_day,
    clinic_billing_run,
    clinic_billing_skip,
    clinic_body_region,
    clinic_calendar_feed,
    clinic_card_authorisation,
    clinic_charge_rule,
    clinic_charge_rule_checkout,
    clinic_clearance,
    clinic_contraindication,
    clinic_demo,
    clinic_episode,
    clinic_episode_chart,
    clinic_episode_letter,
    clinic_episode_outcome,
    clinic_homecare_item,
    clinic_intake,
    clinic_intake_answer,
    clinic_intake_code,
    clinic_intake_pain,
    clinic_intake_screening,
    clinic_intake_send,
    clinic_intake_submission,
    clinic_online_booking,
    clinic_online_booking_chart,
    clinic_online_booking_links,
    clinic_online_booking_pages,
    clinic_online_booking_payment,
    clinic_patient,
    clinic_patient_balance,
    clinic_patient_billing,
    clinic_patient_care,
    clinic_patient_screening,
    clinic_plan,
    clinic_plan_skip,
    clinic_questionnaire,
    clinic_questionnaire_response,
    clinic_questionnaire_schedule,
    clinic_questionnaire_send,
    clinic_record_seal,
    clinic_record_verification,
    clinic_research_export,
    clinic_room,
    clinic_screening_override,
    clinic_session,
    clinic_session_billing,
    clinic_session_booking,
    clinic_session_desk,
    clinic_session_episode,
    clinic_session_my_day,
    clinic_session_prepaid,
    clinic_session_reminder,
    clinic_session_schedule,
    clinic_session_workflow,
    clinic_signin,
    clinic_signin_log,
    clinic_therapist,
    clinic_treatment_note,
    clinic_treatment_note_amendment,
    clinic_treatment_note_charting,
    clinic_treatment_note_line,
    clinic_treatment_note_signature,
    clinic_treatment_note_template,
    clinic_utilisation_day,
    clinic_waitlist,
    ir_actions_report,
    ir_attachment,
    ir_binary,
    ir_http_busy,
    mail_mail,
    payment_token,
    payment_transaction,
    product_template,
    res_company,
    res_company_payment,
    res_config_settings,
    res_config_settings_payment,
    resource_calendar,
    resource_calendar_leaves,
    resource_resource,
)

# isort: split
# Extends the note's home-care items, the catalogue and the screening defined above.
from . import clinic_body_map, clinic_home_log, clinic_home_programme

# isort: split
from . import clinic_home_check, clinic_home_reminder, clinic_session_home

# isort: split
from . import clinic_home_adherence
