"""The patient fills in a scheduled questionnaire on the portal: only their own, scored on the
server, frozen once submitted; bad or missing answers answer 400 and store nothing."""

from odoo import fields
from odoo.tests import tagged

from .common import csrf_of
from .episode_common import EpisodeCase


@tagged("post_install", "-at_install")
class TestQuestionnairePortal(EpisodeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ask_nrs_at_start()
        for patient, login in ((cls.patient, "sol"), (cls.patient_2, "tom")):
            cls._portal_user(patient, login)
        cls.sols = cls._episode(cls.patient).response_ids
        cls.toms = cls._episode(cls.patient_2).response_ids

    @classmethod
    def _episode(cls, patient):
        return cls.env["clinic.episode"].create(
            {
                "patient_id": patient.id,
                "complaint": "Neck pain when driving.",
                "planned_sessions": 6,
                "date_start": fields.Date.to_string(cls.year_ago),
                "region_ids": [fields.Command.set(cls._region("upper_trapezius").ids)],
            }
        )

    def _post(self, response, data):
        page = self.url_open(f"/my/questionnaires/{response.id}")
        self.assertEqual(page.status_code, 200)
        return self.url_open(
            f"/my/questionnaires/{response.id}",
            data={"csrf_token": csrf_of(page.text), **data},
        )

    def test_patient_lists_and_opens_own_questionnaires_only(self):
        self.assertEqual(len(self.sols), 1)
        self.assertEqual(self.sols.questionnaire_id, self.nrs)
        self.authenticate("sol", "sol")
        listing = self.url_open("/my/questionnaires")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(f"/my/questionnaires/{self.sols.id}", listing.text)
        self.assertNotIn(f"/my/questionnaires/{self.toms.id}", listing.text)
        form = self.url_open(f"/my/questionnaires/{self.sols.id}")
        self.assertEqual(form.status_code, 200)
        answer = self.sols.answer_ids
        for value in range(11):
            self.assertIn(f'id="answer_{answer.id}_{value}"', form.text)
        for url in (f"/my/questionnaires/{self.toms.id}", "/my/questionnaires/999999"):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)

    def test_home_page_leads_to_the_waiting_questionnaires_with_their_count(self):
        self.authenticate("sol", "sol")
        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/questionnaires"', home.text)
        self.assertIn('data-placeholder_count="clinic_questionnaire_count"', home.text)
        counters = {"counters": ["clinic_questionnaire_count"]}
        self.assertEqual(
            self.make_jsonrpc_request("/my/counters", counters), {"clinic_questionnaire_count": 1}
        )
        self._post(self.sols, {f"answer_{self.sols.answer_ids.id}": "4"})
        self.assertEqual(
            self.make_jsonrpc_request("/my/counters", counters), {"clinic_questionnaire_count": 0}
        )

    def test_another_patients_questionnaire_cannot_be_submitted(self):
        self.authenticate("sol", "sol")
        page = self.url_open(f"/my/questionnaires/{self.sols.id}").text
        response = self.url_open(
            f"/my/questionnaires/{self.toms.id}",
            data={"csrf_token": csrf_of(page), f"answer_{self.toms.answer_ids.id}": "3"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.toms.state, "draft")
        self.assertFalse(self.toms.answer_ids.value)

    def test_submit_scores_on_the_server_and_freezes(self):
        self.authenticate("sol", "sol")
        answer = self.sols.answer_ids
        csrf = csrf_of(self.url_open(f"/my/questionnaires/{self.sols.id}").text)
        done = self._post(self.sols, {f"answer_{answer.id}": "7", "score": "0"})
        self.assertEqual(done.status_code, 200)
        self.assertIn("o_clinic_questionnaire_done", done.text)
        self.sols.invalidate_recordset()
        self.assertEqual(self.sols.state, "submitted")
        self.assertEqual(self.sols.score, 7.0, "scored on the server, the posted score ignored")
        again = self.url_open(f"/my/questionnaires/{self.sols.id}")
        self.assertIn("this questionnaire is submitted", again.text)
        self.assertNotIn("o_clinic_questionnaire_submit", again.text)
        self.assertNotIn(
            f"/my/questionnaires/{self.sols.id}", self.url_open("/my/questionnaires").text
        )
        late = self.url_open(
            f"/my/questionnaires/{self.sols.id}",
            data={"csrf_token": csrf, f"answer_{answer.id}": "2"},
        )
        self.assertEqual(late.status_code, 409)
        self.sols.invalidate_recordset()
        self.assertEqual(self.sols.score, 7.0)
        self.assertEqual(answer.value, "7")

    def test_bad_or_missing_answers_answer_400_and_store_nothing(self):
        self.authenticate("sol", "sol")
        answer = self.sols.answer_ids
        for value, message in (
            ("11", "choose one of the answers offered (0 to 10)"),
            ("abc", "choose one of the answers offered (0 to 10)"),
            ("-1", "choose one of the answers offered (0 to 10)"),
            ("", "the item is not answered"),
        ):
            with self.subTest(value=value):
                refused = self._post(self.sols, {f"answer_{answer.id}": value})
                self.assertEqual(refused.status_code, 400)
                self.assertIn("Nothing was saved", refused.text)
                self.assertIn(message, refused.text)
                self.sols.invalidate_recordset()
                answer.invalidate_recordset()
                self.assertEqual(self.sols.state, "draft")
                self.assertFalse(answer.value)

    def test_staff_and_visitors_get_no_questionnaire(self):
        self.authenticate(self.user_therapist.login, self.user_therapist.login)
        self.assertEqual(self.url_open(f"/my/questionnaires/{self.sols.id}").status_code, 404)
        self.assertEqual(self.url_open("/my/questionnaires").status_code, 404)
        self.authenticate(None, None)
        page = self.url_open(f"/my/questionnaires/{self.sols.id}", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        self.assertIn("/web/login", page.headers["Location"])
