from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Per patient and local week: practices done (at most the times a day due, per item and day)
# and due, of the signed note in force each local day. A note is in force from its session's
# local day until the next signed note's (LEAD over the patient's notes in signing order).
CHART_WIDTH = 280
CHART_HEIGHT = 90
CHART_PAD = 6

ADHERENCE_SQL = """
WITH notes AS (
    SELECT n.id, n.patient_id, n.date,
           (n.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS start
      FROM clinic_treatment_note n
     WHERE n.state = 'signed' AND n.patient_id IN (SELECT unnest(%(patients)s::int[]))
), spans AS (
    SELECT id, patient_id,
           GREATEST(start, %(date_from)s::date) AS first_day,
           LEAST(COALESCE((LEAD(start) OVER w) - 1, %(date_to)s::date), %(date_to)s::date)
               AS last_day
      FROM notes
    WINDOW w AS (PARTITION BY patient_id ORDER BY date, id)
), items AS (
    SELECT s.patient_id, s.first_day, s.last_day, i.id, i.times_per_day
      FROM spans s
      JOIN clinic_homecare_item i ON i.note_id = s.id
     WHERE s.first_day <= s.last_day
), due AS (
    SELECT it.patient_id, d::date - (extract(isodow FROM d)::int - 1) AS monday,
           SUM(it.times_per_day) AS due
      FROM items it
     CROSS JOIN LATERAL generate_series(it.first_day, it.last_day, interval '1 day') d
  GROUP BY 1, 2
), done AS (
    SELECT it.patient_id, l.day - (extract(isodow FROM l.day)::int - 1) AS monday,
           SUM(LEAST(l.n, it.times_per_day)) AS done
      FROM (SELECT homecare_item_id, day, count(*) AS n
              FROM clinic_home_log
             WHERE patient_id IN (SELECT unnest(%(patients)s::int[]))
               AND day BETWEEN %(date_from)s AND %(date_to)s
          GROUP BY 1, 2) l
      JOIN items it ON it.id = l.homecare_item_id AND l.day BETWEEN it.first_day AND it.last_day
  GROUP BY 1, 2
)
SELECT due.patient_id, due.monday, COALESCE(done.done, 0), due.due
  FROM due
  LEFT JOIN done USING (patient_id, monday)
"""


