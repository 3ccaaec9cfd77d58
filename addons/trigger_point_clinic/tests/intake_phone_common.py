"""The intake on a patient's phone, in Chromium: what the intake tours start from."""

from unittest.mock import patch

from odoo.tests import HttpCase

from ..models.clinic_intake_code import ClinicIntakeCode
from .intake_proof import IntakeProofMixin

# The code the intake tours type (static/tests/tours/intake_portal_phone.js): the test makes the
# server draw it, and checks that it is the one the patient was e-mailed.
TOUR_CODE = "424242"


class IntakePhoneCase(IntakeProofMixin, HttpCase):
    """Chromium emulates a 390 x 844 touch screen (an ordinary phone held upright)."""

    browser_size = "390x844"
    touch_enabled = True

    def _intake_tour(self, tour):
        """Petra Phone is sent an intake, and opens its link on her phone: ``tour`` runs there,
        with ``TOUR_CODE`` as the code she is e-mailed. Returns the intake."""
        patient = self.env["clinic.patient"].create(
            {"name": "Petra Phone", "email": "petra.phone@patient.example.com"}
        )
        intake = self.env["clinic.intake"].create({"patient_id": patient.id})
        intake.action_send()
        with patch.object(ClinicIntakeCode, "_new_code", lambda self: TOUR_CODE):
            self.start_tour(f"/clinic/intake/{intake.id}?access_token={intake.access_token}", tour)
        return intake
