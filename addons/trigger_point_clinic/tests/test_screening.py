import base64
from datetime import date, timedelta

import psycopg2
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ClinicCase
from .frozen_common import refused_in_sql


@tagged("post_install", "-at_install")
class TestScreeningVerdicts(ClinicCase):
    def test_no_intake_means_no_treatment(self):
        patient = self._make_patient()
        self.assertEqual(patient.screening_ids.verdict, "missing")
        with self.assertRefused(UserError, "No submitted intake"):
            patient._check_treatment_allowed()

    def test_clear(self):
        patient = self._make_patient()
        self._submit_intake(patient)
        self.assertEqual(patient.screening_ids.verdict, "clear")
        self.assertFalse(patient.screening_ids.reasons)
        result = patient._check_treatment_allowed()
        self.assertEqual(result["verdict"], "clear")

    def test_absolute_means_do_not_treat(self):
        patient = self._make_patient()
        self._submit_intake(patient, yes=["dvt", "open_wound"], medications=["anticoagulant"])
        self.assertEqual(patient.screening_ids.verdict, "do_not_treat")
        self.assertIn("Deep vein thrombosis", patient.screening_ids.reasons)
        with self.assertRefused(UserError, "Deep vein thrombosis"):
            patient._check_treatment_allowed()

    def test_relative_needs_clearance_then_clearance_lifts_it(self):
        patient = self._make_patient()
        self._submit_intake(patient, yes=["severe_osteoporosis"])
        self.assertEqual(patient.screening_ids.verdict, "clearance_required")
        self.assertIn(
            "Physician clearance needed for: Severe osteoporosis", patient.screening_ids.reasons
        )
        with self.assertRefused(UserError, "Severe osteoporosis"):
            patient._check_treatment_allowed()
        clearance = self._clearance(patient, "severe_osteoporosis")
        self.assertEqual(
            clearance.date_expiry, fields.Date.today() + timedelta(days=365), "default validity"
        )
        self.assertEqual(patient.screening_ids.verdict, "cleared_with_precautions")
        self.assertEqual(patient.screening_ids.max_pressure, "light")
        self.assertIn("light pressure", patient.screening_ids.precautions)
        patient._check_treatment_allowed()

    def test_clearance_of_another_contraindication_does_not_lift(self):
        patient = self._make_patient()
        self._submit_intake(patient, yes=["severe_osteoporosis", "cancer_treatment"])
        self._clearance(patient, "cancer_treatment")
        self.assertEqual(patient.screening_ids.verdict, "clearance_required")
        self.assertIn("Severe osteoporosis", patient.screening_ids.reasons)
        self.assertNotIn("Cancer", patient.screening_ids.reasons)

    def test_local_excludes_region_and_its_muscles(self):
        patient = self._make_patient()
        self._submit_intake(patient, yes=["varicose_veins"])
        self.assertEqual(patient.screening_ids.verdict, "cleared_with_precautions")
        self.assertIn(self._region("leg"), patient.screening_ids.excluded_region_ids)
        self.assertIn(self._region("gastrocnemius"), patient.screening_ids.excluded_region_ids)
        self.assertNotIn(self._region("arm"), patient.screening_ids.excluded_region_ids)
        self.assertEqual(
            patient.screening_ids.avoid_region_ids,
            self._region("leg"),
            "the patient form names the region",
        )

    def test_first_trimester_excludes_abdomen_and_sacrum(self):
        patient = self._make_patient()
        self._submit_intake(patient, pregnant=True, pregnancy_trimester="1")
        self.assertEqual(patient.screening_ids.verdict, "cleared_with_precautions")
        self.assertEqual(
            patient.screening_ids.excluded_region_ids,
            self._region("abdomen") | self._region("sacrum"),
        )
        other = self._make_patient("Bea Second")
        self._submit_intake(other, pregnant=True, pregnancy_trimester="2")
        self.assertEqual(other.screening_ids.verdict, "clear")

    def test_recent_surgery_needs_clearance(self):
        patient = self._make_patient()
        self._submit_intake(
            patient,
            recent_surgery=True,
            surgery_date=date.today() - timedelta(days=20),
            surgery_site="left knee",
        )
        self.assertEqual(patient.screening_ids.verdict, "clearance_required")
        self.assertIn("Recent surgery", patient.screening_ids.reasons)

    def test_anticoagulant_caps_pressure(self):
        patient = self._make_patient()
        self._submit_intake(patient, medications=["anticoagulant"])
        self.assertEqual(patient.screening_ids.verdict, "cleared_with_precautions")
        self.assertEqual(patient.screening_ids.max_pressure, "moderate")
        self.assertIn("Anticoagulant", patient.screening_ids.precautions)


