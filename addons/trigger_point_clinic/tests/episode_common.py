"""Fixtures of the episode tests: an episode of Sol (in Tess's care) made over JSON-RPC, and
sessions of it that Tess treats and charts in her client."""

from datetime import timedelta

from odoo import fields

from ..models.clinic_episode import REASSESS_TYPE
from ..models.clinic_episode_outcome import NO_CHANGE_TYPE
from .rpc_common import RpcCase


class EpisodeCase(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year_ago = fields.Date.today() - timedelta(days=365)

    @classmethod
    def _ask_nrs_at_start(cls, **company):
        """The clinic asks the pain scale (``cls.nrs``) at the start of every episode; the
        company's other ``company`` values written with it."""
        cls.nrs = cls.env.ref("trigger_point_clinic.questionnaire_nrs")
        cls.company.write(
            {
                "clinic_questionnaire_ids": [fields.Command.set(cls.nrs.ids)],
                "clinic_questionnaire_at_start": True,
                **company,
            }
        )

    def _create_episode(self, role="therapist", patient=None, **vals):
        values = {
            "patient_id": (patient or self.patient).id,
            "complaint": "Neck pain when driving, headaches in the evening.",
            "planned_sessions": 6,
            "date_start": fields.Date.to_string(self.year_ago),
            "region_ids": [fields.Command.set(self._region("upper_trapezius").ids)],
            "goal_ids": [
                fields.Command.create({"activity": "Drive an hour without pain"}),
                fields.Command.create({"activity": "Look over my shoulder when parking"}),
            ],
            **vals,
        }
        episode_id = self.assertRpc(role, True, "clinic.episode", "create", [values])
        return self.env["clinic.episode"].browse(episode_id)

    def _discharge_today(self, episode, reason):
        """Tess discharges ``episode`` today for ``reason``, in her client."""
        self.assertRpc(
            "therapist",
            True,
            "clinic.episode",
            "write",
            [
                episode.ids,
                {
                    "date_discharge": fields.Date.to_string(fields.Date.today()),
                    "discharge_reason": reason,
                },
            ],
        )

    def _treat(self, episode):
        """One past session of the episode's patient with Tess, started and finished by Tess
        in her client."""
        session = self._walk(self._draft(episode.patient_id, past=True), "confirmed")
        self.assertEqual(session.episode_id, episode)
        self.assertRpc("therapist", True, "clinic.session", "action_start", [session.ids])
        self.assertRpc("therapist", True, "clinic.session", "action_done", [session.ids])
        return session

    def _reassess_activities(self, episode):
        """The Reassess activities Tess sees on the episode in her client."""
        return self.assertRpc(
            "therapist",
            True,
            "mail.activity",
            "search_read",
            [
                [
                    ("res_model", "=", "clinic.episode"),
                    ("res_id", "=", episode.id),
                    ("activity_type_id", "=", self.env.ref(REASSESS_TYPE).id),
                    ("user_id", "=", self.user_therapist.id),
                ],
                ["summary"],
            ],
        )

    def _treat_and_chart(self, episode, pain, ppt=None):
        """A session of the episode whose signed note charts the upper trapezius with the NRS
        before treatment ``pain`` (and a PPT of ``ppt`` kg/cm2 on the left)."""
        session = self._treat(episode)
        note = (
            self.env["clinic.treatment.note"]
            .with_user(self.user_therapist)
            .create({"session_id": session.id})
        )
        note.line_ids.create(
            {
                "note_id": note.id,
                "region_id": self._region("upper_trapezius").id,
                "side": "left",
                "technique": "pressure_release",
                "minutes": 10,
                "pain_before": pain,
                "pain_after": max(pain - 2, 0),
                "ppt_measured": ppt is not None,
                "ppt": ppt or 0.0,
            }
        )
        note.with_user(self.user_therapist).action_sign()
        return note

    def _status(self, episode):
        (values,) = self.assertRpc(
            "therapist",
            True,
            "clinic.episode",
            "read",
            [episode.ids, ["responder_status", "outcome_summary"]],
        )
        return values["responder_status"], values["outcome_summary"]

    def _no_change_flags(self, episode):
        return self.env["mail.activity"].search_count(
            [
                ("res_model", "=", "clinic.episode"),
                ("res_id", "=", episode.id),
                ("activity_type_id", "=", self.env.ref(NO_CHANGE_TYPE).id),
                ("user_id", "=", self.user_therapist.id),
            ]
        )
