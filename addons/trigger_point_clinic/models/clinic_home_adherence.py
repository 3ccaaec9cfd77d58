from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models


class ClinicHomeProgramme(models.AbstractModel):
    _inherit = "clinic.home.programme"

    @api.private
    def _adherence(self, patient, date_from, date_to):
        """The one rule of adherence: per week (Monday to Sunday of the clinic's local days,
        ``res.company._clinic_tz``), practices done ÷ practices due. A day's due practices are
        the times a day of each home-care item of the signed note in force that day (from its
        session's local day until the next signed note's); a practice logged more often than
        due counts as due, not more. Returns [(monday, done, due)] from ``date_from`` to
        ``date_to`` (local dates), oldest first."""
        patient = patient.sudo()
        company = patient.company_id or self.env.company
        notes = (
            self.env["clinic.treatment.note"]
            .sudo()
            .search(
                [("patient_id", "=", patient.id), ("state", "=", "signed")],
                order="date, id",
            )
        )
        # The note in force from its session's local day: a later note replaces it.
        starts = [(company._clinic_local_date(note.date), note) for note in notes]
        logs = self.env["clinic.home.log"].sudo()
        done_per_item_day = {
            (item.id, day): count
            for item, day, count in logs._read_group(
                [
                    ("patient_id", "=", patient.id),
                    ("day", ">=", date_from),
                    ("day", "<=", date_to),
                ],
                ["homecare_item_id", "day:day"],
                ["__count"],
            )
        }
        weeks = defaultdict(lambda: [0, 0])
        day = date_from
        while day <= date_to:
            in_force = None
            for start, note in starts:
                if start <= day:
                    in_force = note
            monday = day - timedelta(days=day.weekday())
            week = weeks[monday]
            for item in in_force.homecare_ids if in_force else ():
                week[1] += item.times_per_day
                week[0] += min(done_per_item_day.get((item.id, day), 0), item.times_per_day)
            day += timedelta(days=1)
        return [(monday, done, due) for monday, (done, due) in sorted(weeks.items())]

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
            patient = screening.patient_id
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
