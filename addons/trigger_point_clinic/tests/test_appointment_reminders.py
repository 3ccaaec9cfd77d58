"""Appointment reminders: the patient gets one e-mail (and SMS, with the SMS app) before each
session, in their language and the clinic's local time, with the cancellation policy and the
links to confirm and to cancel or reschedule; the confirm link works without a login."""

import html
import re
from datetime import datetime, timedelta
from unittest.mock import patch

import pytz
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ScheduleCase, new_test_user

# Monday 1 March 2027, 12:00 UTC (13:00 in Brussels): "now" of most tests.
NOW = "2027-03-01 12:00:00"


def _text(body):
    """An e-mail's HTML as the patient reads it: tags dropped, spaces joined."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


class AppointmentReminderCase(ScheduleCase):
    """The clinic of ``ScheduleCase``, in Brussels, with a phone, a late-cancellation policy of
    24 hours and fees."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar.tz = "Europe/Brussels"
        cls.tz = pytz.timezone("Europe/Brussels")
        cls.company.write(
            {
                "phone": "+32 2 555 01 00",
                "clinic_appointment_reminder_hours": 24,
                "clinic_late_cancel_hours": 24,
                "clinic_late_cancel_fee_type": "fixed",
                "clinic_late_cancel_fee": 25.0,
                "clinic_no_show_fee": 0.0,
            }
        )
        cls.template = cls.env.ref("trigger_point_clinic.mail_template_clinic_appointment_reminder")
        # The mail shows the fee tax included, as invoiced (test_charge_rule checks it with a
        # tax): here untaxed products keep the policy's figures plain.
        for product in (
            "product_trigger_point_session",
            "product_clinic_no_show_fee",
            "product_clinic_late_cancel_fee",
        ):
            cls.env.ref(f"trigger_point_clinic.{product}").taxes_id = False

    def _at(self, year, month, day, hour, minute=0, **vals):
        """A draft session at a Brussels local time."""
        return self._book(datetime(year, month, day, hour, minute), **vals)

    def _run(self):
        return self.env["clinic.session"]._cron_send_appointment_reminders()

    def _mails(self, session):
        return self.env["mail.mail"].search(
            [("model", "=", "clinic.session"), ("res_id", "=", session.id)], order="id"
        )


