"""Appointment reminders: the patient hears of each session once, before it, and may confirm.

Not the staff's to-do reminders (``clinic.reminder.mixin``): these go to the patient, by e-mail
and, when the clinic has Odoo's SMS app installed, by SMS.

The clinic's rules, in one place:

- a booked session (draft or confirmed) gets one appointment reminder the clinic's *Appointment
  Reminder* time before it starts (24 hours by default, 0: none). A session booked later than
  that gets it at the next run, as long as it starts more than ``LAST_CALL`` from now; a session
  that starts sooner, has started, or is cancelled or closed gets none;
- once per start time: the reminder records the start it announced (``reminder_sent_for``) in
  the transaction that queues its e-mail and SMS, which Odoo's queues send once committed. A
  repeated or concurrent run finds it recorded (or the session's row locked, which it skips)
  and sends nothing twice; a session moved to another time gets a reminder for the new time;
- the patient confirms through the reminder's link, no login: its token signs the session, the
  start it announced and the patient, so the link of a session moved (or given to another
  patient) since opens nothing, and a confirmation counts for the start it confirmed only.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount
from odoo.tools.misc import get_lang, hmac

from .clinic_charge_rule import FEES
from .clinic_charge_rule import costs as _costs
from .clinic_cron import single_run
from .clinic_private_links import private_links, private_links_allowed, send_private_mail
from .clinic_values import same_token

_logger = logging.getLogger(__name__)

# The states of a session still ahead: the ones a reminder is for.
REMINDED_STATES = ("draft", "confirmed")
# A reminder that would arrive less than this before the start is not sent: the patient is on
# their way, and could no longer cancel without it counting as late.
LAST_CALL = timedelta(hours=1)
TOKEN_SCOPE = "trigger_point_clinic.appointment_confirm"
PATIENT_CONFIRMATION = [
    ("none", "Not reminded"),
    ("reminded", "Reminded"),
    ("confirmed", "Confirmed by patient"),
]


class ClinicSession(models.Model):
    _inherit = "clinic.session"
    # What was sent and confirmed: the reminder's and the patient's link's, never a caller's.
    _workflow_fields = (
        "reminder_sent_for",
        "reminder_sent_at",
        "patient_confirmed_at",
        "patient_confirmed_for",
        "patient_confirmation",
    )

    reminder_sent_for = fields.Datetime(
        readonly=True,
        copy=False,
        help="The start time the patient's appointment reminder announced: a session moved to "
        "another time gets a new reminder.",
    )
    reminder_sent_at = fields.Datetime(string="Reminder Sent", readonly=True, copy=False)
    patient_confirmed_at = fields.Datetime(
        string="Confirmed by Patient On", readonly=True, copy=False
    )
    patient_confirmed_for = fields.Datetime(
        string="Start Confirmed by Patient", readonly=True, copy=False
    )
    patient_confirmation = fields.Selection(
        PATIENT_CONFIRMATION,
        compute="_compute_patient_confirmation",
        store=True,
        help="Whether the patient was reminded of the session's current start time, and "
        "confirmed it through the reminder's link.",
    )

    _appointment_reminder_due_idx = models.Index("(start) WHERE state IN ('draft', 'confirmed')")

    @api.depends("start", "reminder_sent_for", "patient_confirmed_for")
    def _compute_patient_confirmation(self):
        for session in self:
            if session.start and session.patient_confirmed_for == session.start:
                session.patient_confirmation = "confirmed"
            elif session.start and session.reminder_sent_for == session.start:
                session.patient_confirmation = "reminded"
            else:
                session.patient_confirmation = "none"

    def write(self, vals):
        """A session given to another patient is that patient's to be reminded of and to
        confirm: what was sent and confirmed for the previous one no longer counts."""
        result = super().write(vals)
        if "patient_id" in vals:
            handed_over = self.filtered(lambda s: s.reminder_sent_for or s.patient_confirmed_for)
            handed_over._workflow_write(
                {
                    "reminder_sent_for": False,
                    "reminder_sent_at": False,
                    "patient_confirmed_at": False,
                    "patient_confirmed_for": False,
                }
            )
        return result

    # ------------------------------------------------------------------ sending

    @api.model
    @single_run
    def _cron_send_appointment_reminders(self):
        """Send the appointment reminders now due, in every company. Returns the sessions
        reminded."""
        now = fields.Datetime.now()
        reminded = self.browse()
        for company in self.env["res.company"].sudo().search([]):
            hours = company.clinic_appointment_reminder_hours
            if hours <= 0:
                continue
            for session in self.sudo()._appointment_reminders_due(company, now, hours):
                try:
                    with self.env.cr.savepoint():
                        session._send_appointment_reminder()
                except Exception:
                    # One session's failure (a template an editor broke) leaves the others
                    # reminded; this one stays due and is tried again at the next run.
                    _logger.exception("Appointment reminder of session %s not sent", session.id)
                    continue
                reminded |= session
        return reminded

    @api.model
    def _appointment_reminders_due(self, company, now, hours):
        """The sessions of ``company`` whose reminder is due at ``now``, ``hours`` ahead,
        locked for this transaction: a session another transaction holds (a user saving it,
        another run) is left to the next run."""
        self.flush_model(["start", "state", "company_id", "reminder_sent_for"])
        self.env.cr.execute(
            """
            SELECT id FROM clinic_session
             WHERE company_id = %s AND state IN %s
               AND start > %s AND start <= %s
               AND reminder_sent_for IS DISTINCT FROM start
             ORDER BY start, id
               FOR NO KEY UPDATE SKIP LOCKED
            """,
            [company.id, REMINDED_STATES, now + LAST_CALL, now + timedelta(hours=hours)],
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _send_appointment_reminder(self):
        """Queue this session's reminder (e-mail, SMS when the clinic has the SMS app) and
        record the start it announces, in this transaction."""
        self.ensure_one()
        partner = self.patient_id.partner_id
        channels = []
        # The confirmation link goes to the patient only: the e-mail and the SMS carry it, the
        # messages the session keeps of them (readable by its staff) do not.
        if partner.email:
            template = self.env.ref(
                "trigger_point_clinic.mail_template_clinic_appointment_reminder"
            )
            send_private_mail(
                template,
                self,
                self.env._("Appointment reminder e-mailed to the patient."),
                layout="mail.mail_notification_light",
            )
            channels.append("email")
        if self._clinic_sms_available() and partner.phone:
            with private_links():
                values = self.with_context(lang=partner.lang or None)._appointment_reminder_values()
                message = self._message_sms(
                    values["sms"], partner_ids=partner.ids, put_in_queue=True
                )
            if message:
                message.sudo().body = self.env._("Appointment reminder sent by SMS.")
            channels.append("sms")
        if not channels:
            self.message_post(
                body=self.env._(
                    "No appointment reminder was sent: %(patient)s has no e-mail address or "
                    "phone number.",
                    patient=self.patient_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._workflow_write(
            {"reminder_sent_for": self.start, "reminder_sent_at": fields.Datetime.now()}
        )
        return channels

    def _clinic_sms_available(self):
        """Whether the clinic has Odoo's SMS app: the addon does not depend on it."""
        return "sms.sms" in self.env and hasattr(self, "_message_sms")

    # ------------------------------------------------------------------ content

    def _appointment_reminder_values(self):
        """What the reminder tells the patient, in the language of the environment (the
        template renders in the patient's) and the clinic's local time: when and where, the
        cancellation policy that applies, and the links to confirm and to cancel or
        reschedule (or the clinic's phone, for a patient without a portal login)."""
        self.ensure_one()
        session = self.sudo()
        company = session.company_id
        lang = get_lang(self.env).code
        base_url = session.get_base_url()
        when = session._local_when(session.start)
        notice = company.clinic_late_cancel_hours
        deadline = session._local_when(session.start - timedelta(hours=notice))
        rule = self.env["clinic.charge.rule"]
        late = rule._charge(session, "late_cancel")
        missed = rule._charge(session, "no_show")
        late_now = session.start - timedelta(hours=notice) <= fields.Datetime.now()
        consequence = _costs(late) and rule._summary(late)
        if late_now and consequence:
            policy = self.env._(
                "The appointment is less than %(hours)s hours away: cancelling it now counts as "
                "a late cancellation, and %(consequence)s.",
                hours=notice,
                consequence=consequence,
            )
        elif late_now:
            policy = self.env._(
                "The appointment is less than %(hours)s hours away: if you cannot come, please "
                "tell the clinic as soon as possible.",
                hours=notice,
            )
        elif consequence:
            policy = self.env._(
                "Cancelling less than %(hours)s hours before the appointment (after "
                "%(deadline)s) counts as a late cancellation: %(consequence)s.",
                hours=notice,
                deadline=deadline,
                consequence=consequence,
            )
        else:
            policy = self.env._(
                "If you cannot come, please cancel at least %(hours)s hours before the "
                "appointment (by %(deadline)s).",
                hours=notice,
                deadline=deadline,
            )
        if _costs(missed) and missed.outcome in FEES:
            policy += " " + self.env._(
                "A missed appointment costs %(fee)s.",
                fee=format_amount(self.env, missed.amount, missed.currency, lang_code=lang),
            )
        elif _costs(missed):
            policy += " " + self.env._(
                "If you miss the appointment, %(consequence)s.",
                consequence=rule._summary(missed),
            )
        # The working link only in what the clinic's code sends the patient: a template
        # preview, a composer or any other rendering gets the page without its token.
        confirm_url = f"{base_url}{session._appointment_confirm_path()}"
        if not private_links_allowed():
            confirm_url = f"{base_url}/clinic/appointment/{session.id}/confirm"
        manage_url = (
            f"{base_url}/my/clinic/sessions/{session.id}"
            if session.patient_id.partner_id.user_ids
            else False
        )
        call = company.phone or company.email or ""
        if manage_url:
            manage = self.env._("Cancel or reschedule: %(url)s", url=manage_url)
        else:
            manage = self.env._("To cancel or reschedule, call the clinic: %(phone)s", phone=call)
        sms = self.env._(
            "%(clinic)s: reminder of your appointment on %(when)s. Confirm: %(url)s",
            clinic=company.name,
            when=when,
            url=confirm_url,
        )
        return {
            "when": when,
            "therapist": session.therapist_id.name,
            "room": session.room_id.name,
            "service": session.product_id.name,
            "policy": policy,
            "confirm_url": confirm_url,
            "manage_url": manage_url,
            "clinic_phone": call,
            "sms": f"{sms} {manage}",
        }

    def _local_when(self, when):
        """``when`` (naive UTC) as the patient reads it, as on their pages: the clinic's local
        day and time in the patient's language (``clinic.patient._when``), e.g. "Monday 26
        October 2026, 10:00"."""
        return self.patient_id._when(when, "datetime")

    def _policy_fee(self, kind):
        """The fee a late cancellation (``kind`` "late_cancel") or a no-show ("no_show") of
        this session would cost the patient, by the clinic's charge rule: 0 when its billing
        mode charges no fee (pre-paid and package sessions)."""
        self.ensure_one()
        return self.env["clinic.charge.rule"]._fee(self, kind)

    # ------------------------------------------------------------------ confirmation

    def _appointment_token(self):
        """The token of the reminder's links: a signature of the session, its start and its
        patient, so a session moved or given to another patient since opens nothing through
        an old link."""
        self.ensure_one()
        start = fields.Datetime.to_string(self.start)
        return hmac(self.env(su=True), TOKEN_SCOPE, (self.id, start, self.patient_id.id))

    def _appointment_confirm_path(self):
        return f"/clinic/appointment/{self.id}/confirm?token={self._appointment_token()}"

    def _check_appointment_token(self, token):
        """Whether ``token`` opens this session (an empty recordset never)."""
        return bool(self) and same_token(self._appointment_token(), token)

    @api.private
    def _confirm_by_patient(self):
        """Record that the patient confirmed the session's current start, through the
        reminder's link: the one way the confirmation is written. A cancelled, closed or
        started session has nothing left to confirm."""
        self.ensure_one()
        if self.state not in REMINDED_STATES:
            raise UserError(
                self.env._(
                    "This appointment is %(state)s: there is nothing to confirm. Contact the "
                    "clinic to book again.",
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        self.state
                    ].lower(),
                )
            )
        if self.start <= fields.Datetime.now():
            raise UserError(
                self.env._("This appointment has already started: there is nothing to confirm.")
            )
        if self.patient_confirmation == "confirmed":
            return False
        self._workflow_write(
            {"patient_confirmed_at": fields.Datetime.now(), "patient_confirmed_for": self.start}
        )
        self.message_post(
            body=self.env._(
                "%(patient)s confirmed the appointment of %(when)s through the reminder's link.",
                patient=self.patient_id.name,
                when=self._local_when(self.start),
            ),
            author_id=self.patient_id.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return True