class ClinicHomeProgramme(models.AbstractModel):
    _inherit = "clinic.home.programme"

    @api.private
    def _adherence(self, patient, date_from, date_to):
        """Adherence of one patient: [(monday, done, due)] (``_adherence_report``)."""
        return self._adherence_report(patient, date_from, date_to).get(patient.id, [])

    @api.private
    def _adherence_report(self, patients, date_from, date_to):
        """The one rule of adherence: per week (Monday to Sunday of the clinic's local days,
        ``res.company._clinic_tz``), practices done ÷ practices due. A day's due practices are
        the times a day of each home-care item of the signed note in force that day (from its
        session's local day until the next signed note's); a practice logged more often than
        due counts as due, not more. Computed in one grouped query per clinic timezone.
        Returns {patient id: [(monday, done, due)]} from the week of ``date_from`` to
        ``date_to`` (local dates), oldest first, every week listed."""
        patients = patients.sudo()
        self.env["clinic.home.log"].flush_model()
        self.env["clinic.treatment.note"].flush_model(["state", "date", "patient_id"])
        self.env["clinic.homecare.item"].flush_model(["note_id", "times_per_day"])
        by_tz = defaultdict(list)
        for patient in patients:
            company = patient.company_id or self.env.company
            by_tz[company._clinic_tz().zone].append(patient.id)
        figures = defaultdict(dict)
        for tz, patient_ids in by_tz.items():
            self.env.cr.execute(
                SQL(
                    ADHERENCE_SQL,
                    tz=tz,
                    patients=patient_ids,
                    date_from=date_from,
                    date_to=date_to,
                )
            )
            for patient_id, monday, done, due in self.env.cr.fetchall():
                figures[patient_id][monday] = (int(done), int(due))
        mondays = []
        monday = date_from - timedelta(days=date_from.weekday())
        while monday <= date_to:
            mondays.append(monday)
            monday += timedelta(weeks=1)
        return {
            patient.id: [(monday, *figures[patient.id].get(monday, (0, 0))) for monday in mondays]
            for patient in patients
        }

    @api.private
    def _pain_series(self, patient, date_from, date_to):
        """Pain per region between sessions: {region: [(local day, average pain that day)]}."""
        series = defaultdict(list)
        for region, day, pain in (
            self.env["clinic.home.log"]
            .sudo()
            ._read_group(
                [
                    ("patient_id", "=", patient.id),
                    ("day", ">=", date_from),
                    ("day", "<=", date_to),
                ],
                ["region_id", "day:day"],
                ["pain:avg"],
                order="day:day",
            )
        ):
            series[region].append((day, pain))
        return dict(series)

    @api.private
    def _session_nrs(self, patient, date_from, date_to):
        """The NRS before treatment per region, charted in the signed notes' sessions:
        {region: [(local day, NRS)]}."""
        company = patient.company_id or self.env.company
        lines = (
            self.env["clinic.treatment.note.line"]
            .sudo()
            .search(
                [
                    ("patient_id", "=", patient.id),
                    ("note_state", "=", "signed"),
                    ("pain_before", "!=", False),
                    ("date", ">=", fields.Datetime.subtract(date_from, days=1)),
                    ("date", "<=", fields.Datetime.add(date_to, days=1)),
                ],
                order="date, id",
            )
        )
        series = defaultdict(list)
        for line in lines:
            day = company._clinic_local_date(line.date)
            if date_from <= day <= date_to:
                series[line.region_id].append((day, line.pain_before))
        return dict(series)

    @api.private
    def _pain_chart(self, patient, date_from, date_to):
        """Per region, the chart of the pain logged at home (a line of daily averages) next to
        the NRS of the sessions (dots): [{name, home, sessions, points}] in SVG units of a
        CHART_WIDTH by CHART_HEIGHT box, pain 10 at the top."""
        home = self._pain_series(patient, date_from, date_to)
        sessions = self._session_nrs(patient, date_from, date_to)
        days = max((date_to - date_from).days, 1)

        def point(day, pain):
            x = CHART_PAD + (CHART_WIDTH - 2 * CHART_PAD) * (day - date_from).days / days
            y = CHART_PAD + (CHART_HEIGHT - 2 * CHART_PAD) * (10 - pain) / 10
            return round(x, 1), round(y, 1)

        charts = []
        for region in sorted(set(home) | set(sessions), key=lambda r: r.complete_name):
            home_points = [(*point(day, pain), f"{pain:.1f}") for day, pain in home.get(region, [])]
            charts.append(
                {
                    "name": region.complete_name,
                    "code": region.code,
                    "home": home_points,
                    "line": " ".join(f"{x},{y}" for x, y, _label in home_points),
                    "sessions": [
                        (*point(day, pain), str(pain)) for day, pain in sessions.get(region, [])
                    ],
                }
            )
        return charts


class ClinicPatientScreening(models.Model):
    _inherit = "clinic.patient.screening"

    home_adherence = fields.Html(
        compute="_compute_home_adherence",
        sanitize=False,
        string="Between Sessions",
        help="Adherence to the home programme per week and the pain the patient logged per "
        "region, over the last four weeks.",
    )

    def _compute_home_adherence(self):
        programmes = self.env["clinic.home.programme"]
        for screening in self:
            # In a form's onchange the patient is a new record: the saved patient's figures.
            patient = screening.patient_id._origin
            if not patient:
                screening.home_adherence = False
                continue
            company = patient.company_id or self.env.company
            today = company._clinic_local_date(fields.Datetime.now())
            date_from = today - timedelta(days=today.weekday(), weeks=3)
            screening.home_adherence = self.env["ir.qweb"]._render(
                "trigger_point_clinic.home_adherence_summary",
                {
                    "weeks": [
                        {
                            "monday": fields.Date.to_string(monday),
                            "done": done,
                            "due": due,
                            "ratio": f"{round(100 * done / due)} %" if due else "",
                        }
                        for monday, done, due in programmes._adherence(patient, date_from, today)
                    ],
                    "charts": programmes._pain_chart(patient, date_from, today),
                    "chart_width": CHART_WIDTH,
                    "chart_height": CHART_HEIGHT,
                    "pain": [
                        (
                            region.complete_name,
                            [(day.strftime("%d/%m"), f"{pain:.1f}") for day, pain in points],
                        )
                        for region, points in programmes._pain_series(
                            patient, date_from, today
                        ).items()
                    ],
                },
            )
