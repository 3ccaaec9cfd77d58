from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields, sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ScheduleCase


@tagged("post_install", "-at_install")
class TestDoubleBooking(ScheduleCase):
    def test_therapist_overlap_refused_naming_the_session(self):
        monday = self._next_weekday(0, 10)
        first = self._book(monday)
        with self.assertRefused(ValidationError, "Tess Therapist is already booked .*Sol Session"):
            self._book(
                monday + timedelta(minutes=30), patient_id=self.patient_2.id, room_id=self.room_2.id
            )
        self.assertEqual(
            self.env["clinic.session"].search_count([("therapist_id", "=", self.therapist.id)]), 1
        )
        self.assertEqual(first.state, "draft")

    def test_slot_taken_refused_at_once_while_another_booking_waits_its_turn(self):
        """A desk booking a slot already taken is refused at once, even while another desk's
        booking of the same therapist holds the therapist's turn: refusals do not queue behind
        each other (under load, 190 of 200 attempts)."""
        monday = self._next_weekday(0, 10)
        # Tess's session at 10:00, made without taking Tess's turn in this transaction (booked
        # for another therapist, then given to her in SQL): the turn is the other desk's.
        first = self._book(monday, therapist_id=self.therapist_2.id, room_id=self.room_2.id)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE clinic_session SET therapist_id = %s WHERE id = %s",
            [self.therapist.id, first.id],
        )
        self.env.invalidate_all()
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(other.close)
        other.execute("SET lock_timeout = '3s'")
        other.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), %s)",
            ["trigger_point_clinic:clinic.session.therapist", self.therapist.id],
        )
        self.env.cr.execute("SET LOCAL lock_timeout = '3s'")
        with self.assertRefused(ValidationError, "Tess Therapist is already booked"):
            self._book(monday, patient_id=self.patient_2.id)

    def test_room_overlap_refused(self):
        monday = self._next_weekday(0, 10)
        self._book(monday)
        with self.assertRefused(ValidationError, "Room 1 is already booked"):
            self._book(monday, patient_id=self.patient_2.id, therapist_id=self.therapist_2.id)

    def test_back_to_back_sessions_are_fine(self):
        monday = self._next_weekday(0, 10)
        self._book(monday)
        second = self._book(monday + timedelta(hours=1), patient_id=self.patient_2.id)
        self.assertEqual(second.duration, 1.0)

    def test_cancelled_session_frees_its_slot(self):
        monday = self._next_weekday(0, 10)
        first = self._book(monday)
        first._cancel("Patient has the flu", "patient")
        second = self._book(monday, patient_id=self.patient_2.id)
        self.assertEqual(second.state, "draft")
        with self.assertRefused(ValidationError, "already booked"):
            first.action_reset_to_draft()

    def test_moving_a_session_onto_another_is_refused(self):
        monday = self._next_weekday(0, 10)
        self._book(monday)
        later = self._book(monday + timedelta(hours=4), patient_id=self.patient_2.id)
        with self.assertRefused(ValidationError, "already booked"):
            later.write(
                {"start": self._utc(monday), "stop": self._utc(monday) + timedelta(hours=1)}
            )
        self.assertEqual(self._local(later.start), monday + timedelta(hours=4))

    def test_database_refuses_overlap_even_without_the_check(self):
        """The exclusion constraint holds even if the readable check is bypassed."""
        monday = self._next_weekday(0, 10)
        first = self._book(monday)
        second = self._book(monday + timedelta(hours=4), patient_id=self.patient_2.id)
        self.env.flush_all()
        with self.assertRaises(Exception) as caught, self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE clinic_session SET start = %s, stop = %s WHERE id = %s",
                [first.start, first.stop, second.id],
            )
        self.assertEqual(caught.exception.pgcode, "23P01")  # exclusion_violation
        message = self.env["clinic.session"]._sql_error_to_message(caught.exception)
        self.assertIn(f"session #{first.id}", message)


