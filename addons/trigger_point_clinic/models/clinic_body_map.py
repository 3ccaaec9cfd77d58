"""Where each region and muscle of the catalogue is drawn on the clinic's body diagram.

One figure, seen from the front and from the back, in a 200 by 440 box per view. A shape is an
ellipse given for the viewer's left half of its view; the renderer mirrors it for the other
side. Seen from the front, the viewer's left is the patient's right; seen from the back, it is
the patient's left. Regions on the midline (abdomen, sacrum, …) are drawn once.

Every screen that shows a body (the note's body chart, the patient's pain map, the home
programme's *where*) draws from :meth:`ClinicBodyRegion._body_map`, so the clinic's regions are
drawn the same way everywhere. A region a clinic adds without an entry here is listed beside the
drawing by name, never left out.
"""

from odoo import api, fields, models

VIEWS = ("front", "back")
VIEW_WIDTH = 200
VIEW_HEIGHT = 440

# code: (view, cx, cy, rx, ry, on the midline)
BODY_MAP = {
    "head_neck": ("front", 100, 40, 22, 28, True),
    "temporalis": ("front", 88, 24, 6, 8, False),
    "masseter": ("front", 90, 40, 5, 6, False),
    "sternocleidomastoid": ("front", 93, 56, 4, 9, False),
    "scalenes": ("front", 85, 63, 5, 5, False),
    "suboccipitals": ("back", 92, 47, 6, 4, False),
    "upper_trapezius": ("back", 80, 68, 14, 6, False),
    "levator_scapulae": ("back", 88, 60, 4, 8, False),
    "shoulder_upper_back": ("back", 100, 95, 38, 28, True),
    "infraspinatus": ("back", 78, 98, 10, 10, False),
    "supraspinatus": ("back", 80, 80, 9, 4, False),
    "rhomboids": ("back", 92, 96, 5, 12, False),
    "middle_trapezius": ("back", 87, 84, 8, 5, False),
    "lower_trapezius": ("back", 92, 116, 6, 12, False),
    "pectoralis_major": ("front", 82, 90, 15, 10, False),
    "pectoralis_minor": ("front", 77, 85, 7, 5, False),
    "arm": ("front", 52, 150, 12, 62, False),
    "forearm_extensors": ("back", 45, 182, 5, 16, False),
    "forearm_flexors": ("front", 45, 182, 5, 16, False),
    "biceps": ("front", 53, 120, 6, 16, False),
    "triceps": ("back", 53, 120, 6, 16, False),
    "low_back_hip": ("back", 100, 188, 34, 26, True),
    "quadratus_lumborum": ("back", 88, 172, 6, 12, False),
    "erector_spinae_lumbar": ("back", 95, 160, 4, 18, False),
    "gluteus_medius": ("back", 78, 200, 10, 8, False),
    "gluteus_minimus": ("back", 73, 209, 5, 6, False),
    "gluteus_maximus": ("back", 86, 220, 12, 12, False),
    "piriformis": ("back", 88, 207, 8, 3, False),
    "iliopsoas": ("front", 88, 200, 6, 12, False),
    "adductors": ("front", 91, 252, 5, 18, False),
    "tensor_fasciae_latae": ("front", 72, 216, 4, 8, False),
    "leg": ("front", 84, 312, 16, 86, False),
    "hamstrings": ("back", 84, 272, 9, 28, False),
    "quadriceps": ("front", 82, 266, 9, 30, False),
    "gastrocnemius": ("back", 84, 336, 8, 22, False),
    "soleus": ("back", 84, 366, 6, 12, False),
    "tibialis_anterior": ("front", 80, 346, 4, 22, False),
    "foot": ("front", 84, 416, 10, 8, False),
    "foot_intrinsics": ("back", 84, 416, 8, 6, False),
    "abdomen": ("front", 100, 165, 28, 28, True),
    "sacrum": ("back", 100, 216, 10, 12, True),
}

