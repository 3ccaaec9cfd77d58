"""Episodes of care over JSON-RPC, as each role's client calls them: the plan of care, the
sessions that belong to it, the reassessment prompts at half and at the end of the planned
sessions, and who reads an episode at all."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .episode_common import EpisodeCase
from .rpc_matrix import ACCESS


@tagged("post_install", "-at_install")
class TestEpisode(EpisodeCase):
    # ------------------------------------------------------------------ reassessment

    def test_six_sessions_prompt_a_reassessment_at_the_third_and_the_sixth(self):
        episode = self._create_episode()
        counts = []
        for _number in range(7):
            self._treat(episode)
            counts.append(len(self._reassess_activities(episode)))
        # Half of 6 is 3: prompted once there, once more at the sixth, never again.
        self.assertEqual(counts, [0, 0, 1, 1, 1, 2, 2])
        summaries = sorted(a["summary"] for a in self._reassess_activities(episode))
        self.assertEqual(
            summaries,
            [
                "Reassess: half of the planned sessions (3)",
                "Reassess: last planned session (6)",
            ],
        )
        self.assertEqual(episode.done_session_count, 7)

    def test_an_odd_plan_is_reassessed_at_its_rounded_up_half(self):
        episode = self._create_episode(planned_sessions=5)
        counts = []
        for _number in range(5):
            self._treat(episode)
            counts.append(len(self._reassess_activities(episode)))
        self.assertEqual(counts, [0, 0, 1, 1, 2])

    def test_a_no_show_or_a_discharged_episode_prompts_nothing(self):
        episode = self._create_episode(planned_sessions=2)
        session = self._walk(self._draft(self.patient, past=True), "confirmed")
        self.assertRpc("therapist", True, "clinic.session", "action_no_show", [session.ids])
        self.assertFalse(self._reassess_activities(episode))
        self._discharge_today(episode, "patient_choice")
        # A session booked after the discharge belongs to no episode.
        session = self._walk(self._draft(self.patient, past=True), "confirmed")
        self.assertFalse(session.episode_id)

    def test_no_client_marks_a_reassessment_prompted(self):
        episode = self._create_episode()
        for role in ("therapist", "manager"):
            self.assertRpc(
                role,
                "cannot be written directly",
                "clinic.episode",
                "write",
                [episode.ids, {"reassess_half_prompted": True, "reassess_end_prompted": True}],
            )
        self.assertFalse(episode.reassess_half_prompted or episode.reassess_end_prompted)

    # ------------------------------------------------------------------ responders

    def test_responder_classification_at_the_thresholds_and_the_flag(self):
        """NRS 7 -> 6 is 1 point (14 %): no change; -> 5 is 2 points: improved. PPT 1.5 ->
        2.1 is within its minimal detectable change (0.62), -> 2.12 beyond it. After 3 done
        sessions (Settings) without an important change, Tess is flagged once."""
        self.company.clinic_responder_sessions = 3
        episode = self._create_episode()
        self._treat_and_chart(episode, 7, ppt=1.5)
        self.assertEqual(self._status(episode)[0], False)
        self._treat_and_chart(episode, 6, ppt=1.8)
        status, table = self._status(episode)
        self.assertEqual(status, "no_change")
        self.assertIn("Farrar 2001", table)
        self.assertEqual(self._no_change_flags(episode), 0)
        self._treat_and_chart(episode, 6, ppt=2.1)
        self.assertEqual(self._status(episode)[0], "no_change")
        self.assertEqual(self._no_change_flags(episode), 1)
        outcomes = {o["code"]: o["result"] for o in episode._outcomes()}
        self.assertEqual(outcomes, {"nrs": "no_change", "ppt": "no_change"})
        self._treat_and_chart(episode, 5, ppt=2.12)
        status, table = self._status(episode)
        self.assertEqual(status, "improved")
        outcomes = {o["code"]: o["result"] for o in episode._outcomes()}
        self.assertEqual(outcomes, {"nrs": "improved", "ppt": "improved"})
        self.assertIn("Improved", table)
        self._treat_and_chart(episode, 5)
        self.assertEqual(self._no_change_flags(episode), 1)

    def test_a_patient_getting_worse_is_flagged(self):
        self.company.clinic_responder_sessions = 2
        episode = self._create_episode()
        self._treat_and_chart(episode, 4)
        self._treat_and_chart(episode, 6)
        self.assertEqual(self._status(episode)[0], "worse")
        self.assertEqual(self._no_change_flags(episode), 1)
        self.assertRpc(
            "therapist",
            "cannot be written directly",
            "clinic.episode",
            "write",
            [episode.ids, {"no_change_flagged": False}],
        )

    def test_the_setting_is_bounded(self):
        with self.assertRefused(ValidationError, "between 1 and 52 sessions"):
            self.company.clinic_responder_sessions = 0

    # ------------------------------------------------------------------ the plan of care

    def test_sessions_booked_before_or_after_the_episode_join_it(self):
        before = self._draft(self.patient)
        episode = self._create_episode()
        self.assertEqual(before.episode_id, episode)
        booked = self.assertRpc(
            "front_desk",
            True,
            "clinic.session",
            "create",
            [{**self._free_slot(), "patient_id": self.patient.id}],
        )
        self.assertEqual(self.env["clinic.session"].browse(booked).episode_id, episode)
        # Tom's sessions are not Sol's episode's.
        self.assertFalse(self._draft(self.patient_2).episode_id)
        self.assertEqual(episode.goal_ids.mapped("activity")[0], "Drive an hour without pain")

    def test_one_open_episode_per_patient(self):
        self._create_episode()
        message = self.assertRpc(
            "therapist",
            "one open episode of care at a time",
            "clinic.episode",
            "create",
            [{"patient_id": self.patient.id, "complaint": "Another complaint."}],
        )
        self.assertIn("discharge the open one", message)
        self.assertEqual(
            self.env["clinic.episode"].search_count([("patient_id", "=", self.patient.id)]), 1
        )

    def test_a_discharge_needs_its_reason_and_a_date_after_the_start(self):
        episode = self._create_episode()
        today = fields.Date.to_string(fields.Date.today())
        self.assertRpc(
            "therapist",
            "Discharge reason is missing",
            "clinic.episode",
            "write",
            [episode.ids, {"date_discharge": today}],
        )
        self.assertRpc(
            "therapist",
            "before the start of the episode",
            "clinic.episode",
            "write",
            [
                episode.ids,
                {
                    "date_discharge": fields.Date.to_string(self.year_ago - timedelta(days=1)),
                    "discharge_reason": "goals_met",
                },
            ],
        )
        self.assertRpc(
            "therapist",
            "Planned sessions must be between 1 and 52",
            "clinic.episode",
            "write",
            [episode.ids, {"planned_sessions": 0}],
        )
        self.assertEqual((episode.state, episode.planned_sessions), ("open", 6))

    def test_a_session_cannot_join_another_patients_episode(self):
        episode = self._create_episode()
        session = self._draft(self.patient_2)
        self.assertRpc(
            "manager",
            "is another patient's",
            "clinic.session",
            "write",
            [session.ids, {"episode_id": episode.id}],
        )
        self.assertFalse(session.episode_id)

    # ------------------------------------------------------------------ who reads it

    def test_front_desk_reads_no_episode_goal_or_reassessment(self):
        episode = self._create_episode()
        episode.reassessment_ids.create(
            {"episode_id": episode.id, "findings": "Better rotation.", "decision": "continue"}
        )
        for model, ids in (
            ("clinic.episode", episode.ids),
            ("clinic.episode.goal", episode.goal_ids.ids),
            ("clinic.episode.reassessment", episode.reassessment_ids.ids),
        ):
            with self.subTest(model=model):
                self.assertRpc("front_desk", ACCESS, model, "read", [ids])
                self.assertRpc("front_desk", ACCESS, model, "search_read", [[]])
        self.assertRpc(
            "front_desk",
            ACCESS,
            "clinic.episode",
            "create",
            [{"patient_id": self.patient.id, "complaint": "Front desk guess."}],
        )
        session = self._draft(self.patient)
        self.assertRpc(
            "front_desk", ACCESS, "clinic.session", "read", [session.ids, ["episode_id"]]
        )
        self.assertRpc(
            "front_desk", ACCESS, "clinic.patient", "read", [self.patient.ids, ["episode_ids"]]
        )
        # Her own form of the session and the patient still open, without the episode.
        for model, record in (("clinic.session", session), ("clinic.patient", self.patient)):
            views = self.assertRpc(
                "front_desk", True, model, "get_views", [[[False, "form"]]], {"options": {}}
            )
            self.assertNotIn("episode", views["views"]["form"]["arch"])
            self.assertRpc("front_desk", True, model, "read", [record.ids, ["display_name"]])

    def test_therapists_read_the_episodes_of_patients_in_their_care(self):
        episode = self._create_episode()
        toms = self._create_episode("manager", patient=self.patient_2)
        self.assertEqual(
            self.assertRpc("therapist", True, "clinic.episode", "search", [[]]), episode.ids
        )
        self.assertRpc("therapist", ACCESS, "clinic.episode", "read", [toms.ids, ["complaint"]])
        self.assertRpc(
            "therapist",
            ACCESS,
            "clinic.episode.goal",
            "read",
            [toms.goal_ids.ids, ["activity"]],
        )
        self.assertRpc(
            "therapist",
            ACCESS,
            "clinic.episode",
            "create",
            [{"patient_id": self.nadia.id, "complaint": "Not in my care."}],
        )
        for role in ("manager", "administrator"):
            found = self.assertRpc(role, True, "clinic.episode", "search", [[]])
            self.assertTrue({episode.id, toms.id} <= set(found))
        self.assertRpc("portal", ACCESS, "clinic.episode", "read", [episode.ids, ["complaint"]])
