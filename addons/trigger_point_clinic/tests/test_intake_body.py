"""The intake's form where the patient meets it (issue 23): a missed question is marked where it
is, and the pain map is the clinic's body diagram, with a no-JS fallback posting the same
fields."""

import re

from odoo.tests import HttpCase, tagged

from .common import csrf_of
from .intake_phone_common import IntakePhoneCase
from .intake_proof import IntakeProofMixin


@tagged("post_install", "-at_install")
class TestIntakeBody(IntakeProofMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._sent_intakes("Petra Body")
        cls.neck = cls.env.ref("trigger_point_clinic.body_region_head_neck")

    def setUp(self):
        super().setUp()
        self.prove(self.intake)

    def _url(self, suffix=""):
        return f"/clinic/intake/{self.intake.id}{suffix}?access_token={self.intake.access_token}"

    def test_missed_question_is_marked_where_it_is(self):
        page = self.url_open(self._url())
        data = {
            "csrf_token": csrf_of(page.text),
            "consent": "yes",
            "signer_name": "Petra Body",
            "signature": self.signature,
        }
        missed, *answered = self.intake.answer_ids
        for answer in answered:
            data[f"answer_{answer.id}"] = "no"
        response = self.url_open(self._url("/submit"), data=data)
        self.assertEqual(response.status_code, 400)
        block = re.search(rf'<div[^>]*id="question_{missed.id}"[^>]*>', response.text).group(0)
        self.assertIn("o_clinic_missing", block, "the missed question is marked in place")
        self.assertIn(f'href="#question_{missed.id}"', response.text, "the list links to it")
        self.assertIn('aria-invalid="true"', response.text)
        for answer in answered:
            block = re.search(rf'<div[^>]*id="question_{answer.id}"[^>]*>', response.text)
            self.assertNotIn("o_clinic_missing", block.group(0))
        self.assertEqual(self.intake.state, "sent")

    def test_pain_map_is_the_body_diagram_with_a_fallback(self):
        page = self.url_open(self._url())
        self.assertIn("o_clinic_body_map", page.text, "the clinic's body diagram")
        self.assertIn('data-region-code="head_neck"', page.text)
        self.assertIn(f'name="pain_{self.neck.id}"', page.text, "fields posted without JS")
        data = {
            "csrf_token": csrf_of(page.text),
            "consent": "yes",
            "signer_name": "Petra Body",
            "signature": self.signature,
            f"pain_{self.neck.id}": "7",
        }
        response = self.url_open(self._url("/submit"), data=data)
        self.assertEqual(response.status_code, 400, "questions unanswered")
        self.assertRegex(
            response.text,
            r'data-region-code="head_neck"[^>]*class="[^"]*o_marked',
            "the score given is drawn on the body again",
        )


@tagged("post_install", "-at_install")
class TestIntakeBodyPhone(IntakePhoneCase):
    def test_patient_marks_pain_on_the_body(self):
        intake = self._intake_tour("trigger_point_clinic_intake_body")
        self.assertEqual(intake.state, "submitted")
        pains = {pain.region_id.code: pain.pain for pain in intake.pain_ids}
        self.assertEqual(pains, {"low_back_hip": 7}, "tapped on the back, scored 7")
