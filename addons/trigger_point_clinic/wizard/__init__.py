from . import (
    clinic_clearance_revoke,
    clinic_session_cancel,
    clinic_session_payment,
    clinic_utilisation_wizard,
)
