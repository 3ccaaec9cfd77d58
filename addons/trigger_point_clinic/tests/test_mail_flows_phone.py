"""The intake e-mail as the patient meets it on a phone: the link received, opened in Chromium,
the code received typed, the form filled in, signed with a finger and submitted."""

from unittest.mock import patch
from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged

from ..models.clinic_intake_code import ClinicIntakeCode
from .intake_proof import IntakeProofMixin
from .mail_common import RealMailCase
from .test_intake_portal_phone import TOUR_CODE


@tagged("post_install", "-at_install")
class TestIntakeMailOnPhone(RealMailCase, IntakeProofMixin, HttpCase):
    """The intake e-mail as the patient meets it: the link received, opened on a phone in
    Chromium (390 x 844, touch), the code received typed, filled in, signed with a finger and
    submitted."""

    browser_size = "390x844"
    touch_enabled = True

    def test_the_link_received_opens_the_intake_on_a_phone(self):
        patient = self.env["clinic.patient"].create(
            {"name": "Petra Phone", "email": "petra.phone@patient.example.com"}
        )
        patient.action_send_intake()
        intake = patient.intake_ids
        self.assertEqual(intake.state, "sent")
        (link,) = self.links(self.received_one(patient.email), "/clinic/intake/")
        parts = urlsplit(link)
        with patch.object(ClinicIntakeCode, "_new_code", lambda self: TOUR_CODE):
            self.start_tour(f"{parts.path}?{parts.query}", "trigger_point_clinic_intake_phone")
        self.assertEqual(self.received_code(intake), TOUR_CODE, "the code typed was received")
        self.assertEqual(intake.state, "submitted")
        self.assertEqual(intake.signer_name, "Petra P. Phone")
