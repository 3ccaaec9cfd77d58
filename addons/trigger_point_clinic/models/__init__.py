# The workflow gate first: the clinic's models inherit it.
from . import clinic_workflow

# isort: split
from . import (
    account_move,
    clinic_availability_day,
    clinic_billing,
    clinic_body_region,
    clinic_clearance,
    clinic_contraindication,
    clinic_demo,
    clinic_intake,
    clinic_patient,
    clinic_plan,
    clinic_resource,
    clinic_screening_override,
    clinic_session,
    clinic_treatment_note,
    res_company,
    res_config_settings,
)
