"""Screens never opened in Chromium before (review leftover, issue 25), each used in a tour as
its users do: a manager's note template that a therapist's note then starts from, the patient's
private calendar feed and a session's ``.ics``, a therapist's feed from Preferences > Calendar,
and a verification listing a signed note not yet chained, then chained."""

from odoo import fields
from odoo.tests import tagged

from .test_patient_portal import PortalCase
from .tour_common import TourCase

TEMPLATE = "Neck and shoulders, 60 minutes"


@tagged("post_install", "-at_install")
class TestScreenTours(PortalCase, TourCase):
    def test_manager_makes_a_note_template_the_therapist_s_note_starts_from(self):
        tara = self._make_patient("Tara Template")
        self._submit_intake(tara, days_ago=1)
        session = self._book_today(tara, self.therapist, self.room, state="confirmed")

        self.start_tour("/odoo", "trigger_point_clinic_note_template", login="clinic_manager")

        template = self.env["clinic.treatment.note.template"].search([("name", "=", TEMPLATE)])
        self.assertEqual(template.product_id, session.product_id)
        self.assertEqual((template.technique, template.minutes), ("myofascial_release", 12))

        self.start_tour(
            "/odoo", "trigger_point_clinic_note_from_template", login="clinic_therapist"
        )

        note = session.treatment_note_ids
        self.assertEqual(note.template_id, template)
        self.assertIn("Where does it hurt today, and since when?", note.subjective)
        self.assertEqual(
            [(line.region_id.code, line.technique, line.minutes) for line in note.line_ids],
            [("upper_trapezius", "myofascial_release", 12)],
        )

    def _book_sols_and_toms(self):
        sols = self.booking._book(self.patient, self.therapist, self._slot(1, 10))
        self.booking._book(self.patient_2, self.therapist_2, self._slot(1, 11))
        return sols

    def test_patient_subscribes_to_their_sessions_then_turns_the_feed_off(self):
        self._book_sols_and_toms()

        self.start_tour("/my/clinic", "trigger_point_clinic_patient_calendar_feed", login="sol")

        self.assertFalse(self.env["clinic.calendar.feed"]._feed_of(self.patient), "turned off")

    def test_therapist_subscribes_from_her_preferences(self):
        self._book_sols_and_toms()

        self.start_tour(
            "/odoo", "trigger_point_clinic_therapist_calendar_feed", login="clinic_therapist"
        )

        self.assertTrue(self.env["clinic.calendar.feed"]._feed_of(self.therapist))
        self.assertFalse(self.env["clinic.calendar.feed"]._feed_of(self.patient))

    def test_verification_lists_a_signed_note_not_yet_chained_then_chained(self):
        Seal = self.env["clinic.record.seal"]
        Seal._chain(self.company)
        vera = self._make_patient("Vera Verify")
        self._submit_intake(vera, days_ago=30)
        note = self._sign_note(
            self._book(self._next_weekday(0, 10, weeks_ahead=-1), state="done", patient_id=vera.id)
        )
        # A check made while the note waited for the next chaining batch.
        first = self.env["clinic.record.verification"]._verify(self.company)
        self.assertEqual((first.state, first.unchained_count), ("intact", 2))
        seal = Seal.search([("res_model", "=", note._name), ("res_id", "=", note.id)])
        signed = fields.Datetime.context_timestamp(
            seal.with_context(tz="Europe/Paris"), seal.signed_at
        )
        self.assertIn(
            f"Treatment Note #{note.id}, signed {signed:%Y-%m-%d %H:%M} (Europe/Paris)",
            first.unchained,
            "the time the note was signed, in the clinic's time",
        )

        self.start_tour(
            "/odoo/action-trigger_point_clinic.clinic_record_verification_action",
            "trigger_point_clinic_verification_unchained",
            login="clinic_manager",
        )

        last = self.env["clinic.record.verification"].search([], order="id desc", limit=1)
        self.assertNotEqual(last, first)
        self.assertEqual((last.state, last.unchained_count), ("intact", 0))
        seal.invalidate_recordset()
        self.assertTrue(seal.sequence, "the note is chained")
