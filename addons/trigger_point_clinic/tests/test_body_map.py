"""The body diagram every screen draws from: each region of the catalogue has its place, the
patient's sides land where a reader expects them, and a marked region shows its value."""

from lxml import html

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestBodyMap(TransactionCase):
    def setUp(self):
        super().setUp()
        self.Region = self.env["clinic.body.region"]
        self.regions = self.Region.search([])

    def _region(self, code):
        return self.Region.search([("code", "=", code)])

    def _shape(self, drawing, code, side):
        return next(
            shape
            for view in drawing["views"]
            for shape in view["shapes"]
            if shape["code"] == code and shape["side"] == side
        )

    def test_every_region_of_the_catalogue_is_drawn(self):
        drawing = self.Region._body_map(self.regions)
        self.assertFalse(drawing["unmapped"], "every shipped region has its place on the body")
        drawn = {shape["code"] for view in drawing["views"] for shape in view["shapes"]}
        self.assertEqual(drawn, set(self.regions.mapped("code")))

    def test_sides_as_seen_from_the_front_and_from_the_back(self):
        """From the front the patient's right is on the viewer's left; from the back it is on
        the viewer's right. A midline region is drawn once."""
        drawing = self.Region._body_map(
            self._region("pectoralis_major") | self._region("piriformis") | self._region("abdomen")
        )
        self.assertLess(self._shape(drawing, "pectoralis_major", "right")["cx"], 100)
        self.assertGreater(self._shape(drawing, "pectoralis_major", "left")["cx"], 100)
        self.assertGreater(self._shape(drawing, "piriformis", "right")["cx"], 100)
        self.assertLess(self._shape(drawing, "piriformis", "left")["cx"], 100)
        abdomen = [s for v in drawing["views"] for s in v["shapes"] if s["code"] == "abdomen"]
        self.assertEqual([s["side"] for s in abdomen], ["bilateral"])

    def test_marks_and_values_are_drawn_on_their_side(self):
        trapezius = self._region("upper_trapezius")
        drawing = self.Region._body_map(self.regions, {trapezius.id: [("left", 6)]})
        left = self._shape(drawing, "upper_trapezius", "left")
        right = self._shape(drawing, "upper_trapezius", "right")
        self.assertEqual((left["marked"], left["value"]), (True, 6))
        self.assertFalse(right["marked"])
        page = html.fromstring(
            self.env["ir.qweb"]._render("trigger_point_clinic.body_map", {"body_map": drawing})
        )
        marked = page.xpath("//g[contains(@class, 'o_marked')]")
        self.assertEqual(
            [(g.get("data-region-code"), g.get("data-side")) for g in marked],
            [("upper_trapezius", "left")],
        )
        self.assertEqual(marked[0].xpath("string(.//text)"), "6")

    def test_a_region_the_clinic_adds_is_listed_not_lost(self):
        custom = self.Region.create({"name": "Jaw joint", "code": "tmj_custom"})
        self.assertFalse(custom.map_shape)
        drawing = self.Region._body_map(custom)
        self.assertEqual(drawing["unmapped"], custom)
        page = self.env["ir.qweb"]._render("trigger_point_clinic.body_map", {"body_map": drawing})
        self.assertIn("Jaw joint", str(page))
