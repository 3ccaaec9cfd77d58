from datetime import date, datetime, timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .frozen_common import refused_in_sql
from .rpc_common import RpcCase


class HomeProgrammeCase(RpcCase):
    """The self-massage programme: the latest signed note's home-care items, within the
    patient's screening, as the therapist reads it over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.programmes = cls.env["clinic.home.programme"]

    def _note(self, weeks_ago, items, patient=None, sign=True, therapist=None):
        """A note of a done session ``weeks_ago`` weeks back (Monday 10:00) with home-care
        ``items`` (region code, values), signed by its therapist (Tess unless ``therapist``)
        unless ``sign`` is false."""
        monday = fields.Date.today() - timedelta(days=fields.Date.today().weekday())
        day = monday - timedelta(weeks=weeks_ago)
        return self._note_on(day, items, patient, sign, therapist)

    def _note_on(self, day, items, patient=None, sign=True, therapist=None):
        """As ``_note``, of a done session on ``day`` at 10:00 (Paris)."""
        therapist = therapist or self.therapist
        session = self._book(
            datetime(day.year, day.month, day.day, 10),
            patient_id=(patient or self.patient).id,
            therapist_id=therapist.id,
            room_id=(self.room if therapist == self.therapist else self.room_2).id,
            state="done",
        )
        note = (
            self.env["clinic.treatment.note"]
            .with_user(therapist.user_id)
            .create(
                {
                    "session_id": session.id,
                    "homecare_ids": [
                        fields.Command.create({"region_id": self._region(code).id, **vals})
                        for code, vals in items
                    ],
                }
            )
        )
        if not note.line_ids:
            note.line_ids.create(
                {
                    "note_id": note.id,
                    "region_id": self._region("upper_trapezius").id,
                    "technique": "pressure_release",
                    "minutes": 10,
                }
            )
        if sign:
            note.with_user(therapist.user_id).action_sign()
        return note

    def _practised(self, patient=None):
        programme = self.programmes._for_patient(patient or self.patient)
        return [(p["region"].code, p["pressure"]) for p in programme["practices"]]

    def _read_summary(self, role, patient=None):
        screening = self.env["clinic.patient.screening"]._ensure_for(patient or self.patient)
        return self.rpc(
            role, "clinic.patient.screening", "read", [screening.ids, ["home_programme"]]
        )


@tagged("post_install", "-at_install")
class TestHomeProgramme(HomeProgrammeCase):
    def test_programme_follows_the_latest_signed_note(self):
        self.assertEqual(self._practised(), [])
        self._note(3, [("upper_trapezius", {"pressure": "firm"})])
        self.assertEqual(self._practised(), [("upper_trapezius", "firm")])
        # A draft note does not replace the programme; signing it does.
        draft = self._note(1, [("piriformis", {}), ("infraspinatus", {})], sign=False)
        self.assertEqual(self._practised(), [("upper_trapezius", "firm")])
        draft.with_user(self.user_therapist).action_sign()
        self.assertEqual(self._practised(), [("piriformis", "light"), ("infraspinatus", "light")])
        # A note signed later for an older session does not replace the newer session's items.
        self._note(5, [("levator_scapulae", {})])
        self.assertEqual(self._practised(), [("piriformis", "light"), ("infraspinatus", "light")])
        # The next signed note replaces the programme even when it gives nothing to practise.
        self._note(0, [])
        self.assertEqual(self._practised(), [])

    def test_excluded_regions_never_appear(self):
        """Varicose veins exclude the legs and their muscles: items given before the intake
        said so leave the programme at once, the others stay."""
        self._note(2, [("gastrocnemius", {}), ("leg", {}), ("upper_trapezius", {})])
        self.assertEqual(len(self._practised()), 3)
        self._submit_intake(self.patient, yes=["varicose_veins"])
        self.assertIn(self._region("leg"), self.patient.screening_ids.excluded_region_ids)
        self.assertEqual(self._practised(), [("upper_trapezius", "light")])
        ok, [row] = self._read_summary("therapist")
        self.assertTrue(ok)
        self.assertIn("Upper trapezius", row["home_programme"])
        self.assertNotIn("Gastrocnemius", row["home_programme"].split("Do not work on")[0])
        self.assertIn("Never press on varicose veins", row["home_programme"])

    def test_pressure_never_above_the_cap(self):
        self._note(
            2,
            [
                ("upper_trapezius", {"pressure": "deep"}),
                ("piriformis", {"pressure": "firm"}),
                ("infraspinatus", {"pressure": "light"}),
            ],
        )
        self.assertEqual(
            self._practised(),
            [("upper_trapezius", "deep"), ("piriformis", "firm"), ("infraspinatus", "light")],
        )
        self._submit_intake(self.patient, medications=["anticoagulant"])
        self.assertEqual(self.patient.screening_ids.max_pressure, "moderate")
        self.assertEqual(
            self._practised(),
            [
                ("upper_trapezius", "moderate"),
                ("piriformis", "moderate"),
                ("infraspinatus", "light"),
            ],
        )
        ok, [row] = self._read_summary("therapist")
        self.assertTrue(ok)
        self.assertNotIn("deep pressure", row["home_programme"])
        self.assertNotIn("firm pressure", row["home_programme"])
        self.assertIn("Press no harder than <strong>moderate</strong>", row["home_programme"])
        self.assertIn("press moderately at most", row["home_programme"])

    def test_programme_paused_while_the_screening_forbids_treatment(self):
        self._note(2, [("upper_trapezius", {})])
        self._submit_intake(self.patient, yes=["fever"])
        self.assertEqual(self.patient.screening_ids.verdict, "do_not_treat")
        programme = self.programmes._for_patient(self.patient)
        self.assertFalse(programme["practising"])
        self.assertEqual(programme["practices"], [])
        ok, [row] = self._read_summary("therapist")
        self.assertTrue(ok)
        self.assertIn("Paused", row["home_programme"])

    def test_front_desk_and_portal_read_none_of_it(self):
        self._note(2, [("upper_trapezius", {})])
        for role in ("front_desk", "portal"):
            ok, message = self._read_summary(role)
            self.assertFalse(ok, role)
            self.assertNotIn("trapezius", message)
        ok, _message = self._read_summary("therapist", patient=self.patient_2)
        self.assertFalse(ok, "Tom is in Marco's care, not Tess's")


@tagged("post_install", "-at_install")
class TestHomeLog(HomeProgrammeCase):
    """Logs of practices done: one per practice and minute, clinical records of the care team,
    frozen once the clinic's day has passed."""

    def _practice(self, patient=None):
        return self.programmes._for_patient(patient or self.patient)["practices"][0]

    def test_double_tap_counts_once(self):
        self._note(1, [("upper_trapezius", {})])
        logs = self.env["clinic.home.log"]
        now = fields.Datetime.now().replace(second=10)
        first = logs._log_practice(self.patient, self._practice(), 4, when=now)
        again = logs._log_practice(self.patient, self._practice(), 6, when=now.replace(second=50))
        self.assertEqual(again, first)
        later = logs._log_practice(
            self.patient, self._practice(), 3, when=now + timedelta(minutes=1)
        )
        self.assertNotEqual(later, first)
        self.assertEqual(logs.search_count([("patient_id", "=", self.patient.id)]), 2)
        self.assertEqual(first.pain, 4)
        # The database holds the rule against any other writer.
        self.env.flush_all()
        with refused_in_sql(self, psycopg2.errors.UniqueViolation):
            self.env.cr.execute(
                "INSERT INTO clinic_home_log (patient_id, homecare_item_id, region_id, date,"
                " minute, day, date_frozen, pain) SELECT patient_id, homecare_item_id,"
                " region_id, date, minute, day, date_frozen, 9 FROM clinic_home_log"
                " WHERE id = %s",
                [first.id],
            )

    def test_bad_pain_refused_and_nothing_stored(self):
        self._note(1, [("upper_trapezius", {})])
        logs = self.env["clinic.home.log"]
        for pain in (-1, 11, 2.5, "7", None, True):
            with self.subTest(pain=pain), self.assertRefused(ValidationError, "from 0 to 10"):
                logs._log_practice(self.patient, self._practice(), pain)
        self.assertFalse(logs.search([("patient_id", "=", self.patient.id)]))

    def test_logs_are_the_care_teams_and_frozen_after_the_day(self):
        self._note(1, [("upper_trapezius", {})])
        logs = self.env["clinic.home.log"]
        today = logs._log_practice(self.patient, self._practice(), 5)
        yesterday = logs._log_practice(
            self.patient, self._practice(), 2, when=fields.Datetime.now() - timedelta(days=1)
        )
        ok, rows = self.rpc(
            "therapist", "clinic.home.log", "search_read", [[]], {"fields": ["pain"]}
        )
        self.assertTrue(ok, rows)
        self.assertEqual({row["id"] for row in rows}, {today.id, yesterday.id})
        self.assertTrue(
            self.env["clinic.access.log"].search(
                [("patient_id", "=", self.patient.id), ("user_id", "=", self.user_therapist.id)]
            ),
            "the therapist's read is in the patient's access history",
        )
        ok, rows = self.rpc("manager", "clinic.home.log", "search_read", [[]], {"fields": ["pain"]})
        self.assertTrue(ok, rows)
        for role in ("front_desk", "portal"):
            ok, _message = self.rpc(role, "clinic.home.log", "search_read", [[]])
            self.assertFalse(ok, role)
        for role in ("therapist", "manager", "administrator"):
            ok, _message = self.rpc(role, "clinic.home.log", "write", [today.ids, {"pain": 0}])
            self.assertFalse(ok, role)
            ok, _message = self.rpc(role, "clinic.home.log", "unlink", [today.ids])
            self.assertFalse(ok, role)
        # Tom is in Marco's care: Tess sees none of his logs.
        self._note(1, [("upper_trapezius", {})], patient=self.patient_2, therapist=self.therapist_2)
        toms = logs._log_practice(self.patient_2, self._practice(self.patient_2), 1)
        ok, rows = self.rpc("therapist", "clinic.home.log", "search_read", [[]], {"fields": []})
        self.assertNotIn(toms.id, {row["id"] for row in rows})
        # Yesterday's log is frozen, even to the clinic's own code and to SQL.
        self.assertEqual((today | yesterday)._clinic_frozen(), yesterday)
        with self.assertRefused(UserError, "frozen|cannot"):
            yesterday.sudo().write({"pain": 9})
        self.env.flush_all()
        with refused_in_sql(self):
            self.env.cr.execute("UPDATE clinic_home_log SET pain = 9 WHERE id = %s", [yesterday.id])
        today.sudo().write({"comment": "Felt easier"})
        self.assertEqual(yesterday.pain, 2)


