from . import intake_portal, patient_portal
