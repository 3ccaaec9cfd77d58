from datetime import datetime, timedelta

import psycopg2
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ScheduleCase
from .frozen_common import refused_each_in_sql


class NoteCase(ScheduleCase):
    """A patient whose intake maps pain in the neck, low back and legs, with varicose veins
    (local: legs) and on an anticoagulant (moderate pressure at most)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_therapist_2 = cls._make_user("therapist", login="clinic_therapist_2")
        cls.therapist_2.user_id = cls.user_therapist_2
        cls.patient_pain = cls._make_patient("Pia Pain")
        cls._submit_intake(
            cls.patient_pain,
            yes=["varicose_veins"],
            medications=["anticoagulant"],
            pain={"upper_trapezius": 7, "low_back_hip": 5, "leg": 4},
        )

    @classmethod
    def _past_session(cls, weeks_ago=1, patient=None, therapist=None, state="done", hour=10):
        monday = fields.Date.today() - timedelta(days=fields.Date.today().weekday())
        day = monday - timedelta(weeks=weeks_ago)
        return cls._book(
            datetime(day.year, day.month, day.day, hour),
            patient_id=(patient or cls.patient_pain).id,
            therapist_id=(therapist or cls.therapist).id,
            state=state,
        )

    def _note(self, session=None, user=None):
        session = session or self._past_session()
        notes = self.env["clinic.treatment.note"].with_user(user or self.user_therapist)
        return notes.create({"session_id": session.id})

    def _line(self, note, region, **vals):
        return note.line_ids.create(
            {
                "note_id": note.id,
                "region_id": self._region(region).id,
                "technique": "pressure_release",
                **vals,
            }
        )

    def _signed_note(self, session=None):
        note = self._note(session)
        note.line_ids.write({"technique": "pressure_release", "minutes": 8})
        note.write(
            {
                "subjective": "<p>Neck stiff since Monday.</p>",
                "homecare_ids": [
                    fields.Command.create(
                        {
                            "region_id": self._region("upper_trapezius").id,
                            "instructions": "Ball against the wall, 30 s, three times.",
                        }
                    )
                ],
            }
        )
        note.action_sign()
        return note


@tagged("post_install", "-at_install")
class TestTreatmentNoteCharting(NoteCase):
    def test_lines_prefilled_from_pain_map_within_screening(self):
        note = self._note()
        self.assertEqual(
            note.line_ids.mapped("region_id"),
            self._region("upper_trapezius") | self._region("low_back_hip"),
            "the worst pain first; the legs are excluded by the varicose veins",
        )
        self.assertEqual(note.line_ids.mapped("pain_before"), [7, 5])
        self.assertEqual(set(note.line_ids.mapped("pressure")), {"moderate"})
        self.assertIn(self._region("gastrocnemius"), note.excluded_region_ids)
        self.assertEqual(note.max_pressure, "moderate")
        self.assertIn("Anticoagulant", note.screening_precautions)

    def test_local_contraindication_refuses_the_line(self):
        note = self._note()
        with self.assertRefused(
            ValidationError, r"Leg / Gastrocnemius must not be treated for Pia Pain: Varicose"
        ):
            self._line(note, "gastrocnemius")
        with self.assertRefused(ValidationError, "must not be treated"):
            note.line_ids[0].region_id = self._region("leg")
        self.assertEqual(len(note.line_ids), 2)
        self.assertEqual(note.line_ids[0].region_id, self._region("upper_trapezius"))

    def test_region_list_offers_no_region_the_screening_excludes(self):
        """The region picker of a note line, as the note form evaluates it, leaves out the
        legs and their muscles that Pia's varicose veins exclude."""
        note = self._note()
        form = note.with_user(self.user_therapist).get_views([(False, "form")])
        arch = etree.fromstring(form["views"]["form"]["arch"])
        [region] = arch.xpath("//field[@name='line_ids']/list/field[@name='region_id']")
        parent = {"excluded_region_ids": note.excluded_region_ids.ids}
        domain = safe_eval(region.get("domain"), {"parent": _Record(parent)})
        offered = self.env["clinic.body.region"].with_user(self.user_therapist).search(domain)
        for excluded in ("leg", "gastrocnemius"):
            self.assertNotIn(self._region(excluded), offered)
        self.assertIn(self._region("piriformis"), offered)
        self.assertIn(self._region("upper_trapezius"), offered)

    def test_anticoagulant_refuses_deep_pressure(self):
        note = self._note()
        with self.assertRefused(
            ValidationError, r"Deep pressure on .* \(moderate at most\): .*Anticoagulant"
        ):
            self._line(note, "piriformis", pressure="deep")
        with self.assertRefused(ValidationError, "Firm pressure"):
            note.line_ids[0].pressure = "firm"
        self.assertEqual(note.line_ids[0].pressure, "moderate")
        self._line(note, "piriformis", pressure="light")
        self.assertEqual(len(note.line_ids), 3)

    def test_no_precaution_allows_deep_pressure(self):
        note = self._note(self._past_session(patient=self.patient))
        line = self._line(note, "piriformis", pressure="deep")
        self.assertEqual(line.pressure, "deep")
        self.assertFalse(note.max_pressure)

    def test_bad_measures_refused_and_nothing_changed(self):
        note = self._note()
        line = note.line_ids[0]
        for field, value, pattern in (
            ("pain_before", 11, "NRS Before on .* is 11: pain is a whole number from 0"),
            ("pain_before", -1, "NRS Before on .* is -1"),
            ("pain_after", 11, "NRS After on .* is 11"),
            ("minutes", -5, "Minutes on .* is -5"),
            ("ppt", -1.5, "PPT on .* is -1.5 kg/cm²"),
        ):
            with self.subTest(field=field, value=value):
                with self.assertRefused(ValidationError, pattern):
                    line.write({field: value})
                with self.assertRefused(ValidationError, pattern.split(" on ")[0]):
                    self._line(note, "piriformis", **{field: value})
        with self.assertRefused(ValidationError, "measured pressure pain threshold is above 0"):
            line.write({"ppt_measured": True, "ppt": 0})
        # NRS after stays empty until entered (issue 23: it was pre-filled with NRS before).
        self.assertEqual((line.pain_before, line.pain_after, line.minutes), (7, False, 0))
        self.assertFalse(line.ppt_measured)
        self.assertEqual(len(note.line_ids), 2)
        line.ppt = 2.35
        self.assertTrue(line.ppt_measured, "typing a threshold marks it measured")

    def test_second_note_for_a_session_refused(self):
        session = self._past_session()
        self._note(session)
        with self.assertRefused(ValidationError, "already has a treatment note; open it"):
            self._note(session)
        self.assertEqual(len(session.treatment_note_ids), 1)

    def test_note_on_cancelled_or_missed_session_refused(self):
        cancelled = self._past_session(state="cancelled")
        missed = self._past_session(weeks_ago=2, state="no_show")
        for session, state in ((cancelled, "Cancelled"), (missed, "No-show")):
            with self.assertRefused(ValidationError, f"is {state}: there was no treatment"):
                self._note(session)
        self.assertFalse(
            self.env["clinic.treatment.note"].search(
                [("session_id", "in", (cancelled | missed).ids)]
            )
        )

    def test_homecare_dose_checked(self):
        note = self._note()
        for vals, pattern in (
            ({"times_per_day": 0}, "Times per day .* is 0: enter 1 to 12"),
            ({"minutes": 0}, "Minutes each time .* is 0: enter 1 to 120"),
        ):
            with self.assertRefused(ValidationError, pattern):
                note.write(
                    {
                        "homecare_ids": [
                            fields.Command.create(
                                {"region_id": self._region("upper_trapezius").id, **vals}
                            )
                        ]
                    }
                )
        self.assertFalse(note.homecare_ids)

    def test_session_opens_its_note(self):
        session = self._past_session()
        self.assertEqual(session.treatment_note_state, "none")
        action = session.with_user(self.user_therapist).action_open_treatment_note()
        note = self.env["clinic.treatment.note"].browse(action["res_id"])
        self.assertEqual(note.session_id, session)
        self.assertEqual(session.treatment_note_state, "draft")
        again = session.with_user(self.user_therapist).action_open_treatment_note()
        self.assertEqual(again["res_id"], note.id)