# The figure's outline, the same from the front and from the back (SVG path data).
OUTLINE = (
    "M100,10 a18,18 0 1,0 0.1,0 Z "
    "M92,46 h16 v14 h-16 Z "
    "M66,66 h68 q10,0 10,12 v150 q0,8 -8,8 h-72 q-8,0 -8,-8 v-150 q0,-12 10,-12 Z "
    "M44,70 h18 l2,150 q0,22 -10,22 h-6 q-10,0 -10,-22 Z "
    "M138,70 h18 l2,150 q0,22 -10,22 h-6 q-10,0 -10,-22 Z "
    "M70,232 h28 v176 h-28 Z "
    "M102,232 h28 v176 h-28 Z "
    "M68,408 h32 v16 q0,6 -6,6 h-22 q-4,0 -4,-6 Z "
    "M100,408 h32 v16 q0,6 -6,6 h-22 q-4,0 -4,-6 Z"
)

# Which copy of a shape stands for which side of the patient: the stored (viewer's left) copy
# is the patient's right from the front and the patient's left from the back.
_STORED_SIDE = {"front": "right", "back": "left"}
_MIRRORED_SIDE = {"front": "left", "back": "right"}


def _mirror(cx):
    return VIEW_WIDTH - cx


class ClinicBodyRegion(models.Model):
    _inherit = "clinic.body.region"

    map_shape = fields.Json(
        compute="_compute_map_shape",
        help="Where this region is drawn on the body diagram: its view and the ellipses of "
        "each side (empty for a region the diagram does not know).",
    )

    @api.depends("code")
    def _compute_map_shape(self):
        for region in self:
            region.map_shape = region._map_ellipses()

    def _map_ellipses(self):
        """``{"view", "shapes": [{"side", "cx", "cy", "rx", "ry"}]}`` for this region, or an
        empty dict when the body map has no entry for its code."""
        self.ensure_one()
        entry = BODY_MAP.get(self.code or "")
        if not entry:
            return {}
        view, cx, cy, rx, ry, midline = entry
        if midline:
            shapes = [{"side": "bilateral", "cx": cx, "cy": cy, "rx": rx, "ry": ry}]
        else:
            shapes = [
                {"side": _STORED_SIDE[view], "cx": cx, "cy": cy, "rx": rx, "ry": ry},
                {"side": _MIRRORED_SIDE[view], "cx": _mirror(cx), "cy": cy, "rx": rx, "ry": ry},
            ]
        return {"view": view, "shapes": shapes}

    @api.model
    def _body_map(self, regions, marks=None):
        """The drawing of ``regions`` on the body diagram, for QWeb and the web client alike.

        ``marks`` maps a region id to the sides to highlight (``"left"``, ``"right"``,
        ``"bilateral"`` for both) and, optionally, a value shown on it (a pain score)::

            {region_id: [("left", 6), ("right", None)]}

        Returns ``{"width", "height", "outline", "views": [{"name", "shapes": [...]}],
        "unmapped": regions}``: each shape carries the region's id, code and name, its side,
        its ellipse, whether it is marked and its value. Muscles are drawn above their region.
        """
        marks = marks or {}
        views = {view: [] for view in VIEWS}
        unmapped = self.browse()
        for region in regions.sorted(lambda r: (r.kind != "region", r.sequence, r.id)):
            drawing = region._map_ellipses()
            if not drawing:
                unmapped |= region
                continue
            region_marks = dict(marks.get(region.id, []))
            for shape in drawing["shapes"]:
                side = shape["side"]
                marked = side in region_marks or "bilateral" in region_marks
                value = region_marks.get(side, region_marks.get("bilateral"))
                views[drawing["view"]].append(
                    dict(
                        shape,
                        region_id=region.id,
                        code=region.code,
                        name=region.name,
                        kind=region.kind,
                        marked=marked,
                        value=value,
                    )
                )
        return {
            "width": VIEW_WIDTH,
            "height": VIEW_HEIGHT,
            "outline": OUTLINE,
            "views": [{"name": view, "shapes": views[view]} for view in VIEWS],
            "unmapped": unmapped,
        }
