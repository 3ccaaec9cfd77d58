from . import (
    clinic_body_region,
    clinic_contraindication,
    clinic_demo,
    clinic_intake,
    clinic_patient,
    clinic_plan,
    clinic_resource,
    clinic_session,
    clinic_treatment_note,
    res_company,
    res_config_settings,
)
