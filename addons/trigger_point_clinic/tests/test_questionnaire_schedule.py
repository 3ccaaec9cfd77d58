"""Questionnaires scheduled per episode by the clinic's settings: at the start, every N done
sessions and at discharge, one waiting response per questionnaire at a time."""

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .episode_common import EpisodeCase


@tagged("post_install", "-at_install")
class TestQuestionnaireSchedule(EpisodeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nrs = cls.env.ref("trigger_point_clinic.questionnaire_nrs")
        cls.psfs = cls.env.ref("trigger_point_clinic.questionnaire_psfs")
        cls.pgic = cls.env.ref("trigger_point_clinic.questionnaire_pgic")
        scheduled = cls.nrs | cls.psfs | cls.pgic
        cls.company.write(
            {
                "clinic_questionnaire_ids": [fields.Command.set(scheduled.ids)],
                "clinic_questionnaire_at_start": True,
                "clinic_questionnaire_every": 2,
                "clinic_questionnaire_at_discharge": True,
            }
        )

    def _waiting(self, episode):
        """The codes of the responses waiting on the episode, as Tess's client reads them."""
        found = self.assertRpc(
            "therapist",
            True,
            "clinic.questionnaire.response",
            "search_read",
            [[("episode_id", "=", episode.id), ("state", "=", "draft")], ["questionnaire_id"]],
        )
        codes = {self.nrs.id: "nrs", self.psfs.id: "psfs", self.pgic.id: "pgic"}
        return sorted(codes[r["questionnaire_id"][0]] for r in found)

    def _fill_and_submit(self, episode, questionnaire):
        response = episode.response_ids.filtered(
            lambda r: r.state == "draft" and r.questionnaire_id == questionnaire
        )
        response.answer_ids.write({"value": "4"})
        self.assertRpc(
            "therapist", True, "clinic.questionnaire.response", "action_submit", [response.ids]
        )

    def test_start_every_two_sessions_and_discharge(self):
        episode = self._create_episode()
        # At the start: pain and the patient's activities; no global impression of change yet.
        self.assertEqual(self._waiting(episode), ["nrs", "psfs"])
        self._fill_and_submit(episode, self.nrs)
        self._treat(episode)
        self.assertEqual(self._waiting(episode), ["psfs"])
        self._treat(episode)
        # Second session: asked again, the PSFS still waiting is not asked twice.
        self.assertEqual(self._waiting(episode), ["nrs", "pgic", "psfs"])
        self._fill_and_submit(episode, self.nrs)
        self._fill_and_submit(episode, self.pgic)
        self._treat(episode)
        self.assertEqual(self._waiting(episode), ["psfs"])
        self._discharge_today(episode, "goals_met")
        self.assertEqual(self._waiting(episode), ["nrs", "pgic", "psfs"])

    def test_settings_turn_moments_off(self):
        self.company.write(
            {"clinic_questionnaire_at_start": False, "clinic_questionnaire_every": 0}
        )
        episode = self._create_episode(goal_ids=[])
        self._treat(episode)
        self._treat(episode)
        self.assertEqual(self._waiting(episode), [])
        with self.assertRefused(ValidationError, "between 0 and 52"):
            self.company.clinic_questionnaire_every = -1
