from . import clinic_session_cancel, clinic_utilisation_wizard
