"""A scheduled questionnaire is e-mailed to the patient with a private link: read from the mail
the test SMTP server received, the link opens nothing without the one-time code e-mailed to the
patient; wrong tokens and another patient's answer 404; bad answers answer 400 and store
nothing; staff never see a working link."""

from odoo import fields
from odoo.tests import tagged

from .episode_common import EpisodeCase
from .intake_proof import IntakeProofMixin
from .mail_common import RealMailCase


@tagged("post_install", "-at_install")
class TestQuestionnaireLink(RealMailCase, IntakeProofMixin, EpisodeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ask_nrs_at_start(email="desk@clinic.example.com")

    def _episode(self, patient):
        episode = self.env["clinic.episode"].create(
            {
                "patient_id": patient.id,
                "complaint": "Neck pain when driving.",
                "planned_sessions": 6,
                "date_start": fields.Date.to_string(self.year_ago),
                "region_ids": [fields.Command.set(self._region("upper_trapezius").ids)],
            }
        )
        self.env["mail.mail"].sudo().process_email_queue()
        return episode.response_ids

    def _link(self, patient):
        """The questionnaire link of the mail the patient received."""
        (message,) = self.received(to=patient.email, count=1)
        self.assertIn("questionnaire", message["Subject"])
        (link,) = self.links(message, "/clinic/questionnaire/")
        return link

    def _url(self, response, suffix="", token=None):
        return f"/clinic/questionnaire/{response.id}{suffix}?access_token={token}"

    def _submit_answer(self, response, token, page, value):
        """Post ``value`` as the answer of ``response``'s one question, with ``page``'s form."""
        return self.url_open(
            self._url(response, "/submit", token),
            data={"csrf_token": self.csrf_of(page), f"answer_{response.answer_ids.id}": value},
        )

    def _prove(self, response, token):
        page = self.url_open(self._url(response, token=token))
        self.assertIn("o_clinic_send_code_form", page.text)
        self.assertNotIn("o_clinic_questionnaire_form", page.text, "the link alone opens nothing")
        sent = self.url_open(
            self._url(response, "/code", token), data={"csrf_token": self.csrf_of(page)}
        )
        self.assertEqual(sent.status_code, 200, sent.text[:1000])
        self.assertIn("o_clinic_code_form", sent.text)
        form = self.url_open(
            self._url(response, "/verify", token),
            data={"csrf_token": self.csrf_of(sent), "code": self.received_code(response)},
        )
        self.assertEqual(form.status_code, 200, form.text[:1000])
        self.assertIn("o_clinic_questionnaire_form", form.text, "the right code opens the form")
        return form

    def test_link_from_the_mail_code_and_submit(self):
        sols = self._episode(self.patient)
        link = self._link(self.patient)
        token = link.partition("access_token=")[2]
        self.assertTrue(token)
        self.assertIn(f"/clinic/questionnaire/{sols.id}?", link)
        # Staff: the kept message names no link, the token field is refused.
        self.env.flush_all()
        kept = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", sols._name), ("res_id", "=", sols.id)])
        )
        self.assertFalse([body for body in kept.mapped("body") if token in str(body)])
        self.assertFalse(
            self.env["mail.mail"].sudo().search([("body_html", "ilike", token)]),
            "the e-mail left and was deleted: no copy of the link stays in the database",
        )
        self.assertRpc(
            "therapist", ".+", sols._name, "read", [sols.ids], {"fields": ["access_token"]}
        )
        # Without the code nothing is stored.
        page = self.open_link(link)
        self.assertEqual(page.status_code, 200)
        refused = self._submit_answer(sols, token, page, "5")
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(sols.state, "draft")
        self.assertFalse(sols.answer_ids.value)
        form = self._prove(sols, token)
        bad = self._submit_answer(sols, token, form, "12")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("choose one of the answers offered (0 to 10)", bad.text)
        sols.invalidate_recordset()
        sols.answer_ids.invalidate_recordset()
        self.assertEqual(sols.state, "draft")
        self.assertFalse(sols.answer_ids.value)
        done = self._submit_answer(sols, token, form, "6")
        self.assertEqual(done.status_code, 200)
        self.assertIn("o_clinic_questionnaire_done", done.text)
        sols.invalidate_recordset()
        self.assertEqual((sols.state, sols.score), ("submitted", 6.0))
        again = self.open_link(link)
        self.assertIn("this questionnaire is submitted", again.text)

    def test_wrong_tokens_and_another_patients_answer_404(self):
        sols = self._episode(self.patient)
        toms = self._episode(self.patient_2)
        token = self._link(self.patient).partition("access_token=")[2]
        toms_token = self._link(self.patient_2).partition("access_token=")[2]
        self.assertNotEqual(token, toms_token)
        for url in (
            self._url(sols, token="wrong"),
            self._url(sols, token=toms_token),
            self._url(toms, token=token),
            f"/clinic/questionnaire/{sols.id}",
            self._url(sols, token=token + "x"),
            "/clinic/questionnaire/999999?access_token=" + token,
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        page = self.url_open(self._url(sols, token=token))
        for suffix in ("/code", "/verify", "/submit"):
            with self.subTest(suffix=suffix):
                answer = self.url_open(
                    self._url(sols, suffix, toms_token), data={"csrf_token": self.csrf_of(page)}
                )
                self.assertEqual(answer.status_code, 404)
        self.assertFalse(self.received(to=self.patient.email, count=2, wait=0.5)[1:])
