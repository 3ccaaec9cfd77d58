import base64
import io
from unittest.mock import patch

from PIL import Image

from odoo.tests import HttpCase, tagged

from ..models.clinic_intake_code import ClinicIntakeCode
from .intake_proof import IntakeProofMixin

# The code the tour types (static/tests/tours/intake_portal_phone.js): the test makes the
# server draw it, and checks that it is the one the patient was e-mailed.
TOUR_CODE = "424242"


@tagged("post_install", "-at_install")
class TestIntakePortalPhone(IntakeProofMixin, HttpCase):
    """The online intake as patients meet it: on a phone, in a real browser, the code from the
    e-mail typed, signed with a finger. Chromium emulates a 390 x 844 touch screen (an ordinary
    phone held upright)."""

    browser_size = "390x844"
    touch_enabled = True

    def test_patient_fills_in_and_signs_the_intake_on_a_phone(self):
        patient = self.env["clinic.patient"].create(
            {"name": "Petra Phone", "email": "petra.phone@patient.example.com"}
        )
        intake = self.env["clinic.intake"].create({"patient_id": patient.id})
        intake.action_send()

        with patch.object(ClinicIntakeCode, "_new_code", lambda self: TOUR_CODE):
            self.start_tour(
                f"/clinic/intake/{intake.id}?access_token={intake.access_token}",
                "trigger_point_clinic_intake_phone",
            )

        self.assertEqual(self.received_code(intake), TOUR_CODE, "the code typed was e-mailed")

        self.assertEqual(intake.state, "submitted")
        self.assertTrue(intake.answer_ids)
        self.assertEqual(
            set(intake.answer_ids.mapped("answer")), {"no"}, "every question answered no"
        )
        self.assertTrue(intake.consent)
        self.assertEqual(intake.signer_name, "Petra P. Phone")
        signature = Image.open(io.BytesIO(base64.b64decode(intake.signature)))
        self.assertGreater(signature.width, 330, "the pad spans the width of the phone")
        self.assertLessEqual(signature.width, 390, "the pad fits on the phone")
        on_paper = Image.alpha_composite(
            Image.new("RGBA", signature.size, "white"), signature.convert("RGBA")
        ).convert("L")
        self.assertIsNotNone(
            on_paper.point(lambda level: 255 if level < 128 else 0).getbbox(),
            "the stored signature shows the stroke drawn on the pad",
        )