@tagged("post_install", "-at_install")
class TestScreeningOverTime(ClinicCase):
    def test_clearance_expiry(self):
        patient = self._make_patient()
        self._submit_intake(patient, yes=["thrombocytopenia"])
        clearance = self._clearance(
            patient,
            date_issued=date.today() - timedelta(days=10),
            date_expiry=date.today() + timedelta(days=5),
        )
        self.assertEqual(patient.screening_ids.verdict, "cleared_with_precautions")
        self.assertEqual(
            patient.screening_ids.review_date, clearance.date_expiry + timedelta(days=1)
        )
        later = fields.Datetime.now() + timedelta(days=6)
        with self.assertRefused(UserError, "Thrombocytopenia"):
            patient._check_treatment_allowed(when=later)
        with freeze_time(clearance.date_expiry + timedelta(days=1)):
            self.assertIn(patient, self.env["clinic.patient.screening"]._cron_rescreen().patient_id)
            self.assertEqual(patient.screening_ids.verdict, "clearance_required")

    def test_revoked_clearance_no_longer_clears(self):
        patient = self._make_patient()
        self._submit_intake(patient, yes=["thrombocytopenia"])
        clearance = self._clearance(patient)
        self.assertEqual(patient.screening_ids.verdict, "cleared_with_precautions")
        with self.assertRefused(ValidationError, "revoke it"):
            clearance.date_expiry = date.today() + timedelta(days=365)
        with self.assertRefused(ValidationError, "reason"):
            clearance.action_revoke("  ")
        clearance.with_user(self.user_manager).action_revoke("Recorded for the wrong patient.")
        self.assertEqual(clearance.state, "revoked")
        self.assertEqual(patient.screening_ids.verdict, "clearance_required")

    def test_intake_expiry_and_setting(self):
        patient = self._make_patient()
        self._submit_intake(patient, days_ago=370)
        self.assertEqual(patient.screening_ids.verdict, "expired")
        with self.assertRefused(UserError, "new intake"):
            patient._check_treatment_allowed()
        self.company.clinic_intake_validity_months = 18
        self.assertEqual(patient.screening_ids.verdict, "clear")

    def test_daily_cron_rescreens_due_patients(self):
        patient = self._make_patient()
        self._submit_intake(patient, days_ago=300)
        self.assertEqual(patient.screening_ids.verdict, "clear")
        # The calendar moves on: the stored verdict is stale until the daily check runs.
        with freeze_time(fields.Date.today() + timedelta(days=100)):
            self.assertEqual(patient.screening_ids.verdict, "clear")
            rescreened = self.env["clinic.patient.screening"]._cron_rescreen().patient_id
            self.assertIn(patient, rescreened)
            self.assertEqual(patient.screening_ids.verdict, "expired")

    def test_new_intake_supersedes_and_rescreens(self):
        patient = self._make_patient()
        first = self._submit_intake(patient, yes=["fever"])
        self.assertEqual(patient.screening_ids.verdict, "do_not_treat")
        second = self._submit_intake(patient)
        # Fever no longer applies: that relaxes the screening, which waits for a therapist.
        self.assertFalse(first.superseded_by_id)
        self.assertEqual(patient.pending_intake_id, second)
        self.assertEqual(patient.screening_ids.verdict, "do_not_treat")
        second.with_user(self.user_manager).action_review()
        self.assertEqual(first.superseded_by_id, second)
        self.assertEqual(patient.current_intake_id, second)
        self.assertEqual((first.version, second.version), (1, 2))
        self.assertEqual(patient.screening_ids.verdict, "clear")
        self.assertTrue(
            first.answer_ids.filtered(lambda a: a.answer == "yes"), "the old intake stays readable"
        )

    def test_two_intakes_of_one_patient_never_share_a_version(self):
        """Made at once (the second did not see the first): PostgreSQL refuses the second."""
        patient = self._make_patient()
        first = self.env["clinic.intake"].create({"patient_id": patient.id})
        self.env.flush_all()
        with refused_in_sql(self, psycopg2.errors.UniqueViolation):
            self.env.cr.execute(
                "INSERT INTO clinic_intake (patient_id, version, state)"
                " SELECT patient_id, version, 'draft' FROM clinic_intake WHERE id = %s",
                [first.id],
            )

    def test_change_of_health_is_a_new_version_that_rescreens(self):
        patient = self._make_patient()
        intake = self._submit_intake(patient)
        self.assertEqual(patient.screening_ids.verdict, "clear")
        answer = intake.answer_ids.filtered(
            lambda a: a.contraindication_id == self._contraindication("acute_inflammation")
        )
        with self.assertRefused(UserError, "does not change: start a new intake"):
            answer.answer = "yes"
        with self.assertRefused(UserError, "does not change"):
            intake.medication_ids = self._contraindication("corticosteroid")
        self.assertEqual(answer.answer, "no")
        self._submit_intake(patient, yes=["acute_inflammation"])
        self.assertEqual(patient.screening_ids.verdict, "clearance_required")
        relaxing = self._submit_intake(patient, medications=["corticosteroid"])
        self.assertEqual(patient.screening_ids.verdict, "clearance_required")
        relaxing.with_user(self.user_manager).action_review()
        self.assertEqual(patient.screening_ids.verdict, "cleared_with_precautions")

    def test_unanswered_question_is_not_no(self):
        patient = self._make_patient()
        intake = self.env["clinic.intake"].create({"patient_id": patient.id})
        intake.answer_ids[1:].write({"answer": "no"})
        intake.write(
            {
                "consent": True,
                "signer_name": patient.name,
                "signature": base64.b64encode(self._signature_png()),
            }
        )
        with self.assertRefused(UserError, r"answer yes or no to every health question \(1 "):
            intake.action_submit()
        self.assertEqual(patient.screening_ids.verdict, "missing")


