from . import (
    appointment_confirm,
    card_portal,
    intake_portal,
    patient_portal,
    questionnaire_portal,
    rpc_gate,
)

# isort: split
from . import booking_payment, patient_balance
