from . import appointment_confirm, intake_portal, patient_portal, rpc_gate

# isort: split
from . import patient_balance
