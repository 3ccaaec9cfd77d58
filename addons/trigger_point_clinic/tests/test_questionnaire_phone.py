from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged

from ..models.clinic_intake_code import ClinicIntakeCode
from .intake_proof import IntakeProofMixin

# The code the tour types (static/tests/tours/questionnaire_phone.js).
TOUR_CODE = "535353"


@tagged("post_install", "-at_install")
class TestQuestionnairePhone(IntakeProofMixin, HttpCase):
    """A scheduled NRS as the patient meets it: on a 390 x 844 touch screen in Chromium, the
    link opened, the code from the e-mail typed, one tap on the scale, submitted."""

    browser_size = "390x844"
    touch_enabled = True

    def test_patient_answers_the_nrs_on_a_phone(self):
        nrs = self.env.ref("trigger_point_clinic.questionnaire_nrs")
        patient = self.env["clinic.patient"].create(
            {"name": "Nora Phone", "email": "nora.phone@patient.example.com"}
        )
        patient.company_id.write(
            {
                "clinic_questionnaire_ids": [fields.Command.set(nrs.ids)],
                "clinic_questionnaire_at_start": True,
            }
        )
        episode = self.env["clinic.episode"].create(
            {"patient_id": patient.id, "complaint": "Neck pain.", "planned_sessions": 4}
        )
        response = episode.response_ids
        self.assertEqual(response.questionnaire_id, nrs)
        self.assertTrue(response.access_token, "the scheduling e-mailed the private link")
        with patch.object(ClinicIntakeCode, "_new_code", lambda self: TOUR_CODE):
            self.start_tour(
                f"/clinic/questionnaire/{response.id}?access_token={response.access_token}",
                "trigger_point_clinic_questionnaire_phone",
            )
        self.assertEqual(self.received_code(response), TOUR_CODE, "the code typed was e-mailed")
        response.invalidate_recordset()
        self.assertEqual((response.state, response.score), ("submitted", 3.0))
