from . import (
    appointment_confirm,
    intake_portal,
    patient_portal,
    questionnaire_portal,
    rpc_gate,
)
