import base64
import html
import re
import struct
import zlib

from odoo.tests import HttpCase, tagged

from .common import csrf_of
from .intake_proof import IntakeProofMixin


def _png_header(width, height):
    """A PNG that claims ``width`` x ``height`` pixels (its pixel data is never read)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


@tagged("post_install", "-at_install")
class TestIntakePortal(IntakeProofMixin, HttpCase):
    """The intake page once the patient proved it is them (see test_intake_otp for the proof)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The company a visitor without a login belongs to: the one a wrong link names.
        cls.clinic = cls.env.ref("base.public_user").company_id
        cls.clinic.write(
            {
                "name": "Knot Release Clinic",
                "phone": "+1 555 0100",
                "email": "desk@knot-release.example.com",
            }
        )
        cls._sent_intakes("Petra Portal")

    def setUp(self):
        super().setUp()
        self.prove(self.intake)

    def _url(self, intake=None, token=None, suffix=""):
        intake = intake or self.intake
        token = intake.access_token if token is None else token
        return f"/clinic/intake/{intake.id}{suffix}?access_token={token}"

    def _valid_post(self, **overrides):
        page = self.url_open(self._url())
        self.assertEqual(page.status_code, 200)
        data = {
            "csrf_token": csrf_of(page.text),
            "consent": "yes",
            "signer_name": "Petra Portal",
            "signature": self.signature,
            "goals": "Turn my head without pain",
        }
        for answer in self.intake.answer_ids:
            data[f"answer_{answer.id}"] = "no"
        data.update(overrides)
        return data

    def _post(self, data):
        return self.url_open(self._url(suffix="/submit"), data=data)

    def _title(self, page):
        title = re.search(r"<title>(.*?)</title>", page.text, re.S).group(1)
        return " ".join(html.unescape(title).split())

    def _as_read(self, page):
        """The page without the session's CSRF token, which differs between any two answers."""
        return re.sub(r'csrf_token: "[^"]*"', "", page.text)

    def test_link_opens_the_form(self):
        page = self.url_open(self._url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Petra Portal", page.text)
        question = self.env.ref("trigger_point_clinic.contraindication_dvt").question
        self.assertIn(question.split(" (")[0][:40], page.text)
        for field in ("medication_note", "goals", "signer_name", "signature", "consent"):
            self.assertIn(f'name="{field}"', page.text, f"the form asks for {field}")
        self.assertEqual(self._title(page), "Health intake - Knot Release Clinic")

    def test_wrong_token_reveals_nothing(self):
        for token in ("", "not-the-token", self.other_intake.access_token):
            with self.subTest(token=token):
                page = self.url_open(self._url(token=token))
                self.assertEqual(page.status_code, 404)
                self.assertNotIn("Petra", page.text)

    def test_wrong_link_says_whom_to_ask_for_a_new_one(self):
        page = self.url_open(self._url(token="not-the-token"))
        self.assertEqual(page.status_code, 404)
        self.assertEqual(self._title(page), "Link not valid - Knot Release Clinic")
        self.assertIn("Contact the clinic to get a new link", page.text)
        self.assertIn('href="tel:+1 555 0100"', page.text)
        self.assertIn('href="mailto:desk@knot-release.example.com"', page.text)

    def test_wrong_token_and_unknown_intake_look_alike(self):
        """Nothing on the page tells whether an intake with that number exists."""
        unknown_id = self.env["clinic.intake"].search([], order="id desc", limit=1).id + 1
        wrong_token = self.url_open(self._url(token="not-the-token"))
        unknown = self.url_open(f"/clinic/intake/{unknown_id}?access_token=not-the-token")
        submitted_to_unknown = self.url_open(
            f"/clinic/intake/{unknown_id}/submit?access_token=not-the-token",
            data=self._valid_post(),
        )
        submitted_with_wrong_token = self.url_open(
            self._url(token="not-the-token", suffix="/submit"), data=self._valid_post()
        )
        for page in (unknown, submitted_to_unknown, submitted_with_wrong_token):
            self.assertEqual(page.status_code, 404)
            self.assertEqual(self._as_read(page), self._as_read(wrong_token))
        self.assertEqual(self.intake.state, "sent")

    def test_resending_replaces_the_link(self):
        old_token = self.intake.access_token
        self.intake.action_send()
        self.assertNotEqual(self.intake.access_token, old_token)
        self.assertEqual(self.url_open(self._url(token=old_token)).status_code, 404)
        self.assertEqual(self.url_open(self._url()).status_code, 200)

    def test_submission_screens_the_patient_and_locks_the_link(self):
        dvt = self.intake.answer_ids.filtered(lambda a: a.contraindication_id.code == "dvt")
        leg = self.env.ref("trigger_point_clinic.body_region_leg")
        anticoagulant = self.env.ref("trigger_point_clinic.contraindication_anticoagulant")
        data = self._valid_post(
            **{
                f"answer_{dvt.id}": "yes",
                f"detail_{dvt.id}": "left calf, last week",
                f"pain_{leg.id}": "7",
                f"medication_{anticoagulant.id}": "1",
            }
        )
        response = self._post(data)
        self.assertEqual(response.status_code, 200, response.text[:2000])
        self.assertIn("Thank you", response.text)
        self.assertEqual(self.intake.state, "submitted")
        self.assertEqual(dvt.detail, "left calf, last week")
        self.assertEqual(self.intake.pain_ids.mapped("pain"), [7])
        self.assertEqual(self.intake.medication_ids, anticoagulant)
        self.assertTrue(self.intake.signature)
        self.assertEqual(self.patient.screening_ids.verdict, "do_not_treat")

        data["goals"] = "Changed through the link"
        again = self._post(data)
        self.assertEqual(again.status_code, 409)
        self.assertEqual(self.intake.goals, "Turn my head without pain")

    def test_bad_input_is_refused_and_changes_nothing(self):
        leg = self.env.ref("trigger_point_clinic.body_region_leg")
        first = self.intake.answer_ids[0]
        cases = {
            "pain above 10": ({f"pain_{leg.id}": "11"}, "must be a whole number from 0 to 10"),
            "negative pain": ({f"pain_{leg.id}": "-1"}, "must be a whole number from 0 to 10"),
            "no signature": ({"signature": ""}, "sign the form"),
            "forged signature": ({"signature": "data:image/png;base64,AAAA"}, "could not be read"),
            "no consent": ({"consent": ""}, "tick the consent"),
            "unanswered question": ({f"answer_{first.id}": ""}, "Answer yes or no"),
            "trimester without pregnancy": ({"pregnancy_trimester": "2"}, "Pregnant"),
            "surgery in the future": (
                {"recent_surgery": "yes", "surgery_date": "2999-01-01"},
                "in the future",
            ),
            "surgery in year 1": (
                {"recent_surgery": "yes", "surgery_date": "0001-01-01"},
                "between 1900-01-01 and 2199-12-31",
            ),
            "NUL in the goals": ({"goals": "Turn\x00my head"}, "cannot be stored"),
            "NUL in the name": ({"signer_name": "Pe\x00tra"}, "cannot be stored"),
            "NUL in a detail": ({f"detail_{first.id}": "since\x00May"}, "cannot be stored"),
            "NUL in the surgery date": (
                {"recent_surgery": "yes", "surgery_date": "2020\x00-01-01"},
                "as a date",
            ),
            "signature claiming 400 megapixels": (
                {"signature": "data:image/png;base64," + _png_header(20000, 20000)},
                "20000 by 20000 pixels",
            ),
        }
        for label, (overrides, message) in cases.items():
            with self.subTest(label):
                response = self._post(self._valid_post(**overrides))
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text.replace("&#39;", "'"))
                self.assertEqual(self.intake.state, "sent")
                self.assertFalse(self.intake.pain_ids)
                self.assertFalse(self.intake.goals)
