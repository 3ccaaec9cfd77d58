"""Is this working? The episode's measures drawn over time on its form, each against what makes
a change count: a questionnaire's or the NRS's line of clinically important change (MCID) from
the baseline, the PPT's band of measurement error (its minimal detectable change) around the
baseline, PGIC's line of "much improved". Server-rendered SVG, like the portal's pain chart,
from the same series as the outcome table (``_outcome_series``) and the same thresholds as the
responder rule (``clinic_outcome_measures``): a point beyond the line or outside the band is a
change the rule counts."""

from math import ceil

import babel.dates
from markupsafe import Markup, escape

from odoo import fields, models
from odoo.tools.misc import babel_locale_parse, format_date, get_lang

from .clinic_outcome_measures import MEASURES, PGIC_RESPONDER, classify, important_change

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 34, 12, 12, 30
# The value range drawn per measure (PPT: from 0 to above its highest value).
RANGES = {"nrs": (0, 10), "psfs": (0, 10), "pgic": (1, 7), "ndi": (0, 100), "odi": (0, 100)}
# Date labels under the axis: at most this many, evenly spread, the first and the latest.
MAX_DATE_LABELS = 3
LINE, REFERENCE, BAND = "#207882", "#c0392b", "#f0ad4e"


class ClinicEpisode(models.Model):
    _inherit = "clinic.episode"

    outcome_charts = fields.Html(
        compute="_compute_outcome_charts",
        sanitize=False,
        help="Per measure, its values over the episode's sessions and questionnaires, against "
        "its clinically important change (MCID) or, for PPT, its measurement error (MDC).",
    )

    def _compute_outcome_charts(self):
        for episode in self:
            charts = [episode._outcome_chart(series) for series in episode._outcome_series()]
            episode.outcome_charts = (
                Markup("<div class='row g-2 o_clinic_outcome_charts'>%s</div>")
                % Markup().join(charts)
                if charts
                else Markup("<p class='text-muted'>%s</p>")
                % self.env._("The charts appear once a measure is recorded in this episode.")
            )

    def _outcome_reference(self, code, baseline):
        """What a value is read against: ("line", value) for the level an important change
        reaches, ("band", low, high) for the PPT's measurement error around the baseline."""
        measure = MEASURES[code]
        if code == "pgic":
            return ("line", max(PGIC_RESPONDER))
        threshold = important_change(code, baseline)
        if threshold is None:
            return None
        if code == "ppt":
            return ("band", baseline - threshold, baseline + threshold)
        return ("line", baseline + threshold if measure.higher_is_better else baseline - threshold)

    def _outcome_chart(self, series):
        code, points = series["code"], series["points"]
        measure = MEASURES[code]
        values = [value for _day, value in points]
        baseline = values[0]
        reference = self._outcome_reference(code, baseline)
        low, high = RANGES.get(code, (0, None))
        if high is None:
            top = max([*values, reference[2] if reference else 0])
            high = max(ceil(top + 0.5), 1)
        inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

        def x(index):
            return round(LEFT + (inner_w * index / (len(points) - 1) if len(points) > 1 else 0), 1)

        def y(value):
            value = min(max(value, low), high)
            return round(TOP + inner_h * (high - value) / (high - low), 1)

        locale = babel_locale_parse(get_lang(self.env).code)
        parts = [
            Markup(
                "<line x1='%s' y1='%s' x2='%s' y2='%s' stroke='#bbb'/>"
                "<text x='%s' y='%s' font-size='10' fill='#888' text-anchor='end'>%s</text>"
                "<text x='%s' y='%s' font-size='10' fill='#888' text-anchor='end'>%s</text>"
            )
            % (
                LEFT,
                TOP + inner_h,
                WIDTH - RIGHT,
                TOP + inner_h,
                LEFT - 4,
                TOP + inner_h + 3,
                _number(low),
                LEFT - 4,
                TOP + 3,
                _number(high),
            )
        ]
        if reference and reference[0] == "band":
            _kind, band_low, band_high = reference
            parts.append(
                Markup(
                    "<rect class='o_clinic_mdc_band' x='%s' y='%s' width='%s' height='%s' "
                    "fill='%s' fill-opacity='0.25' data-low='%s' data-high='%s'>"
                    "<title>%s</title></rect>"
                    "<text class='o_clinic_mdc_label' x='%s' y='%s' font-size='9' fill='#a66d00' "
                    "text-anchor='end'>%s</text>"
                )
                % (
                    LEFT,
                    y(band_high),
                    inner_w,
                    round(y(band_low) - y(band_high), 1),
                    BAND,
                    _number(band_low),
                    _number(band_high),
                    self.env._(
                        "Measurement error (MDC %(mdc)s kg/cm²) around the baseline",
                        mdc=_number(measure.mcid_points),
                    ),
                    WIDTH - RIGHT,
                    y(band_high) - 2,
                    self.env._("MDC ±%(mdc)s", mdc=_number(measure.mcid_points)),
                )
            )
        elif reference:
            level = reference[1]
            parts.append(
                Markup(
                    "<line class='o_clinic_mcid_line' x1='%s' y1='%s' x2='%s' y2='%s' "
                    "stroke='%s' stroke-dasharray='5,3' data-value='%s'>"
                    "<title>%s</title></line>"
                    "<text class='o_clinic_mcid_label' x='%s' y='%s' font-size='9' fill='%s' "
                    "text-anchor='end' data-value='%s'>%s</text>"
                )
                % (
                    LEFT,
                    y(level),
                    WIDTH - RIGHT,
                    y(level),
                    REFERENCE,
                    _number(level),
                    self.env._(
                        "Clinically important change reached at %(level)s (%(citation)s)",
                        level=_number(level),
                        citation=measure.citation,
                    ),
                    WIDTH - RIGHT,
                    y(level) - 2,
                    REFERENCE,
                    _number(level),
                    self.env._("MCID %(level)s", level=_number(level)),
                )
            )
        parts.append(
            Markup("<polyline points='%s' fill='none' stroke='%s' stroke-width='2'/>")
            % (" ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values)), LINE)
        )
        for index, (day, value) in enumerate(points):
            parts.append(
                Markup(
                    "<circle class='o_clinic_point' cx='%s' cy='%s' r='3.5' fill='%s' "
                    "data-date='%s' data-value='%s'><title>%s: %s</title></circle>"
                )
                % (
                    x(index),
                    y(value),
                    LINE,
                    day,
                    _number(value),
                    format_date(self.env, day),
                    _number(value),
                )
            )
        shown = min(len(points), MAX_DATE_LABELS)
        last = len(points) - 1
        labelled = sorted({round(i * last / (shown - 1)) for i in range(shown)} if last else {0})
        for index in labelled:
            parts.append(
                Markup(
                    "<text class='o_clinic_date' x='%s' y='%s' font-size='9' fill='#666' "
                    "text-anchor='%s'>%s</text>"
                )
                % (
                    x(index),
                    HEIGHT - 12,
                    "start" if index == 0 else "end" if index == len(points) - 1 else "middle",
                    babel.dates.format_date(points[index][0], "d MMM yy", locale=locale),
                )
            )
        first_day, latest_day = points[0][0], points[-1][0]
        summary = self.env._(
            "%(what)s: %(first)s on %(first_day)s, %(latest)s on %(latest_day)s",
            what=series["label"],
            first=_number(baseline),
            first_day=format_date(self.env, first_day),
            latest=_number(values[-1]),
            latest_day=format_date(self.env, latest_day),
        )
        result = classify(code, baseline, values[-1]) if code == "pgic" or len(values) > 1 else None
        return Markup(
            "<div class='col-12 col-lg-6 o_clinic_outcome_chart' data-code='%s' data-label='%s' "
            "data-result='%s'>"
            "<div class='fw-bold small'>%s <span class='text-muted fw-normal'>%s</span></div>"
            "<svg viewBox='0 0 %s %s' width='100%%' style='max-width:480px' role='img' "
            "aria-label='%s' xmlns='http://www.w3.org/2000/svg'>%s</svg></div>"
        ) % (
            code,
            series["label"],
            result or "",
            series["label"],
            measure.name,
            WIDTH,
            HEIGHT,
            summary,
            Markup().join(parts),
        )


def _number(value):
    return f"{round(value, 2):g}" if isinstance(value, float) else escape(str(value))
