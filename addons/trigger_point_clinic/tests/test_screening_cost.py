"""Screening a patient costs the same number of queries whatever the size of the catalogue and
of the patient's history: it runs on every booking, start and end of a session."""

from datetime import date, timedelta

from odoo import fields
from odoo.tests import tagged

from .common import ClinicCase


@tagged("post_install", "-at_install")
class TestScreeningCost(ClinicCase):
    def _queries_to_screen(self, patient):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = patient._check_treatment_allowed()
        return self.env.cr.sql_log_count - before, result

    def test_queries_do_not_grow_with_catalogue_or_history(self):
        patient = self._make_patient("Quinn Queries")
        self._submit_intake(
            patient, yes=["varicose_veins"], medications=["anticoagulant"], pain={"leg": 3}
        )
        self._clearance(patient)
        small, result = self._queries_to_screen(patient)
        self.assertEqual(result["verdict"], "cleared_with_precautions")

        # A catalogue three times larger, ten older intakes, ten more clearances.
        catalogue = self.env["clinic.contraindication"]
        regions = self.env["clinic.body.region"].search([("kind", "=", "region")])
        catalogue.create(
            [
                {
                    "name": f"Extra condition {n}",
                    "code": f"extra_{n}",
                    "kind": ("absolute", "relative", "local")[n % 3],
                    "question": f"Extra question {n}?",
                    "region_ids": [fields.Command.set(regions[:2].ids)] if n % 3 == 2 else [],
                }
                for n in range(40)
            ]
        )
        for _n in range(10):
            self._submit_intake(patient, yes=["varicose_veins"], medications=["anticoagulant"])
        for days in range(10):
            self._clearance(
                patient,
                date_issued=date.today() - timedelta(days=400 + days),
                date_expiry=date.today() - timedelta(days=300),
            )
        large, result = self._queries_to_screen(patient)
        self.assertEqual(result["verdict"], "cleared_with_precautions")
        self.assertGreater(len(patient.current_intake_id.answer_ids), 50)
        self.assertEqual(large, small, "screening reads the same number of times")
