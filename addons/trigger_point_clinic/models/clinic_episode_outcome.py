from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .clinic_outcome_measures import IMPROVED, MEASURES, NO_CHANGE, RESPONSES, WORSE, classify

NO_CHANGE_TYPE = "trigger_point_clinic.mail_activity_type_no_important_change"
DEFAULT_RESPONDER_SESSIONS = 4


class ResCompany(models.Model):
    _inherit = "res.company"

    clinic_responder_sessions = fields.Integer(
        string="Flag no important change after",
        default=DEFAULT_RESPONDER_SESSIONS,
        help="Done sessions of an episode after which a patient without a clinically "
        "important improvement on any measure is flagged for the therapist.",
    )

    @api.constrains("clinic_responder_sessions")
    def _check_clinic_responder_sessions(self):
        for company in self:
            if not 1 <= company.clinic_responder_sessions <= 52:
                raise ValidationError(
                    self.env._(
                        "Flag no important change after must be between 1 and 52 sessions "
                        "(it is %(value)s).",
                        value=company.clinic_responder_sessions,
                    )
                )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_responder_sessions = fields.Integer(
        related="company_id.clinic_responder_sessions", readonly=False
    )


class ClinicEpisode(models.Model):
    """Is this working? Per measure of the episode, the change from baseline to latest
    against the measure's clinically important change."""

    _inherit = "clinic.episode"

    responder_status = fields.Selection(
        RESPONSES,
        compute="_compute_outcomes",
        help="Improved when a measure improved by its clinically important change; worse when "
        "one got worse and none improved; else no change.",
    )
    outcome_summary = fields.Html(compute="_compute_outcomes", sanitize=False)

    def _compute_outcomes(self):
        for episode in self:
            outcomes = episode._outcomes()
            results = {outcome["result"] for outcome in outcomes}
            episode.responder_status = (
                (IMPROVED in results and IMPROVED)
                or (WORSE in results and WORSE)
                or (outcomes and NO_CHANGE)
                or False
            )
            episode.outcome_summary = episode._outcome_table(outcomes)

    @api.private
    def _outcome_series(self):
        """The one reading of an episode's measures over time, for the outcome table, its
        charts and the letter: per measure a label and its dated values, oldest first. NRS per
        region (the NRS before treatment, worst side, of the signed notes of the episode), PPT
        per trigger point (the charted region or muscle, and its side), and each
        questionnaire's submitted scores."""
        self.ensure_one()
        episode = self.sudo()
        company = episode.company_id or self.env.company
        notes = episode.session_ids.treatment_note_ids.filtered(lambda n: n.state == "signed")
        pain = defaultdict(dict)
        ppt = defaultdict(dict)
        for note in notes.sorted(lambda n: (n.date, n.id)):
            day = company._clinic_local_date(note.date)
            for line in note.line_ids:
                region = line.region_id
                if line.pain_before is not False:  # not entered is not a 0
                    worst = pain[region].get(note.id, (day, 0))[1]
                    pain[region][note.id] = (day, max(worst, line.pain_before))
                if line.ppt_measured:
                    ppt[(region, line.side)][note.id] = (day, line.ppt)
        series = [
            {"code": "nrs", "label": region.display_name, "points": list(points.values())}
            for region, points in pain.items()
        ]
        sides = dict(self.env["clinic.treatment.note.line"]._fields["side"].selection)
        for (region, side), points in ppt.items():
            label = f"{region.display_name} ({sides.get(side, side)})"
            series.append({"code": "ppt", "label": label, "points": list(points.values())})
        responses = episode.response_ids.filtered(lambda r: r.state == "submitted")
        for questionnaire in responses.questionnaire_id:
            answered = responses.filtered(
                lambda r, q=questionnaire: r.questionnaire_id == q
            ).sorted(lambda r: (r.date_submitted, r.id))
            series.append(
                {
                    "code": questionnaire.scoring,
                    "label": questionnaire.name,
                    "points": [
                        (company._clinic_local_date(r.date_submitted), r.score) for r in answered
                    ],
                }
            )
        return series

    @api.private
    def _outcomes(self):
        """Per measure: label, baseline, latest, change, MCID and result (PGIC: its latest
        answer), from the series of ``_outcome_series``."""
        self.ensure_one()
        outcomes = (
            self._outcome(s["code"], s["label"], [value for _day, value in s["points"]])
            for s in self._outcome_series()
        )
        return [outcome for outcome in outcomes if outcome]

    def _outcome(self, code, label, series):
        if not series or (code != "pgic" and len(series) < 2):
            return None
        baseline, latest = series[0], series[-1]
        measure = MEASURES[code]
        return {
            "code": code,
            "measure": measure.name,
            "label": label,
            "baseline": baseline,
            "latest": latest,
            "change": None if code == "pgic" else latest - baseline,
            "mcid_points": measure.mcid_points,
            "mcid_percent": measure.mcid_percent,
            "citation": measure.citation,
            "result": classify(code, baseline, latest),
        }

    def _outcome_table(self, outcomes):
        if not outcomes:
            return Markup("<p class='text-muted'>%s</p>") % self.env._(
                "No measure has a baseline and a later value yet."
            )
        labels = dict(RESPONSES)
        colours = {IMPROVED: "success", NO_CHANGE: "secondary", WORSE: "danger"}
        rows = Markup().join(
            Markup(
                "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td><span class='badge text-bg-%s'>%s</span></td></tr>"
            )
            % (
                outcome["measure"],
                outcome["label"],
                _number(outcome["baseline"]) if outcome["code"] != "pgic" else "",
                _number(outcome["latest"]),
                self._mcid_text(outcome),
                colours[outcome["result"]],
                labels[outcome["result"]],
            )
            for outcome in outcomes
        )
        header = Markup("").join(
            Markup("<th>%s</th>") % escape(title)
            for title in (
                self.env._("Measure"),
                self.env._("What"),
                self.env._("Baseline"),
                self.env._("Latest"),
                self.env._("Important change"),
                self.env._("Result"),
            )
        )
        return Markup("<table class='table table-sm o_clinic_outcomes'><tr>%s</tr>%s</table>") % (
            header,
            rows,
        )

    def _mcid_text(self, outcome):
        if outcome["code"] == "pgic":
            return self.env._("much or very much improved (%(c)s)", c=outcome["citation"])
        parts = []
        if outcome["mcid_points"] is not None:
            parts.append(_number(outcome["mcid_points"]))
        if outcome["mcid_percent"] is not None:
            parts.append(f"{_number(outcome['mcid_percent'])} %")
        return f"{' / '.join(parts)} ({outcome['citation']})"

    # ------------------------------------------------------------------ the flag

    @api.private
    def _flag_no_important_change(self, therapist_user):
        """The one rule of the flag: once an open episode has the clinic's number of done
        sessions (Settings) and no measure improved by its clinically important change, the
        therapist gets a "No important change" activity on it, once."""
        activity_type = self.env.ref(NO_CHANGE_TYPE)
        for episode in self.sudo():
            threshold = episode.company_id.clinic_responder_sessions
            if (
                episode.state != "open"
                or episode.no_change_flagged
                or episode.done_session_count < threshold
                or episode.responder_status == IMPROVED
            ):
                continue
            episode._workflow_write({"no_change_flagged": True})
            user = therapist_user if therapist_user and not therapist_user.share else None
            episode.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._(
                    "No clinically important change after %(n)s sessions", n=threshold
                ),
                user_id=(user or episode.create_uid).id,
            )


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)
