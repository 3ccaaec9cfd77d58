"""Today on the patient's phone, over HTTP as the patient comes in: the practices due with
their instructions, cap and body diagram; one tap logs a practice with the pain felt there;
the daily check's red flag pauses the programme until a therapist re-screens; another
patient's programme answers 404, bad input 400 with nothing stored."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..models.clinic_home_check import ACTIVITY_TYPE
from .common import csrf_of
from .intake_proof import IntakeProofMixin
from .mail_common import RealMailCase
from .test_home_programme import HomeProgrammeCase


class TodayCase(HomeProgrammeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for patient, login in ((cls.patient, "sol_today"), (cls.patient_2, "tom_today")):
            cls._portal_user(patient, login)
        cls.logs = cls.env["clinic.home.log"]
        cls.checks = cls.env["clinic.home.check"]

    def _post(self, what, data, base="/my/clinic/today", query=""):
        page = self.url_open(f"{base}{query}")
        self.assertEqual(page.status_code, 200, page.text[:500])
        return self.url_open(
            f"{base}/{what}{query}",
            data={"csrf_token": csrf_of(page.text), **data},
            allow_redirects=False,
        )

    def _answers(self, yes=()):
        return {
            f"check_{entry.id}": "yes" if entry.code in yes else "no"
            for entry in self.checks._daily_questions()
        }

    def _sols_logs(self):
        return self.logs.search([("patient_id", "=", self.patient.id)])


@tagged("post_install", "-at_install")
class TestHomeToday(TodayCase):
    def test_today_shows_the_practices_within_the_screening(self):
        self._note(
            1,
            [
                (
                    "upper_trapezius",
                    {
                        "pressure": "deep",
                        "side": "left",
                        "instructions": "Lean on a ball against the wall.",
                    },
                ),
                ("gastrocnemius", {}),
            ],
        )
        self._submit_intake(self.patient, yes=["varicose_veins"], medications=["anticoagulant"])
        self.authenticate("sol_today", "sol_today")
        page = self.url_open("/my/clinic/today")
        self.assertEqual(page.status_code, 200)
        text = page.text
        self.assertIn("Lean on a ball against the wall.", text)
        self.assertIn("moderate pressure", text)
        self.assertNotIn("deep pressure", text)
        self.assertIn("Press no harder than <strong>moderate</strong>", text)
        self.assertIn("press moderately at most", text)
        # The shared body diagram, with the practice's region and side marked.
        self.assertRegex(
            text,
            r'data-region-code="upper_trapezius" data-side="left"\s+'
            r'class="o_clinic_body_map_shape o_marked"',
        )
        self.assertNotIn('data-region-code="gastrocnemius"', text, "an excluded region")
        self.assertIn("/my/clinic/today", self.url_open("/my").text, "linked from /my")

    def test_one_tap_logs_the_practice_once_a_minute(self):
        self._note(1, [("upper_trapezius", {})])
        self.authenticate("sol_today", "sol_today")
        item = self.programmes._for_patient(self.patient)["practices"][0]["item"]
        done = self._post("log", {"item_id": item.id, "pain": "4", "note": " Easier today "})
        self.assertEqual(done.status_code, 303)
        again = self._post("log", {"item_id": item.id, "pain": "6"})
        self.assertEqual(again.status_code, 303)
        logs = self._sols_logs()
        if len(logs) == 2:
            # The two taps fell on either side of a minute: both count, once each.
            self.assertNotEqual(logs[0].minute, logs[1].minute)
        else:
            self.assertEqual((len(logs), logs.pain, logs.comment), (1, 4, "Easier today"))
        page = self.url_open("/my/clinic/today")
        self.assertRegex(page.text, rf"{len(logs)} / 2 done")

    def test_bad_input_answers_400_and_stores_nothing(self):
        self._note(1, [("upper_trapezius", {})])
        self.authenticate("sol_today", "sol_today")
        item = self.programmes._for_patient(self.patient)["practices"][0]["item"]
        for data in (
            {"item_id": item.id, "pain": "11"},
            {"item_id": item.id, "pain": "-1"},
            {"item_id": item.id, "pain": "four"},
            {"item_id": item.id},
            {"item_id": item.id, "pain": "3", "note": "x" * 1001},
        ):
            with self.subTest(data=data):
                answer = self._post("log", data)
                self.assertEqual(answer.status_code, 400)
                self.assertIn("Nothing was saved", answer.text)
        self.assertFalse(self._sols_logs())
        answer = self._post("check", dict(list(self._answers().items())[1:]))
        self.assertEqual(answer.status_code, 400)
        self.assertIn("Answer yes or no to", answer.text)
        answer = self._post("reminders", {"email": "on", "times": "25:00"})
        self.assertEqual(answer.status_code, 400)
        self.assertIn("25:00 is not a time", answer.text)
        self.assertFalse(self.checks.search([("patient_id", "=", self.patient.id)]))
        self.assertFalse(
            self.env["clinic.home.reminder"]
            .sudo()
            .search([("patient_id", "=", self.patient.id), ("email", "=", True)])
        )

    def test_a_patient_reaches_only_their_own_programme(self):
        self._note(1, [("upper_trapezius", {})])
        self._note(1, [("piriformis", {})], patient=self.patient_2, therapist=self.therapist_2)
        toms = self.programmes._for_patient(self.patient_2)["practices"][0]["item"]
        self.authenticate("sol_today", "sol_today")
        for item_id in (toms.id, 999999, "x"):
            with self.subTest(item_id=item_id):
                answer = self._post("log", {"item_id": item_id, "pain": "3"})
                self.assertEqual(answer.status_code, 404)
        self.assertFalse(self.logs.search([]))
        self.assertNotIn("Piriformis", self.url_open("/my/clinic/today").text)
        self.assertEqual(self.url_open("/clinic/today/1?access_token=nope").status_code, 404)

    def test_red_flag_pauses_and_only_a_therapist_clears_it(self):
        self._note(1, [("upper_trapezius", {})])
        self.authenticate("sol_today", "sol_today")
        answer = self._post("check", self._answers(yes=["dvt"]))
        self.assertEqual(answer.status_code, 303)
        check = self.checks.search([("patient_id", "=", self.patient.id)])
        self.assertEqual((check.state, check.emergency), ("paused", True))
        page = self.url_open("/my/clinic/today").text
        self.assertIn("Your home programme is paused", page)
        self.assertIn("contact the clinic", page)
        self.assertIn("call emergency services", page)
        self.assertNotIn("o_clinic_practice_log", page)
        item = self.programmes._for_patient(self.patient)["note"].homecare_ids
        self.assertEqual(self._post("log", {"item_id": item.id, "pain": "2"}).status_code, 404)
        # The screening itself did not relax, nor change.
        self.assertEqual(self.patient.screening_ids.verdict, "clear")
        # The re-screening waits for Tess, the note's therapist.
        activity = check.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref(ACTIVITY_TYPE))
        self.assertEqual(activity.user_id, self.user_therapist)
        # The patient cannot clear it: over JSON-RPC, nor by answering no the next time.
        ok, _message = self.rpc("portal", "clinic.home.check", "action_rescreened", [check.ids])
        self.assertFalse(ok)
        self.authenticate("sol_today", "sol_today")
        self._post("check", self._answers())
        self.assertTrue(self.programmes._for_patient(self.patient)["paused"])
        for role in ("front_desk",):
            ok, message = self.rpc(role, "clinic.home.check", "action_rescreened", [check.ids])
            self.assertFalse(ok, role)
            ok, message = self.rpc(role, "clinic.home.check", "search_read", [[]])
            self.assertFalse(ok, role)
        ok, message = self.rpc("therapist", "clinic.home.check", "action_rescreened", [check.ids])
        self.assertTrue(ok, message)
        check.invalidate_recordset()
        self.assertEqual((check.state, check.rescreened_by_id), ("rescreened", self.user_therapist))
        self.assertFalse(check.activity_ids)
        self.assertTrue(self.programmes._for_patient(self.patient)["practising"])


@tagged("post_install", "-at_install")
class TestHomeReminders(RealMailCase, IntakeProofMixin, TodayCase):
    """The reminder e-mail, read where it arrives; its private link proves the patient with
    the e-mailed code, like the intake's."""

    def _choose_midnight_reminder(self):
        self.authenticate("sol_today", "sol_today")
        answer = self._post("reminders", {"email": "on", "times": "0:00"})
        self.assertEqual(answer.status_code, 303)
        self.authenticate(None, None)
        reminder = (
            self.env["clinic.home.reminder"].sudo().search([("patient_id", "=", self.patient.id)])
        )
        self.assertEqual((reminder.email, reminder.times), (True, "00:00"))
        # The patient chose it yesterday: today's 00:00 is due.
        reminder.last_sent = fields.Datetime.now() - timedelta(days=2)
        return reminder

    def test_reminder_link_opens_today_after_the_code(self):
        self._note(1, [("upper_trapezius", {})])
        reminder = self._choose_midnight_reminder()
        self.assertEqual(self.env["clinic.home.reminder"]._cron_send(), reminder)
        self.assertFalse(self.env["clinic.home.reminder"]._cron_send(), "once a time")
        self.env["mail.mail"].sudo().process_email_queue()
        mail = self.received_one(self.patient.email, "self-massage")
        [link] = self.links(mail, "/clinic/today/")
        self.assertIn("access_token=", link)
        page = self.open_link(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_clinic_today_proof", page.text)
        self.assertNotIn("o_clinic_practice_log", page.text, "the link alone shows nothing")
        base, query = link.split("/clinic/today/")[1].split("?")
        base, query = f"/clinic/today/{base}", f"?{query}"
        item = self.programmes._for_patient(self.patient)["practices"][0]["item"]
        refused = self._post("log", {"item_id": item.id, "pain": "3"}, base, query)
        self.assertEqual(refused.status_code, 403)
        self.assertFalse(self._sols_logs())
        self.assertEqual(self._post("code", {}, base, query).status_code, 200)
        code = self.received_code(reminder)
        self.assertEqual(self._post("verify", {"code": code}, base, query).status_code, 303)
        self.assertIn("o_clinic_practice_log", self.url_open(base + query).text)
        self.assertEqual(
            self._post("log", {"item_id": item.id, "pain": "3"}, base, query).status_code, 303
        )
        self.assertEqual(self._sols_logs().pain, 3)
        # Staff never see a working link: no role reads the reminder.
        for role in ("therapist", "manager", "front_desk"):
            ok, _message = self.rpc(role, "clinic.home.reminder", "search_read", [[]])
            self.assertFalse(ok, role)

    def test_reminders_stop_when_paused_or_replaced(self):
        self._note(1, [("upper_trapezius", {})])
        reminder = self._choose_midnight_reminder()
        self.checks._answer(
            self.patient, {e: e.code == "fever" for e in self.checks._daily_questions()}
        )
        self.assertFalse(self.env["clinic.home.reminder"]._cron_send(), "paused")
        self.checks.search([("patient_id", "=", self.patient.id)]).with_user(
            self.user_therapist
        ).action_rescreened()
        reminder.last_sent = fields.Datetime.now() - timedelta(days=2)
        self._note(0, [("piriformis", {})])
        self.assertFalse(self.env["clinic.home.reminder"]._cron_send(), "replaced")
        self.env["mail.mail"].sudo().process_email_queue()
        self.assertFalse(self.received(to=self.patient.email, count=1, wait=1))


@tagged("post_install", "-at_install")
class TestHomeForTherapist(TodayCase):
    def test_the_therapist_sees_adherence_pain_and_the_red_flag(self):
        note = self._note(1, [("upper_trapezius", {"times_per_day": 2})], sign=False)
        note.line_ids.write({"pain_before": 7})
        note.with_user(self.user_therapist).action_sign()
        practice = self.programmes._for_patient(self.patient)["practices"][0]
        self.logs._log_practice(self.patient, practice, 5)
        self.logs._log_practice(
            self.patient, practice, 3, when=fields.Datetime.now() - timedelta(minutes=2)
        )
        screening = self.patient.screening_ids
        ok, rows = self.rpc(
            "therapist", "clinic.patient.screening", "read", [screening.ids, ["home_adherence"]]
        )
        self.assertTrue(ok, rows)
        html = rows[0]["home_adherence"]
        self.assertIn('class="mb-2 o_clinic_pain_chart" data-region-code="upper_trapezius"', html)
        self.assertIn("Home: 4.0", html)
        self.assertIn("Session NRS: 7", html)
        # My Day, before today's session: the week's adherence and pain, and the red flag.
        sessions = self.env["clinic.session"].search([("patient_id", "=", self.patient.id)])
        ok, rows = self.rpc(
            "therapist",
            "clinic.session",
            "read",
            [sessions.ids, ["patient_home_status", "patient_home_line"]],
        )
        self.assertTrue(ok, rows)
        self.assertRegex(
            rows[0]["patient_home_line"], r"^2/\d+ done \(\d+ %\); pain Upper trapezius 4\.0$"
        )
        self.assertFalse(rows[0]["patient_home_status"])
        self.checks._answer(
            self.patient, {e: e.code == "fever" for e in self.checks._daily_questions()}
        )
        ok, rows = self.rpc(
            "therapist", "clinic.session", "read", [sessions.ids, ["patient_home_status"]]
        )
        self.assertEqual(rows[0]["patient_home_status"], "paused")
        ok, rows = self.rpc(
            "front_desk",
            "clinic.session",
            "read",
            [sessions.ids, ["patient_home_status", "patient_home_line"]],
        )
        self.assertTrue(ok, rows)
        self.assertFalse(rows[0]["patient_home_status"] or rows[0]["patient_home_line"])
