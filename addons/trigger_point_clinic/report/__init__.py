# The ratio mixin first: the reports inherit it.
from . import clinic_ratio_report

# isort: split
from . import (
    clinic_rebooking,
    clinic_region_outcome,
    clinic_statement,
    clinic_utilisation,
    clinic_what_works,
)

# isort: split
from . import clinic_outcome_replica
