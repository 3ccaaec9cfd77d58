from . import clinic_utilisation_wizard
