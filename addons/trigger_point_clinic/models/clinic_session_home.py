from datetime import timedelta

from odoo import fields, models


class ClinicSession(models.Model):
    """What My Day shows of the patient's home programme before the session: a red flag of the
    daily check waiting for a re-screening, and a line of the last seven days' adherence and
    pain per region. Computed with the reader's own rights on the daily checks (the care
    team's): empty for the front desk."""

    _inherit = "clinic.session"

    patient_home_status = fields.Selection(
        [("paused", "Paused: re-screen")],
        compute="_compute_patient_home",
        string="Home Programme",
        help="Paused: the daily check raised a red flag; re-screen before the session.",
    )
    patient_home_line = fields.Char(
        compute="_compute_patient_home",
        string="Between Sessions",
        help="The last seven days of the home programme: practices done of due, and the "
        "average pain logged per region.",
    )

    def _compute_patient_home(self):
        self.patient_home_status = False
        self.patient_home_line = False
        checks = self.env["clinic.home.check"]
        if not checks.has_access("read"):
            return
        self.env["clinic.patient"].flush_model(["care_user_ids"])
        patients = (
            self.env["clinic.patient.screening"]
            .search([("patient_id", "in", self.patient_id._origin.ids)])
            .patient_id
        )
        if not patients:
            return
        paused = set(
            checks.sudo()
            .search([("patient_id", "in", patients.ids), ("state", "=", "paused")])
            .patient_id.ids
        )
        programmes = self.env["clinic.home.programme"]
        today = fields.Date.context_today(self)
        week_ago = today - timedelta(days=6)
        adherence = programmes._adherence_report(patients, week_ago, today)
        for session in self:
            patient = session.patient_id._origin
            if patient not in patients:
                continue
            session.patient_home_status = "paused" if patient.id in paused else False
            done = sum(week[1] for week in adherence.get(patient.id, []))
            due = sum(week[2] for week in adherence.get(patient.id, []))
            if not due:
                continue
            pains = [
                f"{region.name} {sum(p for _d, p in points) / len(points):.1f}"
                for region, points in programmes._pain_series(patient, week_ago, today).items()
            ]
            session.patient_home_line = self.env._(
                "%(done)s/%(due)s done (%(ratio)s %%)%(pain)s",
                done=done,
                due=due,
                ratio=round(100 * done / due),
                pain=("; pain " + ", ".join(pains)) if pains else "",
            )
