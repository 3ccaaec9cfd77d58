"""The research export, as a manager downloads it: de-identified CSV and a FHIR bundle that
``fhir.resources`` validates, with nothing from the patient's record that identifies them;
managers only, and every export logged."""

import base64
import csv
import io
import json
from datetime import date

from odoo import fields
from odoo.tests import tagged

from .episode_common import EpisodeCase
from .rpc_matrix import ACCESS


@tagged("post_install", "-at_install")
class TestResearchExport(EpisodeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patient.write(
            {
                "birthdate": date(1987, 6, 14),
                "phone": "+33 6 12 34 56 78",
                "street": "12 Rue des Lilas",
                "city": "Montreuil",
                "zip": "93100",
                "emergency_contact_name": "Camille Session",
                "emergency_contact_phone": "+33 6 98 76 54 32",
            }
        )

    def _episode_with_outcomes(self):
        episode = self._create_episode()
        for pain, ppt in ((7, 1.4), (6, 1.7), (5, 2.1)):
            self._treat_and_chart(episode, pain, ppt=ppt)
        response = self.env["clinic.questionnaire.response"].create(
            {
                "episode_id": episode.id,
                "questionnaire_id": self.env.ref("trigger_point_clinic.questionnaire_nrs").id,
            }
        )
        response.answer_ids.write({"value": "4"})
        response.action_submit()
        return episode

    def _export(self, role="manager"):
        action = self.assertRpc(role, True, "clinic.research.export", "action_generate")
        (record,) = self.assertRpc(
            role,
            True,
            "clinic.research.export",
            "read",
            [[action["res_id"]], ["name", "csv_file", "fhir_file", "episode_count"]],
        )
        return (
            record,
            base64.b64decode(record["csv_file"]).decode(),
            base64.b64decode(record["fhir_file"]).decode(),
        )

    def test_the_export_is_valid_fhir_and_identifies_nobody(self):
        from fhir.resources.R4B.bundle import Bundle

        episode = self._episode_with_outcomes()
        record, text, bundle = self._export()
        parsed = Bundle.model_validate(json.loads(bundle))
        kinds = sorted({entry.resource.__resource_type__ for entry in parsed.entry})
        self.assertEqual(kinds, ["Observation", "QuestionnaireResponse"])
        rows = list(csv.DictReader(io.StringIO(text)))
        mine = [row for row in rows if (row["source"], row["measure"]) == ("note", "nrs")]
        self.assertEqual([row["value"] for row in mine], ["7", "6", "5"])
        self.assertEqual({row["age_band"] for row in mine}, {"30-39"})
        self.assertTrue(all(row["day"].isdigit() for row in rows))
        (score,) = [row for row in rows if row["source"] == "questionnaire"]
        self.assertEqual((score["measure"], score["what"], score["value"]), ("nrs", "score", "4.0"))
        partner = self.patient.partner_id
        identifiers = {
            self.patient.name,
            *self.patient.name.split(),
            self.patient.email,
            partner.phone,
            partner.street,
            partner.city,
            partner.zip,
            self.patient.emergency_contact_name,
            self.patient.emergency_contact_phone,
            "1987",
            "14/06",
            "06/14",
            fields.Date.to_string(self.patient.birthdate),
            fields.Date.to_string(episode.date_start),
            fields.Date.to_string(fields.Date.today()),
            *(fields.Date.to_string(s.start.date()) for s in episode.session_ids),
        }
        for export in (text, bundle):
            for identifier in identifiers:
                self.assertNotIn(identifier, export)
        self.assertEqual(record["episode_count"], 1)

    def test_every_export_is_logged_and_draws_new_subject_ids(self):
        episode = self._episode_with_outcomes()
        first = self._export()
        second = self._export("administrator")
        subjects = [
            {row["subject"] for row in csv.DictReader(io.StringIO(export[1]))}
            for export in (first, second)
        ]
        self.assertFalse(subjects[0] & subjects[1])
        self.assertNotEqual(first[0]["name"], second[0]["name"])
        self.env.flush_all()
        logged = (
            self.env["clinic.access.log"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "clinic.episode"),
                    ("res_id", "=", episode.id),
                    ("access_type", "=", "export"),
                ]
            )
        )
        self.assertEqual(logged.user_id, self.user_manager | self.user_administrator)
        exports = self.env["clinic.research.export"].search([])
        self.assertEqual(exports.user_id, self.user_manager | self.user_administrator)

    def test_the_export_refuses_non_managers(self):
        self._episode_with_outcomes()
        for role in ("therapist", "front_desk", "portal"):
            self.assertRpc(role, ACCESS, "clinic.research.export", "action_generate")
        self.assertFalse(self.env["clinic.research.export"].search([]))
        self.assertRpc(
            "manager",
            ACCESS,
            "clinic.research.export",
            "create",
            [{"name": "forged", "user_id": self.user_therapist.id, "company_id": self.company.id}],
        )
