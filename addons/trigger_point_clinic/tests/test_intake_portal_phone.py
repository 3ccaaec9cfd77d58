import base64
import io

from PIL import Image

from odoo.tests import tagged

from .intake_phone_common import TOUR_CODE, IntakePhoneCase


@tagged("post_install", "-at_install")
class TestIntakePortalPhone(IntakePhoneCase):
    """The online intake as patients meet it: on a phone, in a real browser, the code from the
    e-mail typed, signed with a finger."""

    def test_patient_fills_in_and_signs_the_intake_on_a_phone(self):
        intake = self._intake_tour("trigger_point_clinic_intake_phone")

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
