from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_treatment_note import NoteCase


@tagged("post_install", "-at_install")
class TestOnePageCharting(NoteCase):
    """The therapist's one-page note (issue 23): what the form offers and what a click fills
    in. Pia's screening caps the pressure at moderate (anticoagulant) and excludes the legs."""

    def _form_arch(self, user=None):
        note_model = self.env["clinic.treatment.note"].with_user(user or self.user_therapist)
        views = note_model.get_views([(False, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    # ------------------------------------------------------------------ defects of issue 23

    def test_nrs_after_is_empty_until_entered(self):
        """Pre-filling NRS after with NRS before recorded "no change" nobody measured."""
        note = self._note()
        line = note.line_ids[0]
        self.assertEqual(line.pain_before, 7, "from the intake's pain map")
        self.assertIs(line.pain_after, False, "NRS after is empty, not NRS before")
        self.assertIs(line.pain_relief, False, "no relief computed from a score not entered")
        read = line.with_user(self.user_therapist).read(["pain_after", "pain_relief"])[0]
        self.assertIs(read["pain_after"], False, "the form shows an empty cell")
        line.pain_after = 0
        self.assertEqual(line.pain_after, 0, "0 is a score: no pain")
        self.assertEqual(line.pain_relief, 7)
        line.pain_after = 3
        self.assertEqual(line.pain_relief, 4)

    def test_deep_is_not_offered_to_a_patient_capped_at_moderate(self):
        note = self._note()
        self.assertEqual(note.line_ids[0].allowed_pressures, ["light", "moderate"])
        arch = self._form_arch()
        for pressure in arch.xpath("//field[@name='line_ids']//field[@name='pressure']"):
            self.assertEqual(pressure.get("widget"), "filterable_selection")
            self.assertIn("allowed_pressures", pressure.get("options"))
        uncapped = self._note(self._past_session(patient=self.patient, hour=15))
        line = self._line(uncapped, "piriformis")
        self.assertEqual(line.allowed_pressures, ["light", "moderate", "firm", "deep"])

    def test_amendments_are_shown_above_the_note_not_under_a_tab(self):
        arch = self._form_arch()
        [amendments] = arch.xpath("//field[@name='amendment_ids']")
        self.assertFalse(amendments.xpath("ancestor::page"), "not hidden in a tab")
        [notebook] = arch.xpath("//sheet/notebook")
        [lines] = arch.xpath("//field[@name='line_ids']")
        position = {el: index for index, el in enumerate(arch.iter())}
        self.assertLess(position[amendments], position[lines], "read before the lines")
        self.assertLess(position[amendments], position[notebook])

    # ------------------------------------------------------------------ copy forward

    def _previous_signed_note(self):
        note = self._note(self._past_session(weeks_ago=2))
        note.line_ids.unlink()
        self._line(note, "upper_trapezius", side="right", technique="stretching", minutes=8)
        self._line(note, "piriformis", side="left", minutes=6, pain_before=6, pain_after=2, ppt=2.5)
        note.write(
            {
                "homecare_ids": [
                    fields.Command.create(
                        {
                            "region_id": self._region("piriformis").id,
                            "instructions": "Ball under the buttock, 60 s.",
                            "times_per_day": 3,
                        }
                    )
                ]
            }
        )
        note.action_sign()
        return note

    def test_copy_previous_note_copies_regions_techniques_home_care_not_pain(self):
        previous = self._previous_signed_note()
        note = self._note()
        self.assertEqual(note.previous_note_id, previous)
        note.with_user(self.user_therapist).action_copy_previous_note()
        self.assertEqual(
            [
                (line.region_id.code, line.side, line.technique, line.minutes)
                for line in note.line_ids
            ],
            [
                ("upper_trapezius", "right", "stretching", 8),
                ("piriformis", "left", "pressure_release", 6),
            ],
        )
        self.assertEqual(note.line_ids.mapped("pain_before"), [False, False])
        self.assertEqual(note.line_ids.mapped("pain_after"), [False, False])
        self.assertEqual(note.line_ids.mapped("ppt"), [0.0, 0.0])
        self.assertEqual(note.homecare_ids.instructions, "Ball under the buttock, 60 s.")
        self.assertEqual(note.homecare_ids.times_per_day, 3)
        self.assertEqual(previous.line_ids.mapped("pain_after"), [False, 2], "previous unchanged")

    def test_copy_previous_note_only_by_the_session_s_therapist(self):
        self._previous_signed_note()
        note = self._note()
        with self.assertRaises(AccessError):
            note.with_user(self.user_front_desk).action_copy_previous_note()
        with self.assertRaises(AccessError):
            note.with_user(self.user_therapist_2).action_copy_previous_note()
        first = self._note(self._past_session(weeks_ago=3))
        with self.assertRefused(UserError, "no earlier treatment note"):
            first.with_user(self.user_therapist).action_copy_previous_note()

    def test_signed_note_is_not_copied_over(self):
        self._previous_signed_note()
        signed = self._signed_note()
        with self.assertRefused(UserError, "can no longer change"):
            signed.with_user(self.user_therapist).action_copy_previous_note()

    # ------------------------------------------------------------------ templates

    def test_a_service_s_template_starts_the_note(self):
        session = self._past_session()
        template = (
            self.env["clinic.treatment.note.template"]
            .with_user(self.user_manager)
            .create(
                {
                    "name": "Trigger-point hour",
                    "product_id": session.product_id.id,
                    "technique": "pressure_release",
                    "pressure": "firm",
                    "minutes": 10,
                    "objective": "<p>Palpation:</p>",
                }
            )
        )
        note = self._note(session)
        self.env.flush_all()  # as between two requests of the form
        self.assertEqual(note.template_id, template)
        self.assertIn("Palpation", note.objective)
        self.assertEqual(set(note.line_ids.mapped("technique")), {"pressure_release"})
        self.assertEqual(set(note.line_ids.mapped("minutes")), {10})
        self.assertEqual(
            set(note.line_ids.mapped("pressure")), {"moderate"}, "firm lowered to Pia's cap"
        )
        with self.assertRaises(AccessError):
            template.with_user(self.user_therapist).write({"minutes": 30})
        with self.assertRaises(AccessError):
            self.env["clinic.treatment.note.template"].with_user(self.user_front_desk).search([])

    # ------------------------------------------------------------------ body chart

    def test_body_chart_draws_the_catalogue_and_marks_what_is_excluded(self):
        note = self._note().with_user(self.user_therapist)
        chart = note.body_chart
        self.assertEqual([view["name"] for view in chart["views"]], ["front", "back"])
        codes = {shape["code"] for view in chart["views"] for shape in view["shapes"]}
        self.assertLessEqual({"upper_trapezius", "piriformis", "gastrocnemius"}, codes)
        self.assertIn(self._region("gastrocnemius").id, chart["excluded"])
        self.assertNotIn(self._region("upper_trapezius").id, chart["excluded"])
