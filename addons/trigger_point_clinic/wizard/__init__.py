from . import (
    clinic_clearance_revoke,
    clinic_session_cancel,
    clinic_session_cancel_move,
    clinic_session_payment,
    clinic_statement_wizard,
    clinic_utilisation_wizard,
)
