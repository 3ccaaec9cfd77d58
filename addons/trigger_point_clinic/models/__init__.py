from . import (
    clinic_body_region,
    clinic_contraindication,
    clinic_intake,
    clinic_patient,
    clinic_plan,
    clinic_resource,
    clinic_session,
    res_company,
    res_config_settings,
)
