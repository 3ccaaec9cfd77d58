"""What works, per clinic: the managers' pivot of episodes per region, technique, pressure and
therapist, read over JSON-RPC as the web client's pivot reads it."""

from odoo.tests import tagged

from .episode_common import EpisodeCase
from .rpc_matrix import ACCESS


@tagged("post_install", "-at_install")
class TestWhatWorks(EpisodeCase):
    def _pivot(self, role, groupby, outcome=True):
        self.env.flush_all()
        return self.assertRpc(
            role,
            outcome,
            "clinic.what.works",
            "formatted_read_group",
            [
                [],
                groupby,
                ["episodes:sum", "responder_rate:sum", "nrs_change:avg", "sessions_to_mcid:avg"],
            ],
        )

    def test_responders_mean_change_and_sessions_to_an_important_change(self):
        """Sol: NRS 7, 6, 5 responds at her third session (2 points); Tom: 6, 6, 5 does not
        (1 point, 17 %). Together: 2 episodes, 50 % responders, mean change -1.5."""
        sol = self._create_episode()
        for pain in (7, 6, 5):
            self._treat_and_chart(sol, pain)
        tom = self._create_episode("manager", patient=self.patient_2)
        for pain in (6, 6, 5):
            self._treat_and_chart(tom, pain)
        (group,) = self._pivot("manager", ["region_id"])
        self.assertEqual(group["region_id"][0], self._region("upper_trapezius").id)
        self.assertEqual(group["episodes:sum"], 2)
        self.assertAlmostEqual(group["responder_rate:sum"], 50.0)
        self.assertAlmostEqual(group["nrs_change:avg"], -1.5)
        self.assertAlmostEqual(group["sessions_to_mcid:avg"], 3.0)
        by_technique = self._pivot("administrator", ["technique", "pressure", "therapist_id"])
        self.assertEqual(
            [(g["technique"], g["therapist_id"][0]) for g in by_technique],
            [("pressure_release", self.therapist.id)],
        )

    def test_only_managers_read_it(self):
        for role in ("therapist", "front_desk", "portal"):
            self._pivot(role, ["region_id"], outcome=ACCESS)
