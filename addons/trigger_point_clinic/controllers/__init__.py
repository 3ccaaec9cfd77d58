from . import (
    appointment_confirm,
    calendar_feed,
    card_portal,
    home_portal,
    intake_portal,
    patient_portal,
    questionnaire_portal,
    rpc_gate,
)

# isort: split
from . import booking_payment, patient_balance
