"""The letter to the referring physician, sent from the episode by e-mail and read where it
arrives: its content (episode, screening and clearances, treatment per region, outcomes with
their clinically important change) and its disclosure in the access log."""

from odoo.tests import tagged

from .episode_common import EpisodeCase
from .mail_common import RealMailCase
from .rpc_matrix import ACCESS


@tagged("post_install", "-at_install")
class TestEpisodeLetter(RealMailCase, EpisodeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.doctor = cls.env["res.partner"].create(
            {"name": "Dr. Letterman", "email": "letterman@physician.example.com"}
        )

    def _six_sessions(self):
        self.patient.referring_physician_id = self.doctor
        episode = self._create_episode()
        for pain in (7, 7, 6, 6, 5, 5):
            self._treat_and_chart(episode, pain)
        return episode

    def _disclosures(self, episode):
        self.env.flush_all()
        return (
            self.env["clinic.access.log"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "clinic.episode"),
                    ("res_id", "=", episode.id),
                    ("access_type", "=", "disclosure"),
                ]
            )
        )

    def test_the_letter_reaches_the_physician_and_is_a_logged_disclosure(self):
        episode = self._six_sessions()
        self.assertEqual(episode.done_session_count, 6)
        self.assertRpc("therapist", True, "clinic.episode", "action_send_letter", [episode.ids])
        # Odoo sends a notification at once, or queues it: either way it leaves.
        queued = self.env["mail.mail"].sudo().search([("state", "=", "outgoing")])
        if queued:
            self.env["mail.mail"].sudo().process_email_queue(queued.ids)
        mail = self.received_one("letterman@physician.example.com", "Progress letter")
        self.assertIn("Sol Session", str(mail["Subject"]))
        (attachment,) = list(mail.iter_attachments())
        self.assertTrue(attachment.get_filename().startswith("Letter - Sol Session"))
        letter = attachment.get_content()
        letter = letter.decode() if isinstance(letter, bytes) else letter
        for expected in (
            "Neck pain when driving",  # the complaint
            "Drive an hour without pain",  # a goal in the patient's words
            "Upper trapezius",  # treatment per region
            "Pressure-release",
            "Improved",  # NRS 7 -> 5: 2 points
            "Farrar 2001",
            "No home care prescribed",
        ):
            self.assertIn(expected, letter)
        # Sessions done of planned.
        self.assertRegex(letter, r"<span>6</span> of\s*<span>6</span> planned sessions")
        (entry,) = self._disclosures(episode)
        self.assertEqual((entry.user_id, entry.patient_id), (self.user_therapist, self.patient))

    def test_front_desk_sends_no_letter_and_a_missing_address_says_what_to_fix(self):
        episode = self._six_sessions()
        self.assertRpc("front_desk", ACCESS, "clinic.episode", "action_send_letter", [episode.ids])
        self.doctor.email = False
        self.assertRpc(
            "therapist",
            "Dr. Letterman has no e-mail address: add it",
            "clinic.episode",
            "action_send_letter",
            [episode.ids],
        )
        self.patient.referring_physician_id = False
        self.assertRpc(
            "therapist",
            "has no referring physician: set Referring Physician",
            "clinic.episode",
            "action_send_letter",
            [episode.ids],
        )
        self.assertFalse(self._disclosures(episode))
        self.assertFalse(
            self.env["mail.message"]
            .search([("model", "=", "clinic.episode"), ("res_id", "=", episode.id)])
            .filtered("attachment_ids")
        )