@tagged("post_install", "-at_install")
class TestTreatmentNoteSigning(NoteCase):
    def test_sign_records_who_when_and_hash(self):
        note = self._signed_note()
        self.assertEqual(note.state, "signed")
        self.assertEqual(note.signed_by_id, self.user_therapist)
        self.assertTrue(note.date_signed)
        # SHA-256, with the version of its recipe (like account.move's hash_version).
        self.assertRegex(note.content_hash, r"^\$2\$[0-9a-f]{64}$")
        self.assertTrue(note.hash_verified)
        self.assertEqual(note.session_id.treatment_note_state, "signed")

    def test_sign_requirements(self):
        note = self._note()
        with self.assertRefused(UserError, "Set the Technique on Head and neck / Upper trapezius"):
            note.with_user(self.user_therapist).action_sign()
        note.line_ids.write({"technique": "stretching"})
        with self.assertRefused(UserError, "Only Tess Therapist, the session's therapist"):
            note.with_user(self.user_manager).action_sign()
        future = self._book(self._next_weekday(0, 10), patient_id=self.patient_pain.id)
        early = self._note(future)
        early.line_ids.write({"technique": "stretching"})
        with self.assertRefused(UserError, "has not taken place yet"):
            early.with_user(self.user_therapist).action_sign()
        self.assertEqual((note.state, early.state), ("draft", "draft"))

    def test_signed_note_locked_for_every_role(self):
        note = self._signed_note()
        digest = note.content_hash
        line = note.line_ids[0]
        item = note.homecare_ids[0]
        users = (
            self.user_therapist,
            self.user_therapist_2,
            self.user_manager,
            self.user_administrator,
        )
        for env in [self.env(user=user) for user in users] + [self.env(su=True)]:
            with self.subTest(user=env.user.login, su=env.su):
                for attempt in (
                    lambda n: n.write({"subjective": "<p>rewritten</p>"}),
                    lambda n: n.write({"state": "draft"}),
                    lambda n: n.unlink(),
                    lambda n: n.line_ids[0].write({"pain_after": 0}),
                    lambda n: n.line_ids[0].unlink(),
                    lambda n: n.line_ids.create(
                        {
                            "note_id": n.id,
                            "region_id": self._region("piriformis").id,
                            "pressure": "light",
                        }
                    ),
                    lambda n: n.homecare_ids[0].write({"times_per_day": 5}),
                    lambda n: n.homecare_ids[0].unlink(),
                ):
                    with self.assertRaises(UserError):  # an AccessError is a UserError too
                        attempt(note.with_env(env))
        self.assertEqual(note.state, "signed")
        self.assertEqual((line.pain_after, item.times_per_day), (False, 2))
        self.assertEqual(note.content_hash, digest)
        self.assertTrue(note.hash_verified)

    def test_signed_note_locked_in_the_database(self):
        """Not even SQL can change a signed note: the ORM's check has a twin in PostgreSQL."""
        note = self._signed_note()
        self.env.flush_all()
        refused_each_in_sql(
            self,
            (
                "UPDATE clinic_treatment_note SET subjective = '<p>x</p>' WHERE id = %s",
                "UPDATE clinic_treatment_note SET state = 'draft' WHERE id = %s",
                "DELETE FROM clinic_treatment_note WHERE id = %s",
                "UPDATE clinic_treatment_note_line SET pain_after = 0 WHERE note_id = %s",
                "DELETE FROM clinic_treatment_note_line WHERE note_id = %s",
                "UPDATE clinic_homecare_item SET minutes = 9 WHERE note_id = %s",
            ),
            [note.id],
            psycopg2.errors.IntegrityConstraintViolation,
        )
        self.env.invalidate_all()
        self.assertTrue(note.hash_verified)

    def test_amendment_added_under_the_signed_note(self):
        note = self._signed_note()
        amendment = (
            self.env["clinic.treatment.note.amendment"]
            .with_user(self.user_therapist)
            .create({"note_id": note.id, "text": "Left side was treated, not bilateral."})
        )
        self.assertEqual(note.amendment_ids, amendment)
        self.assertEqual(amendment.author_id, self.user_therapist)
        self.assertTrue(amendment.date)
        self.assertTrue(note.hash_verified, "the original is untouched")
        with self.assertRefused(AccessError, "not allowed to modify"):
            amendment.with_user(self.user_administrator).write({"text": "changed"})
        with self.assertRefused(UserError, "cannot be changed once added"):
            amendment.sudo().write({"text": "changed"})
        with self.assertRefused(UserError, "cannot be deleted"):
            amendment.sudo().unlink()
        self.assertEqual(amendment.text, "Left side was treated, not bilateral.")

    def test_sign_is_offered_to_the_sessions_therapist_only(self):
        note = self._note()
        self.assertTrue(note.with_user(self.user_therapist).can_sign)
        for user in (self.user_manager, self.user_administrator):
            self.assertFalse(note.with_user(user).can_sign, user.login)

    def test_amendment_only_on_signed_notes(self):
        note = self._note()
        with self.assertRefused(UserError, "not signed yet: correct it directly"):
            self.env["clinic.treatment.note.amendment"].create(
                {"note_id": note.id, "text": "too early"}
            )
        self.assertFalse(note.amendment_ids)


