"""The patient's side on the portal: booking, cancelling, moving, the weekly limit, the
screening, the waiting list, and what a portal user can and cannot reach."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ScheduleCase, csrf_of


class PortalCase(ScheduleCase):
    """Sol Session and Tom Second of ScheduleCase, each with a portal account; Tess's and
    Theo's hours are the clinic's (Paris, Monday to Friday)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env.ref("trigger_point_clinic.product_trigger_point_session")
        cls.product.lst_price = 70.0
        cls.company.write(
            {
                "clinic_late_cancel_hours": 24,
                "clinic_late_cancel_fee": 50.0,
                "clinic_late_cancel_fee_type": "percent",
                "clinic_online_weekly_limit": 2,
                "clinic_online_booking_weeks": 4,
                "phone": "+33 1 23 45 67 89",
                "email": "desk@clinic.example.com",
            }
        )
        cls.user_sol = cls._portal_user(cls.patient, "sol")
        cls.user_tom = cls._portal_user(cls.patient_2, "tom")
        cls.booking = cls.env["clinic.online.booking"]

    @classmethod
    def _slot(cls, weekday=1, hour=10, weeks_ahead=1):
        """UTC of ``hour`` (Paris) on ``weekday`` of the week ``weeks_ahead`` after this one:
        one week's slots share a Monday-to-Sunday week, as the weekly limit counts."""
        today = fields.Date.today()
        day = today + timedelta(days=weekday - today.weekday(), weeks=weeks_ahead)
        return cls._utc(datetime(day.year, day.month, day.day, hour))

    @classmethod
    def _signed_homecare_note(cls, patient, therapist, hour=10):
        session = cls._book(
            cls._next_weekday(0, hour, weeks_ahead=-1), patient_id=patient.id, state="done"
        )
        note = (
            cls.env["clinic.treatment.note"]
            .with_user(cls.user_therapist)
            .create(
                {
                    "session_id": session.id,
                    "subjective": "SECRET-SOAP-TEXT of " + patient.name,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "region_id": cls._region("upper_trapezius").id,
                                "technique": "pressure_release",
                                "pain_before": 6,
                                "pain_after": 3,
                            }
                        )
                    ],
                    "homecare_ids": [
                        fields.Command.create(
                            {
                                "region_id": cls._region("upper_trapezius").id,
                                "instructions": "Ball against the wall, 30 s per spot",
                            }
                        )
                    ],
                }
            )
        )
        note.action_sign()
        return note

    @classmethod
    def _invoice(cls, patient):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": patient._billing_partner().id,
                "invoice_line_ids": [
                    fields.Command.create(
                        {"product_id": cls.product.id, "quantity": 1, "price_unit": 70.0}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _renata_signed_in(self):
        """Renata, whose intake (submitted 350 days ago) expires within 30 days, signed in to
        the portal (HTTP tests)."""
        renata = self._make_patient("Renata Renew")
        self._submit_intake(renata, days_ago=350)
        self._portal_user(renata, "renata")
        self.authenticate("renata", "renata")
        return renata

    def _csrf(self):
        """The CSRF token of the patient's portal page, as the signed-in patient (HTTP tests)."""
        return csrf_of(self.url_open("/my/clinic").text)

    @staticmethod
    def _record_urls(session_id, note_id):
        """The patient's pages of a session (``session_id``) and a home-care sheet."""
        return (
            f"/my/clinic/sessions/{session_id}",
            f"/my/clinic/sessions/{session_id}/cancel",
            f"/my/clinic/homecare/{note_id}",
            f"/my/clinic/book?session_id={session_id}",
        )


@tagged("post_install", "-at_install")
class TestOnlineBooking(PortalCase):
    def test_free_times_leave_out_booked_therapist_leave_and_full_rooms(self):
        start = self._slot(hour=10)
        free = {
            s["start"]
            for s in self.booking._free_slots(
                self.patient, self.therapist, self.product, start, start + timedelta(hours=3)
            )
        }
        self.assertIn(start, free)
        # Tess is booked at 10:00 with Tom: 10:00 and 09:30 (overlapping) are gone, 11:00 free.
        self._book(self._local(start), patient_id=self.patient_2.id)
        free = {
            s["start"]
            for s in self.booking._free_slots(
                self.patient,
                self.therapist,
                self.product,
                start - timedelta(hours=1),
                start + timedelta(hours=3),
            )
        }
        self.assertNotIn(start, free)
        self.assertNotIn(start - timedelta(minutes=30), free)
        self.assertIn(start + timedelta(hours=1), free)

    def test_patient_books_a_confirmed_session_in_a_free_room(self):
        start = self._slot()
        session = self.booking._book(self.patient, self.therapist, start)
        self.assertEqual(session.state, "confirmed")
        self.assertEqual(session.patient_id, self.patient)
        self.assertEqual(session.stop - session.start, timedelta(hours=1))
        self.assertTrue(session.room_id)

    def test_a_time_outside_the_offered_ones_is_refused(self):
        night = self._slot(1, 3)
        with self.assertRaisesRegex(UserError, "choose another of the free times"):
            self.booking._book(self.patient, self.therapist, night)
        past = self._slot(1, 10, weeks_ahead=-1)
        with self.assertRaisesRegex(UserError, "choose another of the free times"):
            self.booking._book(self.patient, self.therapist, past)
        self.assertFalse(self.env["clinic.session"].search([("patient_id", "=", self.patient.id)]))

    def test_weekly_limit(self):
        for hour in (9, 11):
            self.booking._book(self.patient, self.therapist, self._slot(1, hour))
        with self.assertRaisesRegex(UserError, r"2 sessions in the week of .*2 per week"):
            self.booking._book(self.patient, self.therapist, self._slot(3, 10))
        # Another week is free; so is this one once a session is cancelled.
        self.booking._book(self.patient, self.therapist, self._slot(1, 9, weeks_ahead=2))
        session = self.env["clinic.session"].search(
            [("patient_id", "=", self.patient.id), ("start", "=", self._slot(1, 9))]
        )
        self.booking._cancel(self.patient, session)
        self.booking._book(self.patient, self.therapist, self._slot(3, 10))

    def test_screening_blocks_booking_without_telling_why(self):
        no_intake = self._make_patient("Nora Nointake")
        with self.assertRaisesRegex(UserError, "fill in your health intake"):
            self.booking._book(no_intake, self.therapist, self._slot())
        dvt = self._make_patient("Dora Dvt")
        self._submit_intake(dvt, yes=["dvt"])
        with self.assertRaises(UserError) as caught:
            self.booking._book(dvt, self.therapist, self._slot())
        message = caught.exception.args[0]
        self.assertIn("contact the clinic (+33 1 23 45 67 89, desk@clinic.example.com)", message)
        self.assertNotRegex(message.lower(), "thromb|clot|dvt|do not treat")
        self.assertFalse(
            self.env["clinic.session"].search([("patient_id", "in", (no_intake | dvt).ids)])
        )

    def test_cancel_in_time_is_free_and_late_is_the_patients_with_the_fee(self):
        in_time = self.booking._book(self.patient, self.therapist, self._slot(1, 10))
        terms = self.booking._cancel_terms(in_time)
        self.assertFalse(terms["late"])
        self.assertEqual(terms["fee"], 0)
        self.assertEqual(terms["notice_hours"], 24)
        self.booking._cancel(self.patient, in_time)
        self.assertEqual(in_time.state, "cancelled")
        self.assertEqual(in_time.cancel_party, "patient")
        self.assertFalse(in_time.late_cancel)

        late = self.booking._book(self.patient, self.therapist, self._slot(2, 10))
        now = late.start - timedelta(hours=5)
        terms = self.booking._cancel_terms(late, now=now)
        self.assertTrue(terms["late"])
        fee_taxes = self.env.ref(
            "trigger_point_clinic.product_clinic_late_cancel_fee"
        ).taxes_id.filtered(lambda tax: tax.company_id == late.company_id)
        fee = fee_taxes.compute_all(35.0)["total_included"] if fee_taxes else 35.0
        self.assertAlmostEqual(terms["fee"], fee, msg="50% of the session's 70, tax included")
        with freeze_time(now):
            self.booking._cancel(self.patient, late)
        self.assertTrue(late.late_cancel)
        self.assertEqual(late.cancel_party, "patient")
        self.assertEqual(late._billing_due(set()), (["late_cancel_fee"], None))

    def test_patient_cannot_cancel_another_patients_session(self):
        toms = self.booking._book(self.patient_2, self.therapist, self._slot())
        with self.assertRaisesRegex(UserError, "can no longer be cancelled online"):
            self.booking._cancel(self.patient, toms)
        self.assertEqual(toms.state, "confirmed")
        self.assertFalse(self.booking._own_session(self.patient, toms.id))

    def test_reschedule_books_the_new_time_and_frees_the_old(self):
        old = self.booking._book(self.patient, self.therapist, self._slot(1, 10))
        new = self.booking._reschedule(self.patient, old, self.therapist, self._slot(1, 14))
        self.assertEqual(old.state, "cancelled")
        self.assertEqual(old.cancel_party, "patient")
        self.assertEqual(new.state, "confirmed")
        self.assertEqual(new.start, self._slot(1, 14))

    def test_reschedule_to_a_taken_time_changes_nothing(self):
        old = self.booking._book(self.patient, self.therapist, self._slot(1, 10))
        self.booking._book(self.patient_2, self.therapist, self._slot(1, 14))
        sessions_before = self.env["clinic.session"].search_count([])
        with self.assertRaisesRegex(UserError, "just been taken"):
            self.booking._reschedule(self.patient, old, self.therapist, self._slot(1, 14))
        self.env.invalidate_all()
        self.assertEqual(old.state, "confirmed")
        self.assertFalse(old.cancel_party)
        self.assertEqual(self.env["clinic.session"].search_count([]), sessions_before)

    def test_reschedule_refused_by_the_weekly_limit_keeps_the_old_session(self):
        first = self.booking._book(self.patient, self.therapist, self._slot(1, 10))
        self.booking._book(self.patient, self.therapist, self._slot(1, 14))
        for hour in (10, 14):
            self.booking._book(self.patient, self.therapist, self._slot(1, hour, weeks_ahead=2))
        with self.assertRaisesRegex(UserError, "per week"):
            self.booking._reschedule(
                self.patient, first, self.therapist, self._slot(3, 10, weeks_ahead=2)
            )
        self.env.invalidate_all()
        self.assertEqual(first.state, "confirmed")

    def test_waitlist_first_to_book_wins(self):
        sols = self.booking._book(self.patient, self.therapist, self._slot(1, 10))
        waiting = self.env["clinic.waitlist"].create(
            [
                {"patient_id": self.patient_2.id, "therapist_id": self.therapist.id},
                {
                    "patient_id": self._make_patient("Wanda Waiting").id,
                    "therapist_id": self.therapist.id,
                },
            ]
        )
        self._submit_intake(waiting[1].patient_id)
        self.booking._cancel(self.patient, sols)
        mails = self.env["mail.mail"].search([("model", "=", "clinic.waitlist")])
        self.assertEqual(len(mails), 2, "each waiting patient is e-mailed")
        self.assertEqual(waiting.mapped("offer_start"), [sols.start, sols.start])
        self.assertIn(
            f"/my/clinic/book?therapist_id={self.therapist.id}&amp;start=", mails[0].body_html
        )
        won = self.booking._book(self.patient_2, self.therapist, sols.start)
        self.assertEqual(won.start, sols.start)
        self.assertEqual(waiting[0].state, "booked")
        with self.assertRaisesRegex(UserError, "just been taken"):
            self.booking._book(waiting[1].patient_id, self.therapist, sols.start)
        self.assertEqual(waiting[1].state, "waiting")

    def test_front_desk_cancelling_offers_the_time_to_the_waiting_list(self):
        session = self._book(self._local(self._slot(2, 10)), state="confirmed")
        entry = self.env["clinic.waitlist"].create(
            {"patient_id": self.patient_2.id, "therapist_id": self.therapist.id}
        )
        wizard = (
            self.env["clinic.session.cancel"]
            .with_user(self.user_front_desk)
            .create(
                {
                    "session_ids": [fields.Command.set(session.ids)],
                    "party": "clinic",
                    "reason": "Therapist ill",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(entry.offer_start, session.start)
        self.assertTrue(
            self.env["mail.mail"].search(
                [("model", "=", "clinic.waitlist"), ("res_id", "=", entry.id)]
            )
        )

    def test_the_time_offered_reads_in_the_patients_language_and_the_clinics_time(self):
        """A French patient is offered "jeudi …, 10:00" (Paris), not the server's English."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.patient_2.partner_id.lang = "fr_FR"
        start = self._slot(3, 10)
        entry = self.env["clinic.waitlist"].create(
            {"patient_id": self.patient_2.id, "therapist_id": self.therapist.id}
        )
        entry.offer_start = start
        local = self._local(start)
        self.assertEqual(
            entry.offer_local,
            f"{FRENCH_DAYS[local.weekday()]} {local.day} "
            f"{FRENCH_MONTHS[local.month - 1]} {local.year}, 10:00",
        )


FRENCH_DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
