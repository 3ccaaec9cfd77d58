"""The therapist's answer to "is this working?": the episode's form draws each measure over
time against what makes a change count (MCID line, PPT's MDC band), with dates on the axis,
read by the therapist over JSON-RPC as her client reads it."""

from datetime import date

from lxml import html

from odoo.tests import tagged

from .episode_common import EpisodeCase


@tagged("post_install", "-at_install")
class TestOutcomeCharts(EpisodeCase):
    def _charts(self, episode):
        (values,) = self.assertRpc(
            "therapist", True, "clinic.episode", "read", [episode.ids, ["outcome_charts"]]
        )
        page = html.fromstring(f"<div>{values['outcome_charts']}</div>")
        return {
            (chart.get("data-code"), chart.get("data-label")): chart
            for chart in page.xpath("//div[contains(@class, 'o_clinic_outcome_chart')]")
        }

    def _points(self, chart):
        return [
            (circle.get("data-date"), float(circle.get("data-value")), float(circle.get("cy")))
            for circle in chart.xpath(".//circle")
        ]

    def test_nrs_with_its_mcid_line_and_ppt_with_its_mdc_band_over_the_sessions(self):
        """NRS 7, 6, 5: the important change from 7 is 2 points (30 % would be 2.1), the line
        sits at 5 and the latest point on it. PPT 1.5, 1.8, 2.3 kg/cm2: the band is 1.5 +-
        0.62, the second point inside it, the latest above it."""
        episode = self._create_episode()
        notes = [
            self._treat_and_chart(episode, pain, ppt=ppt)
            for pain, ppt in ((7, 1.5), (6, 1.8), (5, 2.3))
        ]
        days = [str(self.company._clinic_local_date(note.date)) for note in notes]
        charts = self._charts(episode)
        region = self._region("upper_trapezius").display_name
        nrs = charts[("nrs", region)]
        ppt = charts[("ppt", f"{region} (Left)")]

        points = self._points(nrs)
        self.assertEqual([(day, value) for day, value, _y in points], list(zip(days, [7, 6, 5])))
        (line,) = nrs.xpath(".//line[contains(@class, 'o_clinic_mcid_line')]")
        self.assertEqual(float(line.get("data-value")), 5.0)
        self.assertEqual(float(line.get("y1")), points[-1][2])
        self.assertIn("Farrar 2001", line.xpath("string(./title)"))
        self.assertEqual(nrs.get("data-result"), "improved")
        self.assertGreater(points[0][2], 0)
        self.assertLess(points[0][2], float(line.get("y1")))  # 7 drawn above the line at 5
        dates = [text.text for text in nrs.xpath(".//text[contains(@class, 'o_clinic_date')]")]
        self.assertEqual(len(dates), 3)
        first = date.fromisoformat(days[0])
        self.assertTrue(dates[0].startswith(f"{first.day} {first:%b}"), dates[0])

        points = self._points(ppt)
        self.assertEqual([value for _day, value, _y in points], [1.5, 1.8, 2.3])
        (band,) = ppt.xpath(".//rect[contains(@class, 'o_clinic_mdc_band')]")
        self.assertEqual((band.get("data-low"), band.get("data-high")), ("0.88", "2.12"))
        top = float(band.get("y"))
        bottom = top + float(band.get("height"))
        self.assertTrue(top < points[1][2] < bottom, "1.8 is within the measurement error")
        self.assertLess(points[2][2], top, "2.3 is above the band")
        self.assertEqual(ppt.get("data-result"), "improved")
        self.assertIn("Walton 2011", "".join(episode._outcome_table(episode._outcomes())))

    def test_a_questionnaire_with_its_mcid_line(self):
        """Two NRS questionnaires answered 8 then 7: the line of important change is at 6,
        the latest point above it: no change yet."""
        episode = self._create_episode()
        questionnaire = self.env.ref("trigger_point_clinic.questionnaire_nrs")
        for value in ("8", "7"):
            response = self.env["clinic.questionnaire.response"].create(
                {"episode_id": episode.id, "questionnaire_id": questionnaire.id}
            )
            response.answer_ids.write({"value": value})
            response.with_user(self.user_therapist).action_submit()
        chart = self._charts(episode)[("nrs", questionnaire.name)]
        points = self._points(chart)
        self.assertEqual([value for _day, value, _y in points], [8.0, 7.0])
        (line,) = chart.xpath(".//line[contains(@class, 'o_clinic_mcid_line')]")
        self.assertEqual(float(line.get("data-value")), 6.0)
        self.assertLess(points[-1][2], float(line.get("y1")))
        self.assertEqual(chart.get("data-result"), "no_change")

    def test_an_episode_without_measures_says_when_charts_appear(self):
        episode = self._create_episode()
        self.assertFalse(self._charts(episode))
        (values,) = self.assertRpc(
            "therapist", True, "clinic.episode", "read", [episode.ids, ["outcome_charts"]]
        )
        self.assertIn("The charts appear once a measure is recorded", values["outcome_charts"])