@tagged("post_install", "-at_install")
class TestHomeAdherence(HomeProgrammeCase):
    """Adherence per week of the clinic's local days (Paris), across the end of summer time."""

    def _at(self, *local):
        return self._utc(datetime(*local))

    def test_adherence_per_local_week_across_dst(self):
        # Summer time ends on Sunday 25 October 2026 in Paris: that week has a 25-hour Sunday.
        self._note_on(date(2026, 10, 19), [("upper_trapezius", {"times_per_day": 2})])
        practice = self._practice()
        logs = self.env["clinic.home.log"]
        for local in (
            # Monday 00:30 in Paris is still Sunday in UTC: it counts in the week of the 19th.
            (2026, 10, 19, 0, 30),
            # Three on Wednesday, two due: counts two.
            (2026, 10, 21, 8, 0),
            (2026, 10, 21, 12, 0),
            (2026, 10, 21, 20, 0),
            # Sunday 23:30 after the clocks went back (22:30 UTC): still the week of the 19th.
            (2026, 10, 25, 23, 30),
            # Monday 00:30 (Sunday 23:30 UTC): the week of the 26th.
            (2026, 10, 26, 0, 30),
        ):
            logs._log_practice(self.patient, practice, 3, when=self._at(*local))
        self.assertEqual(
            self.programmes._adherence(self.patient, date(2026, 10, 19), date(2026, 11, 1)),
            [(date(2026, 10, 19), 4, 14), (date(2026, 10, 26), 1, 14)],
        )
        # Before the note, nothing was due.
        self.assertEqual(
            self.programmes._adherence(self.patient, date(2026, 10, 12), date(2026, 10, 18)),
            [(date(2026, 10, 12), 0, 0)],
        )

    def _practice(self, patient=None):
        return self.programmes._for_patient(patient or self.patient)["practices"][0]

    def test_therapist_reads_adherence_and_pain_per_region(self):
        self._note(1, [("upper_trapezius", {"times_per_day": 1}), ("piriformis", {})])
        practices = self.programmes._for_patient(self.patient)["practices"]
        logs = self.env["clinic.home.log"]
        logs._log_practice(self.patient, practices[0], 6)
        logs._log_practice(self.patient, practices[1], 2)
        screening = self.patient.screening_ids
        ok, rows = self.rpc(
            "therapist", "clinic.patient.screening", "read", [screening.ids, ["home_adherence"]]
        )
        self.assertTrue(ok, rows)
        [row] = rows
        html = row["home_adherence"]
        self.assertIn("Adherence", html)
        self.assertRegex(
            html, r"Upper trapezius</strong>, pain \(0-10\):\s*<span[^>]*>\d\d/\d\d: 6\.0"
        )
        self.assertRegex(html, r"Piriformis</strong>, pain \(0-10\):\s*<span[^>]*>\d\d/\d\d: 2\.0")
        ok, _message = self.rpc(
            "front_desk", "clinic.patient.screening", "read", [screening.ids, ["home_adherence"]]
        )
        self.assertFalse(ok)
