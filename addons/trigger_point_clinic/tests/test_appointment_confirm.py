"""The appointment reminder's confirmation link: what the patient's browser reads and does
with it (confirm, the cancellation terms, a wrong or old link), on a phone too."""

import re
from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import csrf_of
from .test_appointment_reminders import AppointmentReminderCase


@tagged("post_install", "-at_install")
class TestAppointmentConfirmLink(AppointmentReminderCase, HttpCase):
    """The confirm link over HTTP, as the patient's browser opens it (no login)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._book(cls._next_weekday(1, 10))
        cls.other = cls._book(cls._next_weekday(1, 11))

    def _url(self, session=None, token=None):
        session = session or self.session
        token = session._appointment_token() if token is None else token
        return f"/clinic/appointment/{session.id}/confirm?token={token}"

    def _confirm(self, session=None, token=None):
        session = session or self.session
        page = self.url_open(self._url(session, token))
        self.assertEqual(page.status_code, 200, page.text[:500])
        csrf = csrf_of(page.text)
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        return self.url_open(
            f"/clinic/appointment/{session.id}/confirm", data={"csrf_token": csrf, "token": token}
        )

    def test_a_wrong_token_opens_a_404_page_and_changes_nothing(self):
        for token in ("", "0" * 64, self.other._appointment_token()):
            with self.subTest(token=token):
                page = self.url_open(self._url(token=token))
                self.assertEqual(page.status_code, 404)
                self.assertIn("This link does not open an appointment", page.text)
                self.assertNotIn(self.patient.name, page.text)
                posted = self.url_open(
                    f"/clinic/appointment/{self.session.id}/confirm",
                    data={"token": token, "csrf_token": "x"},
                )
                self.assertIn(posted.status_code, (400, 404))
        self.assertEqual(self.session.patient_confirmation, "none")
        self.assertFalse(self.session.patient_confirmed_at)

    def test_the_right_token_confirms_with_one_button(self):
        page = self.url_open(self._url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("I will come", page.text)
        self.assertEqual(self.session.patient_confirmation, "none", "opening confirms nothing")
        done = self._confirm()
        self.assertEqual(done.status_code, 200)
        self.assertIn("Thank you: your appointment is confirmed.", done.text)
        self.assertEqual(self.session.patient_confirmation, "confirmed")
        self.assertTrue(self.session.patient_confirmed_at)
        note = self.session.message_ids[0]
        self.assertIn("confirmed the appointment", note.body)
        self.assertEqual(note.author_id, self.patient.partner_id)
        again = self.url_open(self._url())
        self.assertIn("You have confirmed this appointment.", again.text)
        self.assertEqual(self.other.patient_confirmation, "none")

    def test_a_post_without_csrf_token_is_refused(self):
        response = self.url_open(
            f"/clinic/appointment/{self.session.id}/confirm",
            data={"token": self.session._appointment_token()},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.session.patient_confirmation, "none")

    def test_a_cancelled_session_cannot_be_confirmed(self):
        page = self.url_open(self._url())
        csrf = csrf_of(page.text)
        self.session._cancel("Patient is ill", "patient")
        response = self.url_open(
            f"/clinic/appointment/{self.session.id}/confirm",
            data={"csrf_token": csrf, "token": self.session._appointment_token()},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("This appointment is cancelled: there is nothing to confirm.", response.text)
        self.assertFalse(self.session.patient_confirmed_at)

    def test_a_moved_session_drops_the_confirmation_and_the_old_link(self):
        old_url = self._url()
        self._confirm()
        self.session.write(
            {
                "start": self.session.start - timedelta(hours=1),
                "stop": self.session.stop - timedelta(hours=1),
            }
        )
        self.assertEqual(self.session.patient_confirmation, "none")
        self.assertEqual(self.url_open(old_url).status_code, 404)


@tagged("post_install", "-at_install")
class TestAppointmentConfirmPhone(AppointmentReminderCase, HttpCase):
    """The reminder's link opened on a phone in Chromium, then the confirmation as the front
    desk sees it on the session."""

    browser_size = "390x844"
    touch_enabled = True

    def test_patient_confirms_on_a_phone_and_the_front_desk_sees_it(self):
        session = self._book(self._next_weekday(1, 10))
        url = f"/clinic/appointment/{session.id}/confirm?token={session._appointment_token()}"

        self.start_tour(url, "trigger_point_clinic_appointment_confirm_phone")

        self.assertEqual(session.patient_confirmation, "confirmed")
        self.assertTrue(session.patient_confirmed_at)

        self.browser_size = "1366x768"
        self.touch_enabled = False
        self.start_tour(
            "/odoo/action-trigger_point_clinic.clinic_session_action",
            "trigger_point_clinic_appointment_confirmed_badge",
            login="clinic_front_desk",
        )
