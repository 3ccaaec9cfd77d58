from odoo.tests import tagged

from .common import ClinicCase


@tagged("post_install", "-at_install")
class TestDemoData(ClinicCase):
    def _demo(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "=", "trigger_point_clinic"), ("model", "=", model)]
        )
        records = self.env[model].browse(data.mapped("res_id")).exists()
        if not records:
            self.skipTest("the database was installed without demo data")
        return records

    def test_demo_patients_cover_every_verdict(self):
        patients = self._demo("clinic.patient")
        self.assertGreaterEqual(len(patients), 20)
        verdicts = set(patients.mapped("screening_verdict"))
        expected = {
            "missing",
            "expired",
            "do_not_treat",
            "clearance_required",
            "cleared_with_precautions",
            "clear",
        }
        self.assertEqual(verdicts, expected)

    def test_demo_clinic_has_therapists_rooms_and_booked_weeks(self):
        therapists = self._demo("clinic.therapist")
        rooms = self._demo("clinic.room")
        plans = self._demo("clinic.plan")
        self.assertEqual((len(therapists), len(rooms)), (3, 2))
        self.assertTrue(all(t.user_id and t.calendar_id for t in therapists))
        self.assertEqual(set(plans.mapped("state")), {"active"})
        upcoming = plans.session_ids.filtered(lambda s: s.state == "draft")
        self.assertGreaterEqual(len(upcoming), len(plans) * 3)
        self.assertTrue(plans.skip_ids, "the demo leave shows as skipped slots")
