"""The patient's e-mailed reminders to practise, at the times the patient chose on Today, and
the private link they carry. No role has an access right on this model: the link's token, the
times and the e-mail address are read by the server's own code only, so staff never see a
working link."""

import re
import secrets
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .clinic_cron import single_run
from .clinic_private_links import private_links_allowed, send_private_mail

MAX_TIMES = 4
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ClinicHomeReminder(models.Model):
    _name = "clinic.home.reminder"
    _description = "Home Programme Reminder"

    patient_id = fields.Many2one(
        comodel_name="clinic.patient", required=True, ondelete="cascade", index=True
    )
    access_token = fields.Char(copy=False, required=True)
    email = fields.Boolean(string="E-mail Reminders")
    times = fields.Char(help="Local times of the reminders, 'HH:MM' separated by commas.")
    # The note whose programme the patient chose the reminders for: a newer signed note
    # replaces the programme, and stops the reminders until the patient chooses again.
    note_id = fields.Many2one(comodel_name="clinic.treatment.note", ondelete="set null")
    last_sent = fields.Datetime(help="When the last reminder left (naive UTC).")

    _patient_uniq = models.Constraint("UNIQUE(patient_id)", "A patient has one reminder.")

    @api.private
    def _ensure_for(self, patient):
        reminder = self.sudo().search([("patient_id", "=", patient.id)], limit=1)
        if not reminder:
            reminder = self.sudo().create(
                {"patient_id": patient.id, "access_token": secrets.token_urlsafe(32)}
            )
        return reminder

    @api.model
    def _parse_times(self, text):
        """``text`` ("8:00, 19:30") as sorted 'HH:MM' strings, or a ValidationError naming
        the time that is not one."""
        found = set()
        for raw in (text or "").replace(";", ",").split(","):
            raw = raw.strip()
            if not raw:
                continue
            match = TIME_RE.match(raw)
            if not match:
                raise ValidationError(
                    self.env._(
                        "Reminder time %(time)s is not a time: write it as 08:00 or 19:30.",
                        time=raw[:20],
                    )
                )
            found.add(f"{int(match.group(1)):02d}:{match.group(2)}")
        if len(found) > MAX_TIMES:
            raise ValidationError(
                self.env._(
                    "%(count)s reminder times: choose at most %(max)s a day.",
                    count=len(found),
                    max=MAX_TIMES,
                )
            )
        return sorted(found)

    @api.private
    def _choose(self, email, times):
        """The patient's choice on Today: e-mail reminders on or off, at ``times``."""
        self.ensure_one()
        parsed = self._parse_times(times)
        if email and not parsed:
            raise ValidationError(
                self.env._("Reminder times: give at least one time, such as 08:00.")
            )
        if email and not self.patient_id.email:
            raise ValidationError(
                self.env._("There is no e-mail address on your file: call the clinic.")
            )
        note = self.env["clinic.home.programme"]._latest_signed_notes(self.patient_id)
        self.sudo().write(
            {
                "email": bool(email),
                "times": ",".join(parsed),
                "note_id": note.get(self.patient_id.id, False) and note[self.patient_id.id].id,
                "last_sent": fields.Datetime.now(),
            }
        )

    def _clinic_today_link(self):
        """The private link of Today; without its token outside the reminder's own sending."""
        self.ensure_one()
        base = self.patient_id.get_base_url()
        url = f"{base}/clinic/today/{self.id}"
        if private_links_allowed():
            url += f"?access_token={self.access_token}"
        return url

    def _slots_due(self, now):
        """The reminder times of today (clinic time) passed since the last sending."""
        self.ensure_one()
        company = self.patient_id.company_id or self.env.company
        tz = company._clinic_tz()
        today = company._clinic_local_date(now)
        due = []
        for text in (self.times or "").split(","):
            if not text:
                continue
            hour, minute = (int(part) for part in text.split(":"))
            local = tz.localize(datetime.combine(today, time(hour, minute)))
            slot = local.astimezone(pytz.utc).replace(tzinfo=None)
            if (self.last_sent or datetime.min) < slot <= now:
                due.append(slot)
        return due

    @api.model
    @single_run
    def _cron_send(self):
        """Every quarter of an hour: e-mail the reminders whose time came, once a time, while
        the programme the patient chose them for is in force and not paused."""
        now = fields.Datetime.now()
        programmes = self.env["clinic.home.programme"]
        template = self.env.ref("trigger_point_clinic.mail_template_home_reminder")
        sent = self.browse()
        for reminder in self.sudo().search([("email", "=", True)]):
            if not reminder._slots_due(now):
                continue
            programme = programmes._for_patient(reminder.patient_id)
            stopped = (
                programme["note"] != reminder.note_id
                or not programme["practising"]
                or not programme["practices"]
            )
            reminder.last_sent = now
            if stopped:
                continue
            send_private_mail(
                template, reminder, self.env._("Home programme reminder sent."), False
            )
            sent |= reminder
        return sent

    @api.autovacuum
    def _gc_never_chosen(self):
        """Reminders never switched on for a month hold only a token nobody uses."""
        old = fields.Datetime.now() - timedelta(days=30)
        self.sudo().search([("email", "=", False), ("write_date", "<", old)]).unlink()
