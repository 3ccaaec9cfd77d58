"""The patient's pain over time on *My sessions*: pain before treatment (NRS 0 to 10) per
region over the patient's signed notes, one small SVG line chart per region. The geometry is
computed here, in SVG units of the template's CHART_WIDTH by CHART_HEIGHT box
(``portal_clinic_home``); the page only draws it."""

from collections import defaultdict

from odoo import api, models

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 320, 120, 18
# At most this many dates under a chart's axis, at least this far apart (SVG units).
CHART_DATES, CHART_DATE_GAP = 5, 44


def chart_points(values):
    """The (x, y) of each value (0 to 10, oldest first) in the chart's box: spread evenly from
    left to right (a single value in the middle), pain 10 at the top."""
    count = len(values)
    inner_w = CHART_WIDTH - 2 * CHART_PAD
    inner_h = CHART_HEIGHT - 2 * CHART_PAD
    points = []
    for index, value in enumerate(values):
        x = CHART_PAD + (inner_w * index / (count - 1) if count > 1 else inner_w / 2)
        y = CHART_PAD + inner_h * (10 - value) / 10
        points.append((round(x, 1), round(y, 1)))
    return points


def chart_ticks(xs):
    """The indexes of the dates written under the axis, for points at ``xs``: the first and
    the last, and between them as many as fit (CHART_DATES at most, CHART_DATE_GAP apart)."""
    count = len(xs)
    every = max(1, -(-count // CHART_DATES))
    ticks = [i for i in range(count) if i % every == 0 or i == count - 1]
    if len(ticks) > 1 and xs[ticks[-1]] - xs[ticks[-2]] < CHART_DATE_GAP:
        del ticks[-2]
    return ticks


class ClinicOnlineBooking(models.AbstractModel):
    _inherit = "clinic.online.booking"

    @api.model
    def _pain_charts(self, patient):
        """Per region (by name), the chart of ``patient``'s pain before treatment over their
        signed notes, oldest session on the left: ``dots`` and ``polyline`` to draw, ``ticks``
        (x, short date) under the axis, the first and latest scores and dates."""
        lines = (
            self.env["clinic.treatment.note.line"]
            .sudo()
            .search(
                [
                    ("note_id.patient_id", "=", patient.id),
                    ("note_id.state", "=", "signed"),
                    ("pain_before", "!=", False),  # a score not entered is not a 0
                ],
            )
        )
        series = defaultdict(list)
        for line in lines:
            series[line.region_id].append((line.note_id.date, line.pain_before))
        charts = []
        for region, points in sorted(series.items(), key=lambda item: item[0].name):
            points.sort(key=lambda point: point[0])
            dots = chart_points([before for _date, before in points])
            ticks = [
                (dots[i][0], self._short_date(patient, points[i][0]))
                for i in chart_ticks([x for x, _y in dots])
            ]
            charts.append(
                {
                    "region": region.name,
                    "dots": dots,
                    "ticks": ticks,
                    "polyline": " ".join(f"{x},{y}" for x, y in dots),
                    "first": points[0][1],
                    "latest": points[-1][1],
                    "first_date": patient._when(points[0][0], "date"),
                    "latest_date": patient._when(points[-1][0], "date"),
                    "count": len(points),
                }
            )
        return charts

    @api.model
    def _short_date(self, patient, when):
        return patient._when(when, "short_date")