@tagged("post_install", "-at_install")
class TestSessionRules(ScheduleCase):
    def test_a_state_in_a_message_reads_in_the_users_language(self):
        """The front desk in French is told the session is "Annulée", not "Cancelled"."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.model.fields.selection"].search(
            [
                ("field_id.model", "=", "clinic.session"),
                ("field_id.name", "=", "state"),
                ("value", "=", "cancelled"),
            ]
        ).with_context(lang="fr_FR").name = "Annulée"
        self.env.registry.clear_cache()
        self.user_front_desk.lang = "fr_FR"
        session = self._book(self._next_weekday(1), state="cancelled")
        with self.assertRaisesRegex(UserError, "is Annulée and cannot be cancelled"):
            # A web client sends the user's language in its context.
            session.with_user(self.user_front_desk).with_context(lang="fr_FR")._cancel(
                "again", "clinic"
            )

    def test_stop_before_start_and_zero_duration(self):
        monday = self._utc(self._next_weekday(0, 10))
        for label, stop in (("before", monday - timedelta(hours=1)), ("zero", monday)):
            with (
                self.subTest(label),
                self.assertRefused(ValidationError, "ends at or before it starts"),
            ):
                self.env["clinic.session"].create(
                    {
                        "patient_id": self.patient.id,
                        "therapist_id": self.therapist.id,
                        "room_id": self.room.id,
                        "start": monday,
                        "stop": stop,
                    }
                )
        self.assertFalse(self.env["clinic.session"].search([("patient_id", "=", self.patient.id)]))

    def test_outside_working_hours_refused_unless_a_manager_forces(self):
        evening = self._next_weekday(0, 20)
        with self.assertRefused(ValidationError, "Outside Tess Therapist's working hours"):
            self._book(evening)
        with self.assertRefused(ValidationError, "Outside"):
            self._book(
                self._next_weekday(0, 11, weeks_ahead=2) + timedelta(minutes=30)
            )  # over lunch
        with self.assertRefused(UserError, "Only a clinic manager can force"):
            self.env["clinic.session"].with_user(self.user_front_desk).create(
                self._session_values(evening, forced_schedule=True)
            )
        forced = (
            self.env["clinic.session"]
            .with_user(self.user_manager)
            .create(self._session_values(evening, forced_schedule=True))
        )
        self.assertTrue(forced.forced_schedule)

    def test_leave_and_closing_day_refused(self):
        tuesday = self._next_weekday(1, 10)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Training",
                "resource_id": self.therapist.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": self._utc(tuesday.replace(hour=0)),
                "date_to": self._utc(tuesday.replace(hour=23)),
            }
        )
        with self.assertRefused(ValidationError, "Tess Therapist on leave"):
            self._book(tuesday)
        self.assertTrue(self._book(tuesday, therapist_id=self.therapist_2.id))
        wednesday = self._next_weekday(2, 10)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Clinic closed",
                "calendar_id": self.calendar.id,
                "date_from": self._utc(wednesday.replace(hour=0)),
                "date_to": self._utc(wednesday.replace(hour=23)),
            }
        )
        with self.assertRefused(ValidationError, "Clinic closed"):
            self._book(wednesday, therapist_id=self.therapist_2.id)

    def test_confirm_and_start_enforce_the_screening(self):
        stranger = self._make_patient("Nina Nointake")
        session = self._book(self._next_weekday(3, 10), patient_id=stranger.id)
        with self.assertRefused(UserError, "Nina Nointake cannot be treated"):
            session.action_confirm()
        self.assertEqual(session.state, "draft")
        ok = self._book(self._next_weekday(3, 14))
        ok.action_confirm()
        self.assertEqual(ok.state, "confirmed")
        self._submit_intake(self.patient, yes=["fever"])
        with freeze_time(ok.start), self.assertRefused(UserError, "Fever"):
            ok.action_start()
        self.assertEqual(ok.state, "confirmed")

    def test_a_session_starts_near_its_time_and_ends_after_it(self):
        session = self._book(self._next_weekday(2, 11))
        session.action_confirm()
        with (
            freeze_time(session.start - timedelta(hours=6)),
            self.assertRefused(UserError, "starts at 11:00: it can be started from an hour before"),
        ):
            session.action_start()
        with freeze_time(session.start - timedelta(minutes=30)):
            session.action_start()
            with self.assertRefused(UserError, "has not reached its booked start yet"):
                session.action_done()
        with freeze_time(session.start + timedelta(minutes=50)):
            session.action_done()
        self.assertEqual(session.state, "done")

    def test_booking_ends_the_service_length_after_it_starts(self):
        service = self.env.ref("trigger_point_clinic.product_trigger_point_session_30")
        form = Form(self.env["clinic.session"])
        form.patient_id = self.patient
        form.therapist_id = self.therapist
        form.room_id = self.room
        form.product_id = service
        form.start = self._utc(self._next_weekday(1, 9))
        self.assertEqual(form.stop, form.start + timedelta(minutes=30))

    def test_late_cancellation_follows_the_notice_policy(self):
        base = self._next_weekday(0, 10)
        session = self._book(base)
        with freeze_time(self._utc(base) - timedelta(hours=3)):
            session._cancel("Stuck at work", "patient")
        self.assertTrue(session.late_cancel)
        self.assertEqual(session.cancelled_by_id, self.env.user)
        early = self._book(base + timedelta(hours=1), patient_id=self.patient_2.id)
        with freeze_time(self._utc(base) - timedelta(days=3)):
            early._cancel("Holiday", "patient")
        self.assertFalse(early.late_cancel)
        clinic = self._book(base + timedelta(hours=3))
        with freeze_time(self._utc(base)):
            clinic._cancel("Therapist ill", "clinic")
        self.assertFalse(clinic.late_cancel)
        self.company.clinic_late_cancel_hours = 96
        policy = self._book(base + timedelta(hours=4))
        with freeze_time(self._utc(base) - timedelta(days=3)):
            policy._cancel("Holiday", "patient")
        self.assertTrue(policy.late_cancel)

    def test_cancel_needs_a_reason(self):
        session = self._book(self._next_weekday(0, 15))
        with self.assertRefused(UserError, "reason"):
            session._cancel("  ", "patient")
        self.assertEqual(session.state, "draft")

    def test_no_show_only_after_start_and_done_sessions_stay_put(self):
        local = self._next_weekday(4, 10)
        session = self._book(local)
        session.action_confirm()
        with self.assertRefused(UserError, "once its start time has passed"):
            session.action_no_show()
        with freeze_time(self._utc(local) + timedelta(minutes=20)):
            session.action_no_show()
        self.assertEqual(session.state, "no_show")
        with self.assertRefused(UserError, "can no longer change"):
            session.write({"room_id": self.room_2.id})

    def test_override_covers_its_session_from_confirmation_to_end(self):
        patient = self._make_patient("Olga Override")
        self._submit_intake(patient, yes=["severe_osteoporosis"])
        session = self._book(self._next_weekday(0), patient_id=patient.id)
        other = self._book(self._next_weekday(1), patient_id=patient.id)
        with self.assertRefused(UserError, "Severe osteoporosis"):
            session.action_confirm()
        override = (
            self.env["clinic.screening.override"]
            .with_user(self.user_manager)
            .create({"patient_id": patient.id, "reason": "Clearance letter seen, scan to follow."})
        )
        session.action_confirm()
        self.assertEqual(override.session_id, session)
        with freeze_time(session.start):
            session.with_user(self.user_therapist).action_start()
            session.with_user(self.user_therapist).action_done()
        self.assertEqual(session.state, "done")
        with self.assertRefused(UserError, "Severe osteoporosis"):
            other.action_confirm()

    def test_display_name_in_clinic_time(self):
        session = self._book(datetime(2031, 7, 7, 10, 0))  # a Monday, summer time
        self.assertIn("2031-07-07 10:00", session.display_name)
        self.assertEqual(session.start, fields.Datetime.to_datetime("2031-07-07 08:00:00"))
