from . import clinic_region_outcome, clinic_utilisation
