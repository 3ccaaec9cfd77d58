"""The patient's side in French, as a French patient of the Lyon demo reads it over HTTP: the
portal home (/my/clinic), the intake page of the e-mailed link and Today speak French, write
their dates in French, and keep no English sentence the addon's fr.po translates."""

import base64
import html
import re

from odoo import fields
from odoo.tests import tagged

from ..models.clinic_demo import PATIENT_FACING_MODULES
from .intake_proof import IntakeProofMixin
from .test_home_today import TodayCase

FRENCH_DAY = re.compile(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b")
ENGLISH_DAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
# English sentences of the pages, each translated in fr.po: none may be left on a French page.
ENGLISH_HOME = (
    "Upcoming sessions",
    "Home care",
    "Booked",
    "Your pain over time",
    "Your health intake",
    "Waiting for an earlier time",
    "E-mail me",
    "All sessions, past and upcoming",
    "My sessions in my calendar",
    "Your therapist gives you home care after a session.",
    "we e-mail you the freed time",
    "valid until",
    "submitted",
    "expired on",
)
ENGLISH_TODAY = (
    "Your self-massage practices for today",
    "Daily check",
    "Reminders",
    "Save",
)
ENGLISH_INTAKE = (
    "Health intake",
    "First, show it is you",
    "Your answers are health information",
    "Send me a code",
    "We will send it to",
    "Thank you: your intake was submitted on",
    "It can no longer be changed through this link",
)


ENGLISH_FORM = (
    "Your health",
    "Where does it hurt?",
    "Submit my intake",
    "Medications",
    "Do you have a fever",
    "I agree to be treated",
)


class FrenchCase(IntakeProofMixin, TodayCase):
    """Sol of TodayCase as a French patient of the demo clinic."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # As the demo clinic: French installed with the addon's fr.po, patients in French.
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search(
            [("name", "in", (*PATIENT_FACING_MODULES, "trigger_point_clinic"))]
        )._update_translations(["fr_FR"])
        cls.patient.partner_id.lang = "fr_FR"
        cls._submit_intake(cls.patient)

    def assertFrench(self, page, english, status=200):
        self.assertEqual(page.status_code, status, page.text[:500])
        text = html.unescape(page.text)
        self.assertRegex(text, FRENCH_DAY, "a day name in French")
        self.assertNotRegex(text, ENGLISH_DAY)
        for sentence in english:
            with self.subTest(sentence=sentence):
                self.assertNotRegex(text, rf">[^<]*\b{re.escape(sentence)}\b")
        return text


@tagged("post_install", "-at_install")
class TestPatientFrench(FrenchCase):
    def test_my_clinic_reads_french_with_french_dates(self):
        self._note(1, [("upper_trapezius", {})])
        self.authenticate("sol_today", "sol_today")
        text = self.assertFrench(self.url_open("/my/clinic"), ENGLISH_HOME)
        for french in (
            "Prochaines séances",
            "Réservée",
            "Soins à la maison",
            "Réserver une séance",
        ):
            self.assertIn(french, text)

    def test_today_reads_french_and_refuses_in_french(self):
        self._note(1, [("upper_trapezius", {})])
        self.authenticate("sol_today", "sol_today")
        text = self.assertFrench(self.url_open("/my/clinic/today"), ENGLISH_TODAY)
        self.assertIn("Aujourd'hui", text)
        self.assertIn("Avant de commencer : depuis votre dernière séance", text)
        item = self.programmes._for_patient(self.patient)["practices"][0]["item"]
        answer = self._post("log", {"item_id": item.id, "pain": "11"})
        self.assertEqual(answer.status_code, 400)
        self.assertIn("Rien n'a été enregistré", html.unescape(answer.text))
        self.assertNotIn("Nothing was saved", answer.text)

    def test_intake_link_reads_french(self):
        patient = self.env["clinic.patient"].create(
            {"name": "Inès Intake", "email": "ines@patient.example.com"}
        )
        patient.partner_id.lang = "fr_FR"
        intake = self.env["clinic.intake"].create({"patient_id": patient.id})
        intake.action_send()
        page = self.url_open(self.intake_url(intake))
        self.assertEqual(page.status_code, 200, page.text[:500])
        text = html.unescape(page.text)
        self.assertIn("Questionnaire de santé", text)
        self.assertIn("Envoyez-moi un code", text)
        for sentence in ENGLISH_INTAKE:
            with self.subTest(sentence=sentence):
                self.assertNotIn(sentence, text)
        # Once the patient proved it is them: the form, its questions and its 400 in French.
        proven = self.prove(intake)
        form = html.unescape(proven.text)
        for french in (
            "Votre santé",
            "Avez-vous de la fièvre (38 °C ou plus) ou une infection contagieuse aujourd'hui ?",
            "Anticoagulant (warfarine, AOD)",
            "Où avez-vous mal ?",
            "Envoyer mon questionnaire de santé",
        ):
            self.assertIn(french, form)
        for sentence in ENGLISH_FORM:
            with self.subTest(sentence=sentence):
                self.assertNotIn(sentence, form)
        refused = self.url_open(
            self.intake_url(intake, "/submit"), data={"csrf_token": self.csrf_of(proven)}
        )
        self.assertEqual(refused.status_code, 400)
        refused = html.unescape(refused.text)
        self.assertIn("Merci de corriger les points suivants :", refused)
        self.assertIn("Répondez oui ou non à : Avez-vous de la fièvre", refused)
        self.assertNotIn("Answer yes or no", refused)
        intake.answer_ids.write({"answer": "no"})
        intake.write(
            {
                "consent": True,
                "signer_name": patient.name,
                "signature": base64.b64encode(self._signature_png()),
            }
        )
        intake._submit(fields.Datetime.now())
        text = self.assertFrench(self.url_open(self.intake_url(intake)), ENGLISH_INTAKE)
        self.assertIn("Merci : votre questionnaire de santé a été envoyé le", text)


@tagged("post_install", "-at_install")
class TestPatientFrenchPhone(FrenchCase):
    """The same French patient in Chromium on a phone."""

    browser_size = "390x844"
    touch_enabled = True

    def test_my_clinic_reads_french_on_a_phone(self):
        self._note(1, [("upper_trapezius", {})])
        self.start_tour(
            "/my/clinic", "trigger_point_clinic_patient_portal_french_phone", login="sol_today"
        )
