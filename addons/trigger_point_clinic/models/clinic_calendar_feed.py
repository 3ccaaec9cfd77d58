"""Sessions in a patient's or a therapist's own calendar: one session as an ``.ics`` file, and a
private feed (an address with a secret in it) a calendar application subscribes to.

A feed shows when, with whom (the therapist, for a patient) and where: never a note, a region,
an answer or a screening, and in a therapist's feed a patient only by initials, since a
subscribed calendar lives outside the clinic. The address is the only key: only a keyed hash of
its secret is kept, in a model no role has an access right on, so staff never read a patient's
working address (nor their own): the owner sees it once, when they make it, and makes a new one
(the old one stops working) or turns the feed off. One feed per patient and per therapist.
"""

import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.misc import hmac

HASH_SCOPE = "trigger_point_clinic-calendar-feed"
# What a feed holds: the sessions of the last PAST_DAYS days and of the next FUTURE_DAYS.
PAST_DAYS = 90
FUTURE_DAYS = 366


def ics_text(value):
    """``value`` as an iCalendar TEXT value (RFC 5545, 3.3.11)."""
    return (
        str(value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def ics_fold(line):
    """A content line folded at 75 octets, as RFC 5545 (3.1) asks, without cutting a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current)
            current = b""
        current += encoded
    out.append(current)
    return b"\r\n ".join(out).decode()


def ics_time(when):
    return when.strftime("%Y%m%dT%H%M%SZ")


class ClinicCalendarFeed(models.Model):
    _name = "clinic.calendar.feed"
    _description = "Clinic Calendar Feed"

    patient_id = fields.Many2one(comodel_name="clinic.patient", ondelete="cascade", index=True)
    therapist_id = fields.Many2one(comodel_name="clinic.therapist", ondelete="cascade", index=True)
    token_hash = fields.Char(required=True)

    _token_hash_uniq = models.UniqueIndex("(token_hash)")
    _patient_uniq = models.UniqueIndex("(patient_id) WHERE patient_id IS NOT NULL")
    _therapist_uniq = models.UniqueIndex("(therapist_id) WHERE therapist_id IS NOT NULL")
    _one_owner = models.Constraint(
        "CHECK((patient_id IS NULL) != (therapist_id IS NULL))",
        "A calendar feed belongs to one patient or to one therapist.",
    )

    # ------------------------------------------------------------------ owners

    @api.model
    def _owner_of(self, user):
        """The patient (a portal user's) or the therapist (an internal user's) whose sessions
        ``user`` may put in a calendar, or None."""
        patient = self.env["clinic.online.booking"].sudo()._patient_of(user)
        if patient:
            return patient
        therapist = self.env["clinic.therapist"].sudo().search([("user_id", "=", user.id)], limit=1)
        return therapist or None

    @api.model
    def _owner_field(self, owner):
        return "patient_id" if owner._name == "clinic.patient" else "therapist_id"

    @api.model
    def _hash(self, token):
        return hmac(self.env(su=True), HASH_SCOPE, token)

    @api.model
    def _feed_of(self, owner):
        return self.sudo().search([(self._owner_field(owner), "=", owner.id)], limit=1)

    @api.model
    def _make(self, owner):
        """A new feed address for ``owner``: the secret is returned once and kept only as a
        keyed hash; the owner's previous address stops working."""
        self._revoke(owner)
        token = secrets.token_urlsafe(32)
        self.sudo().create({self._owner_field(owner): owner.id, "token_hash": self._hash(token)})
        return token

    @api.model
    def _revoke(self, owner):
        self._feed_of(owner).unlink()

    @api.model
    def _from_token(self, token):
        """The feed whose address holds ``token``, or an empty recordset."""
        if not isinstance(token, str) or not 20 <= len(token) <= 100 or not token.isascii():
            return self.sudo().browse()
        return self.sudo().search([("token_hash", "=", self._hash(token))], limit=1)

    # ------------------------------------------------------------------ content

    @api.model
    def _sessions(self, owner):
        now = fields.Datetime.now()
        return (
            self.env["clinic.session"]
            .sudo()
            .search(
                [
                    (self._owner_field(owner), "=", owner.id),
                    ("state", "!=", "cancelled"),
                    ("start", ">=", now - timedelta(days=PAST_DAYS)),
                    ("start", "<=", now + timedelta(days=FUTURE_DAYS)),
                ],
                order="start",
            )
        )

    @api.model
    def _ics(self, sessions, for_therapist=False):
        """``sessions`` as an iCalendar file: times, the therapist (a patient's view) or the
        patient's initials (a therapist's), the room and the clinic; nothing clinical."""
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        stamp = ics_time(fields.Datetime.now())
        company = (sessions[:1].company_id or self.env.company).sudo()
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//trigger_point_clinic//Clinic sessions//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"X-WR-CALNAME:{ics_text(company.name)}",
        ]
        for session in sessions.sudo():
            if for_therapist:
                initials = " ".join(
                    f"{part[0]}." for part in (session.patient_id.name or "").split()
                )
                summary = self.env._("Session: %(initials)s", initials=initials)
                link = f"{base_url}/odoo/clinic.session/{session.id}"
            else:
                summary = self.env._(
                    "Session with %(therapist)s", therapist=session.therapist_id.name
                )
                link = f"{base_url}/my/clinic/sessions/{session.id}"
            location = ", ".join(filter(None, [session.room_id.name, company.name]))
            lines += [
                "BEGIN:VEVENT",
                f"UID:clinic-session-{session.id}@{self.env.cr.dbname}",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{ics_time(session.start)}",
                f"DTEND:{ics_time(session.stop)}",
                f"SUMMARY:{ics_text(summary)}",
                f"LOCATION:{ics_text(location)}",
                f"URL:{link}",
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
        return ("\r\n".join(ics_fold(line) for line in lines) + "\r\n").encode()


class ResUsers(models.Model):
    _inherit = "res.users"

    clinic_calendar_url = fields.Char(
        string="My clinic calendar",
        compute="_compute_clinic_calendar_url",
        help="The page where a therapist makes, replaces or turns off the private address of "
        "the feed of their sessions, for their own calendar application.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "clinic_calendar_url"]

    def _compute_clinic_calendar_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        therapists = self.env["clinic.therapist"].sudo().search([("user_id", "in", self.ids)])
        for user in self:
            user.clinic_calendar_url = (
                f"{base_url}/my/clinic/calendar" if user in therapists.user_id else False
            )
