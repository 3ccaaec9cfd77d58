from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ClinicCase


@tagged("post_install", "-at_install")
class TestPatientAccess(ClinicCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patient = cls._make_patient("Cleo Access")
        cls.intake = cls._submit_intake(cls.patient, yes=["varicose_veins"])
        # The therapist reads the record of a patient in their care.
        cls.patient.care_team_ids = cls.user_therapist

    def test_front_desk_creates_patients_and_sends_intakes(self):
        patient = (
            self.env["clinic.patient"]
            .with_user(self.user_front_desk)
            .create({"name": "Dan Desk", "email": "dan@patient.example.com"})
        )
        patient.action_send_intake()
        self.assertEqual(patient.intake_ids.state, "sent")
        self.assertEqual(patient.booking_status, "intake_needed")
        self.assertEqual(patient.sudo().screening_ids.verdict, "missing")

    def test_send_intake_says_whether_the_email_went(self):
        patient = (
            self.env["clinic.patient"]
            .with_user(self.user_front_desk)
            .create({"name": "Mia Mailfail", "email": "mia@patient.example.com"})
        )
        # As on a clinic with no working mail server: sending is tried, the SMTP connection fails.
        mail_server = type(self.env["ir.mail_server"])
        with (
            patch.object(mail_server, "_disable_send", return_value=False),
            patch.object(
                mail_server, "_connect__", side_effect=ConnectionRefusedError("Connection refused")
            ),
        ):
            result = patient.action_send_intake()
        intake = patient.intake_ids
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("Connection refused", result["params"]["message"])
        self.assertEqual(intake.state, "draft", "not marked sent when the e-mail did not go")
        # The link reaches the patient by e-mail only: front desk re-sends, never copies it.
        for field in ("intake_url", "access_token"):
            with self.assertRaises(AccessError):
                intake.read([field])
        result = patient.action_send_intake()
        self.assertEqual(result["params"]["type"], "success")
        self.assertIn("mia@patient.example.com", result["params"]["message"])
        self.assertEqual(intake.state, "sent")
        self.assertIn(
            intake.sudo().access_token, intake.sudo().intake_url, "the link of the latest sending"
        )

    def test_front_desk_sees_booking_status_not_screening(self):
        patient = self.patient.with_user(self.user_front_desk)
        self.assertEqual(patient.booking_status, "bookable")
        self.assertEqual(self.patient.screening_ids.verdict, "cleared_with_precautions")
        with self.assertRaises(AccessError):
            patient.read(["screening_ids"])
        with self.assertRaises(AccessError):
            self.env["clinic.patient.screening"].with_user(self.user_front_desk).search([])

    def test_front_desk_cannot_read_health_answers(self):
        with self.assertRaises(AccessError):
            self.intake.with_user(self.user_front_desk).read(["answer_ids"])
        with self.assertRaises(AccessError):
            self.env["clinic.intake.answer"].with_user(self.user_front_desk).search([])
        with self.assertRaises(AccessError):
            self.env["clinic.clearance"].with_user(self.user_front_desk).search([])

    def test_therapist_and_manager_read_clinical_fields(self):
        for user in (self.user_therapist, self.user_manager):
            with self.subTest(user=user.login):
                patient = self.patient.with_user(user)
                self.assertIn("Varicose veins", patient.screening_ids.reasons)
                answers = self.intake.with_user(user).answer_ids
                self.assertTrue(answers.filtered(lambda a: a.answer == "yes"))

    def test_only_managers_edit_the_catalogue(self):
        values = {"name": "Test entry", "code": "test_entry", "kind": "absolute", "question": "Q?"}
        with self.assertRaises(AccessError):
            self.env["clinic.contraindication"].with_user(self.user_therapist).create(values)
        entry = self.env["clinic.contraindication"].with_user(self.user_manager).create(values)
        self.assertEqual(entry.kind, "absolute")
        intake = self.env["clinic.intake"].create({"patient_id": self.patient.id})
        self.assertIn(entry, intake.answer_ids.contraindication_id, "new entries are asked")