@tagged("post_install", "-at_install")
class TestAppointmentReminders(AppointmentReminderCase):
    @freeze_time(NOW)
    def test_one_reminder_per_session_across_runs(self):
        tomorrow = self._at(2027, 3, 2, 10)
        later = self._at(2027, 3, 4, 10)
        self._run()
        self._run()
        mails = self._mails(tomorrow)
        self.assertEqual(len(mails), 1, "one reminder, however often the cron runs")
        self.assertEqual(mails.recipient_ids, self.patient.partner_id)
        self.assertEqual(tomorrow.reminder_sent_for, tomorrow.start)
        self.assertEqual(tomorrow.patient_confirmation, "reminded")
        self.assertFalse(self._mails(later), "a session 3 days ahead is not reminded yet")
        self.assertEqual(later.patient_confirmation, "none")

    @freeze_time(NOW)
    def test_no_reminder_for_cancelled_closed_imminent_or_past_sessions(self):
        cancelled = self._at(2027, 3, 2, 10, state="cancelled")
        confirmed = self._at(2027, 3, 2, 11, state="confirmed")
        # 13:30 in Brussels, half an hour from now: the patient is on their way.
        imminent = self._at(2027, 3, 1, 13, 30)
        past = self._at(2027, 3, 1, 9)
        self._run()
        self.assertFalse(self._mails(cancelled))
        self.assertFalse(cancelled.reminder_sent_for)
        self.assertTrue(self._mails(confirmed), "a confirmed session is reminded too")
        self.assertFalse(self._mails(imminent))
        self.assertFalse(self._mails(past))

    def test_a_session_booked_within_the_window_is_reminded_at_the_next_run(self):
        with freeze_time("2027-03-01 12:00:00"):
            # Booked at 13:00 for 15:00 the same day (Brussels).
            session = self._at(2027, 3, 1, 15)
            self._run()
        self.assertEqual(len(self._mails(session)), 1)

    @freeze_time(NOW)
    def test_a_moved_session_is_reminded_again_for_its_new_time(self):
        session = self._at(2027, 3, 2, 10)
        self._run()
        first = self._mails(session)
        old_token = session._appointment_token()
        session.write(
            {"start": session.start + timedelta(hours=1), "stop": session.stop + timedelta(hours=1)}
        )
        self.assertEqual(session.patient_confirmation, "none", "the new time is not reminded")
        self._run()
        mails = self._mails(session)
        self.assertEqual(len(mails), 2)
        self.assertIn("11:00", _text((mails - first).body_html))
        self.assertEqual(session.reminder_sent_for, session.start)
        self.assertFalse(
            session._check_appointment_token(old_token), "the old time's link opens nothing"
        )
        self._run()
        self.assertEqual(len(self._mails(session)), 2, "and once only for the new time")

    @freeze_time(NOW)
    def test_a_session_given_to_another_patient_is_reminded_to_them(self):
        session = self._at(2027, 3, 2, 10)
        self._run()
        old_token = session._appointment_token()
        session._confirm_by_patient()
        session.patient_id = self.patient_2
        self.assertEqual(session.patient_confirmation, "none")
        self.assertFalse(session._check_appointment_token(old_token))
        self._run()
        mails = self._mails(session)
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails[-1].recipient_ids, self.patient_2.partner_id)

    @freeze_time(NOW)
    def test_the_mail_states_the_cancellation_policy(self):
        # Sent 48 hours ahead, before the notice of 24 hours begins.
        self.company.write({"clinic_appointment_reminder_hours": 48, "clinic_no_show_fee": 40.0})
        session = self._at(2027, 3, 2, 16)
        self._run()
        text = _text(self._mails(session).body_html)
        self.assertIn("Tuesday 2 March 2027, 16:00", text)
        self.assertIn(
            "Cancelling less than 24 hours before the appointment (after Monday 1 March "
            "2027, 16:00) counts as a late cancellation: a fee of",
            text,
        )
        self.assertRegex(text, r"a fee of \S*\s?25\.00\s?\S* applies")
        self.assertRegex(text, r"A missed appointment costs \S*\s?40\.00")

    @freeze_time(NOW)
    def test_a_percentage_fee_is_the_share_of_the_session_price(self):
        self.company.write({"clinic_late_cancel_fee_type": "percent", "clinic_late_cancel_fee": 50})
        session = self._at(2027, 3, 2, 16)
        price = self.patient._clinic_price(session.product_id, session.start.date())
        self.assertTrue(price)
        self.assertEqual(session._policy_fee("late_cancel"), price / 2)

    @freeze_time(NOW)
    def test_inside_the_notice_the_mail_says_cancelling_now_is_late(self):
        session = self._at(2027, 3, 1, 17)
        self._run()
        text = _text(self._mails(session).body_html)
        self.assertIn("less than 24 hours away: cancelling it now counts as a late", text)

    def test_local_time_across_daylight_saving_changes(self):
        """Brussels leaves summer time on the last Sunday of October and enters it on the
        last Sunday of March: the mail, sent before the change, gives the local time of the
        session after it, and the late-cancellation deadline on the day of the change."""
        self.company.clinic_appointment_reminder_hours = 72
        cases = [
            # now (UTC, summer time), session (Brussels, winter time), deadline
            (
                "2026-10-23 12:00:00",
                datetime(2026, 10, 26, 10),
                "Monday 26 October 2026, 10:00",
                "Sunday 25 October 2026, 10:00",
                9,
            ),
            (
                "2027-03-26 12:00:00",
                datetime(2027, 3, 29, 10),
                "Monday 29 March 2027, 10:00",
                "Sunday 28 March 2027, 10:00",
                8,
            ),
        ]
        for now, local, when, deadline, utc_hour in cases:
            with self.subTest(now=now), freeze_time(now):
                session = self._book(local)
                self.assertEqual(session.start.hour, utc_hour)
                self._run()
                text = _text(self._mails(session).body_html)
                self.assertIn(when, text)
                self.assertIn(f"(after {deadline})", text)

    @freeze_time(NOW)
    def test_in_the_patients_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.assertEqual(self.template.lang, "{{ object.patient_id.partner_id.lang }}")
        self.template.with_context(
            lang="fr_FR"
        ).subject = "Rappel : votre rendez-vous chez {{ object.company_id.name }}"
        self.template.with_context(lang="fr_FR").body_html = self.template.body_html.replace(
            "I will come", "Je viendrai"
        )
        french = self._make_patient("Francine Dupont", lang="fr_FR")
        self._submit_intake(french)
        session = self._at(2027, 3, 2, 10, patient_id=french.id)
        english = self._at(2027, 3, 2, 11)
        self._run()
        mail = self._mails(session)
        self.assertEqual(mail.subject, f"Rappel : votre rendez-vous chez {self.company.name}")
        text = _text(mail.body_html)
        self.assertIn("mardi 2 mars 2027, 10:00", text)
        self.assertIn("Je viendrai", text)
        self.assertNotIn("I will come", text)
        self.assertEqual(
            self._mails(english).subject, f"Reminder: your appointment at {self.company.name}"
        )

    @freeze_time(NOW)
    def test_cancel_or_reschedule_link_or_the_clinics_phone(self):
        without_login = self._at(2027, 3, 2, 10)
        portal_patient = self._make_patient("Paula Portal")
        self._submit_intake(portal_patient)
        new_test_user(
            self.env,
            login="paula_portal",
            groups="base.group_portal",
            partner_id=portal_patient.partner_id.id,
        )
        with_login = self._at(2027, 3, 2, 11, patient_id=portal_patient.id)
        self._run()
        text = _text(self._mails(without_login).body_html)
        self.assertIn("Call the clinic to cancel or reschedule: +32 2 555 01 00", text)
        body = self._mails(with_login).body_html
        self.assertIn(f"/my/clinic/sessions/{with_login.id}", body)
        self.assertIn(f"/clinic/appointment/{with_login.id}/confirm?token=", body)
        self.assertNotIn("Call the clinic to cancel or reschedule", _text(body))

    @freeze_time(NOW)
    def test_a_patient_without_email_or_phone_gets_a_note_on_the_session(self):
        self.patient.partner_id.write({"email": False, "phone": False})
        session = self._at(2027, 3, 2, 10)
        self._run()
        self.assertFalse(self._mails(session))
        self.assertEqual(session.reminder_sent_for, session.start, "not tried every run")
        self.assertIn("No appointment reminder was sent", session.message_ids[0].body)

    @freeze_time(NOW)
    def test_sms_only_when_the_clinic_has_the_sms_app(self):
        self.patient.partner_id.phone = "+32 470 12 34 56"
        session = self._at(2027, 3, 2, 10)
        if "sms.sms" in self.env:
            self._run()
            sms = self.env["sms.sms"].search([("mail_message_id.res_id", "=", session.id)])
            self.assertEqual(len(sms), 1)
            self.assertEqual(sms.state, "outgoing", "queued: sent once the run commits")
            body = sms.body
        else:
            self.assertFalse(session._clinic_sms_available())
            self._run()
            self.assertEqual(len(self._mails(session)), 1, "the e-mail goes without the app")
            # With the app, the reminder goes through mail.thread's _message_sms, queued; it
            # posts the SMS on the session, as a message staff read.
            calls = []
            model = type(self.env["clinic.session"])

            def message_sms(record, body, **kwargs):
                calls.append((record, body, kwargs))
                return record.message_post(body=body, subtype_xmlid="mail.mt_note")

            with (
                patch.object(model, "_clinic_sms_available", lambda self: True),
                patch.object(model, "_message_sms", message_sms, create=True),
            ):
                session._send_appointment_reminder()
            self.assertEqual(len(calls), 1)
            record, body, kwargs = calls[0]
            self.assertEqual(record, session)
            self.assertEqual(kwargs["partner_ids"], self.patient.partner_id.ids)
            self.assertTrue(kwargs["put_in_queue"])
            # The SMS carries the link; the message kept of it does not (reproduction 5).
            posted = session.message_ids[0]
            self.assertIn("Appointment reminder sent by SMS", posted.body)
            self.assertNotIn(session._appointment_token(), posted.body)
        self.assertIn("Tuesday 2 March 2027, 10:00", body)
        self.assertIn(f"/clinic/appointment/{session.id}/confirm?token=", body)
        self.assertIn("call the clinic: +32 2 555 01 00", body)

    @freeze_time(NOW)
    def test_without_the_sms_app_the_email_goes_alone(self):
        """The addon does not depend on the SMS app: without it (here: as if it were not
        installed), the reminder is the e-mail, and nothing asks for SMS."""
        self.patient.partner_id.phone = "+32 470 12 34 56"
        session = self._at(2027, 3, 2, 10)
        model = type(self.env["clinic.session"])
        with patch.object(model, "_clinic_sms_available", lambda self: False):
            self._run()
        self.assertEqual(len(self._mails(session)), 1)
        self.assertEqual(session.reminder_sent_for, session.start)
        if "sms.sms" in self.env:
            sms = self.env["sms.sms"].search([("mail_message_id.res_id", "=", session.id)])
            self.assertFalse(sms)
        self.assertFalse(session.message_ids.filtered(lambda m: m.message_type == "sms"))

    @freeze_time(NOW)
    def test_no_reminders_when_the_setting_is_zero(self):
        self.company.clinic_appointment_reminder_hours = 0
        session = self._at(2027, 3, 2, 10)
        self._run()
        self.assertFalse(self._mails(session))

    def test_the_setting_is_bounded(self):
        for hours in (-1, 14 * 24 + 1):
            with self.subTest(hours=hours), self.assertRaises(ValidationError):
                self.company.clinic_appointment_reminder_hours = hours

    def test_the_marker_and_the_confirmation_are_workflow_fields(self):
        session = self._book(self._next_weekday(1))
        for vals in (
            {"reminder_sent_for": fields.Datetime.to_string(session.start)},
            {"patient_confirmed_at": fields.Datetime.now()},
            {"patient_confirmation": "confirmed"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRefused(UserError, "cannot be written directly"),
            ):
                session.with_user(self.user_manager).write(vals)
