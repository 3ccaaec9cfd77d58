from . import clinic_region_outcome