@tagged("post_install", "-at_install")
class TestScreeningOverride(ClinicCase):
    def _override_as(self, user, patient, reason):
        """``user`` overrides ``patient``'s screening for ``reason``."""
        return (
            self.env["clinic.screening.override"]
            .with_user(user)
            .create({"patient_id": patient.id, "reason": reason})
        )

    def test_therapist_cannot_override(self):
        patient = self._make_patient()
        with self.assertRefused(AccessError, "not allowed to create 'Screening Override'"):
            self._override_as(self.user_therapist, patient, "The patient insists very much.")
        self.assertFalse(patient.override_ids)

    def test_manager_override_needs_a_reason(self):
        patient = self._make_patient()
        with self.assertRefused(ValidationError, "Reason"):
            self._override_as(self.user_manager, patient, "   ok  ")
        self.assertFalse(patient.override_ids)

    def test_override_reason_stays_off_the_patient_chatter(self):
        patient = self._make_patient()
        self._submit_intake(patient, yes=["severe_osteoporosis"])
        self._override_as(self.user_manager, patient, "Clearance letter seen, scan to follow.")
        bodies = " ".join(patient.message_ids.mapped("body"))
        self.assertNotIn("Clearance letter seen", bodies, "front desk reads the chatter")
        with self.assertRaises(AccessError):
            patient.with_user(self.user_front_desk).read(["override_ids"])


@tagged("post_install", "-at_install")
class TestBadInput(ClinicCase):
    def test_pain_out_of_range(self):
        patient = self._make_patient()
        intake = self.env["clinic.intake"].create({"patient_id": patient.id})
        for pain in (11, -1):
            with self.subTest(pain=pain), self.assertRefused(ValidationError, "0 .* to 10"):
                intake.write(
                    {
                        "pain_ids": [
                            fields.Command.create(
                                {"region_id": self._region("leg").id, "pain": pain}
                            )
                        ]
                    }
                )
        self.assertFalse(intake.pain_ids)

    def test_birthdate_in_future(self):
        patient = self._make_patient()
        with self.assertRefused(ValidationError, "Date of Birth .* future"):
            patient.birthdate = date.today() + timedelta(days=1)

    def test_surgery_date_in_future(self):
        patient = self._make_patient()
        intake = self.env["clinic.intake"].create({"patient_id": patient.id})
        with self.assertRefused(ValidationError, "Surgery or Trauma Date"):
            intake.write({"recent_surgery": True, "surgery_date": date.today() + timedelta(days=3)})
        self.assertFalse(intake.surgery_date)

    def test_trimester_without_pregnancy(self):
        patient = self._make_patient()
        intake = self.env["clinic.intake"].create({"patient_id": patient.id})
        with self.assertRefused(ValidationError, "Pregnant"):
            intake.write({"pregnancy_trimester": "2"})

    def test_submit_without_signature_or_consent(self):
        patient = self._make_patient()
        intake = self.env["clinic.intake"].create({"patient_id": patient.id})
        with self.assertRefused(UserError, "tick the consent .* sign the form"):
            intake.action_submit()
        self.assertEqual(intake.state, "draft")
        self.assertEqual(patient.screening_ids.verdict, "missing")

    def test_clearance_expiring_before_issue(self):
        patient = self._make_patient()
        with self.assertRefused(ValidationError, "before its date"):
            self._clearance(
                patient, date_issued=date.today(), date_expiry=date.today() - timedelta(days=1)
            )
