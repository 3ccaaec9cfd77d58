"""A treatment note's outcomes and printed documents: the outcome summary per region, the
outcome graph, the signed note and the home-care sheet."""

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .test_treatment_note import NoteCase


@tagged("post_install", "-at_install")
class TestOutcomes(NoteCase):
    def _chart(self, weeks_ago, lines, sign=True):
        """A session ``weeks_ago`` weeks back, charted with ``lines`` (region, before, after,
        ppt, side) and signed."""
        session = self._past_session(weeks_ago=weeks_ago, patient=self.patient)
        note = self.env["clinic.treatment.note"].create({"session_id": session.id})
        for region, before, after, ppt, side in lines:
            self._line(
                note,
                region,
                pain_before=before,
                pain_after=after,
                ppt=ppt,
                side=side,
                minutes=5,
            )
        if sign:
            note.action_sign()
        return note

    def test_summary_per_region_on_crafted_series(self):
        trapezius, low_back = "upper_trapezius", "quadratus_lumborum"
        self._chart(4, [(trapezius, 8, 6, 1.5, "left"), (trapezius, 6, 5, 1.9, "right")])
        self._chart(3, [(trapezius, 7, 5, 1.8, "left"), (low_back, 5, 4, 0, "midline")])
        self._chart(2, [(trapezius, 6, 4, 0, "left"), (low_back, 5, 3, 0, "midline")])
        self._chart(1, [(trapezius, 5, 3, 2.4, "left"), (low_back, 4, 3, 0, "midline")])
        self._chart(0, [(trapezius, 1, 0, 3.5, "left")], sign=False)
        self.env.flush_all()
        outcomes = {o.region_id: o for o in self.patient.outcome_ids}
        self.assertEqual(set(outcomes), {self._region(trapezius), self._region(low_back)})

        neck = outcomes[self._region(trapezius)]
        self.assertEqual(neck.sessions, 4, "the draft note does not count")
        self.assertEqual((neck.first_pain, neck.latest_pain, neck.pain_change), (8, 5, -3))
        self.assertTrue(neck.mcid_reached)
        # Worst side per session: (8-6), (7-5), (6-4), (5-3) -> 2.0 on average.
        self.assertAlmostEqual(neck.average_relief, 2.0)
        self.assertAlmostEqual(neck.first_ppt, 1.7, msg="both sides of the first session")
        self.assertAlmostEqual(neck.latest_ppt, 2.4)

        back = outcomes[self._region(low_back)]
        self.assertEqual((back.sessions, back.first_pain, back.latest_pain), (3, 5, 4))
        self.assertEqual(back.pain_change, -1)
        self.assertFalse(back.mcid_reached, "one point is below the 2-point MCID")
        self.assertFalse(back.first_ppt)

    def test_single_session_is_no_change(self):
        self._chart(1, [("upper_trapezius", 9, 2, 0, "left")])
        self.env.flush_all()
        outcome = self.patient.outcome_ids
        self.assertEqual((outcome.sessions, outcome.pain_change), (1, 0))
        self.assertFalse(outcome.mcid_reached)

    def test_outcome_graph_averages_signed_lines_per_region(self):
        self._chart(
            2, [("upper_trapezius", 8, 4, 0, "left"), ("upper_trapezius", 7, 4, 0, "right")]
        )
        self._chart(1, [("quadratus_lumborum", 5, 3, 0, "midline")])
        action = self.patient.action_view_outcomes()
        lines = self.env["clinic.treatment.note.line"]
        groups = lines._read_group(
            action["domain"], ["top_region_id"], ["pain_before:avg", "pain_after:avg"]
        )
        averages = {region.code: (before, after) for region, before, after in groups}
        self.assertEqual(averages, {"head_neck": (7.5, 4.0), "low_back_hip": (5.0, 3.0)})

        # The graph: one bar per body region, the average relief (NRS before - after).
        graph = etree.fromstring(lines.get_views([(False, "graph")])["views"]["graph"]["arch"])
        [group_by] = [f.get("name") for f in graph.iter("field") if f.get("type") != "measure"]
        [measure] = [f.get("name") for f in graph.iter("field") if f.get("type") == "measure"]
        self.assertEqual(graph.get("type"), "bar")
        bars = lines._read_group(action["domain"], [group_by], [f"{measure}:avg"])
        self.assertEqual(
            {region.code: relief for region, relief in bars},
            {"head_neck": 3.5, "low_back_hip": 2.0},
        )


@tagged("post_install", "-at_install")
class TestTreatmentNoteReports(NoteCase):
    def test_signed_note_and_homecare_sheet_render(self):
        note = self._signed_note()
        self.env["clinic.treatment.note.amendment"].create(
            {"note_id": note.id, "text": "Patient called: soreness gone next day."}
        )
        reports = self.env["ir.actions.report"]
        html = reports._render_qweb_html("trigger_point_clinic.report_treatment_note", note.ids)[
            0
        ].decode()
        for expected in (
            "Pia Pain",
            "Upper trapezius",
            "Neck stiff since Monday.",
            note.content_hash,
            "Anticoagulant",
            "soreness gone next day",
        ):
            self.assertIn(expected, html)
        sheet = reports._render_qweb_html("trigger_point_clinic.report_homecare_sheet", note.ids)[
            0
        ].decode()
        self.assertIn("Ball against the wall", sheet)
        self.assertIn("Drink water", sheet)
        self.assertNotIn(note.content_hash, sheet, "the patient's sheet carries no clinical data")

    def test_print_buttons_skip_the_document_layout_wizard(self):
        """An Odoo administrator printing a note before any document layout was chosen gets
        the PDF, on Odoo's standard letterhead, not the layout configurator."""
        note = self._signed_note()
        self.company.external_report_layout_id = False
        admin = self.env.ref("base.user_admin")
        arch = etree.fromstring(
            note.with_user(admin).get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for method in ("action_print_note", "action_print_homecare"):
            with self.subTest(button=method):
                [button] = arch.xpath(f"//button[@name='{method}']")
                context = safe_eval(button.get("context", "{}"))
                action = getattr(note.with_user(admin).with_context(**context), method)()
                self.assertEqual(action["type"], "ir.actions.report")

    def test_unsigned_note_is_not_printed(self):
        note = self._note()
        with self.assertRefused(UserError, "Sign the note before printing it"):
            note.action_print_note()
        with self.assertRefused(UserError, "Add home-care items"):
            note.action_print_homecare()