@tagged("post_install", "-at_install")
class TestTreatmentNoteAccess(NoteCase):
    def test_therapist_writes_own_notes_only(self):
        note = self._note()
        note.with_user(self.user_therapist).subjective = "<p>mine</p>"
        with self.assertRaises(AccessError):
            note.with_user(self.user_therapist_2).read(["subjective"])
        # Once Theo treats the patient too, he reads the note, but still cannot write it.
        self._past_session(weeks_ago=3, therapist=self.therapist_2)
        self.env.invalidate_all()
        note.with_user(self.user_therapist_2).read(["subjective"])
        with self.assertRaises(AccessError):
            note.with_user(self.user_therapist_2).write({"subjective": "<p>theirs</p>"})
        with self.assertRaises(AccessError):
            self._note(self._past_session(weeks_ago=4), user=self.user_therapist_2)
        self.assertEqual(note.subjective, "<p>mine</p>")

    def test_front_desk_cannot_read_notes(self):
        note = self._note()
        with self.assertRaises(AccessError):
            note.with_user(self.user_front_desk).read(["subjective"])
        with self.assertRaises(AccessError):
            note.line_ids.with_user(self.user_front_desk).read(["pain_before"])
        with self.assertRaises(AccessError):
            self.env["clinic.region.outcome"].with_user(self.user_front_desk).search([])

    def test_manager_reads_all_notes(self):
        note = self._note()
        self.assertEqual(
            self.env["clinic.treatment.note"].with_user(self.user_manager).search([]) & note, note
        )
        note.line_ids.with_user(self.user_manager).read(["pain_before"])
        with self.assertRaises(AccessError):
            note.with_user(self.user_manager).write({"subjective": "<p>edited</p>"})

    def test_therapists_land_on_their_notes_managers_on_all(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trigger_point_clinic.clinic_treatment_note_action"
        )
        defaults = {
            key.removeprefix("search_default_")
            for key in safe_eval(action["context"])
            if key.startswith("search_default_")
        }
        for user, lands_on_mine in (
            (self.user_therapist, True),
            (self.user_manager, False),
            (self.user_administrator, False),
        ):
            with self.subTest(user=user.login):
                views = (
                    self.env["clinic.treatment.note"].with_user(user).get_views([(False, "search")])
                )
                arch = etree.fromstring(views["views"]["search"]["arch"])
                filters = {node.get("name") for node in arch.iter("filter")}
                self.assertEqual(bool(defaults & filters), lands_on_mine)
                self.assertTrue(
                    arch.xpath("//filter[@string='My Notes']"), "everyone can filter on theirs"
                )


class _Record(dict):
    """A record's values as a form's expressions read them (``parent.field``)."""

    def __getattr__(self, name):
        return self[name]
