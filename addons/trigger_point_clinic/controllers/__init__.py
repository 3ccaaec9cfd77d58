from . import intake_portal
