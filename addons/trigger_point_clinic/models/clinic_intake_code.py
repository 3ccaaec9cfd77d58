"""The one-time codes with which a patient proves, on the page a private link opens (an intake,
a questionnaire to fill in), that the link they opened is theirs: a link alone opens no answers
and submits nothing. A code belongs to one record (its scope: ``intake_id`` or
``response_id``), and is good for that record's link only.

A code is six digits, e-mailed to the address on the patient's file. Only a keyed hash of it is
kept, with its expiry and the wrong tries: after MAX_ATTEMPTS wrong codes it is void and the
patient asks for a new one, and sending is rate-limited. The model has no access right for
anyone (only the server's superuser code reads it), so no clinic role can read a code, its hash
or even that one was sent, whatever read path it tries; a field or a method added later is
refused the same way.
"""

import secrets
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import SQL, consteq
from odoo.tools.misc import hmac

CODE_DIGITS = 6
CODE_MINUTES = 10
MAX_ATTEMPTS = 5
# Sending: at most one code a minute and SENDS_PER_HOUR an hour for one intake.
SEND_INTERVAL_SECONDS = 60
SENDS_PER_HOUR = 5
# A browser that gave the right code may fill in the form for this long.
PROOF_HOURS = 12
HASH_SCOPE = "trigger_point_clinic-intake-code"
PROOF_SCOPE = "trigger_point_clinic-intake-proof"
# The records a code may prove a link of, and the code's field naming each.
SCOPES = {
    "clinic.intake": "intake_id",
    "clinic.questionnaire.response": "response_id",
    "clinic.home.reminder": "reminder_id",
}


def mask_email(email):
    """``anna.smith@example.com`` as ``a•••@example.com``: enough for the patient to recognise
    the address, too little for the holder of a link to learn it."""
    local, _at, domain = (email or "").strip().rpartition("@")
    if not local or not domain:
        return "•••"
    return f"{local[0]}•••@{domain}"


class ClinicIntakeCode(models.Model):
    _name = "clinic.intake.code"
    _description = "Intake One-Time Code"
    _order = "id desc"

    intake_id = fields.Many2one(comodel_name="clinic.intake", ondelete="cascade", index=True)
    response_id = fields.Many2one(
        comodel_name="clinic.questionnaire.response", ondelete="cascade", index=True
    )
    reminder_id = fields.Many2one(
        comodel_name="clinic.home.reminder", ondelete="cascade", index=True
    )
    # Which link the code was asked through: a newer sending (a new link) voids it.
    token_digest = fields.Char(required=True)
    code_hash = fields.Char(required=True)
    # The clock of the request, not of its transaction (create_date), for the rate limit.
    date_sent = fields.Datetime(required=True)
    date_expiry = fields.Datetime(required=True)
    attempts = fields.Integer(default=0)
    void = fields.Boolean(default=False)
    delivered = fields.Boolean(default=False)

    _one_scope = models.Constraint(
        "CHECK (num_nonnulls(intake_id, response_id, reminder_id) = 1)",
        "A one-time code is for one intake, one questionnaire response or one home programme.",
    )

    # ------------------------------------------------------------------ scopes

    @api.model
    def _scope(self, record):
        """The field of the code that names ``record`` (the link's record)."""
        return SCOPES[record._name]

    @api.model
    def _key(self, record):
        """What the digests bind a code to: an intake's id (as codes always were), or the
        model and id of another scope."""
        return record.id if record._name == "clinic.intake" else (record._name, record.id)

    # ------------------------------------------------------------------ digests

    @api.model
    def _token_digest(self, intake, access_token):
        return hmac(self.env(su=True), PROOF_SCOPE, (self._key(intake), access_token or ""))

    @api.model
    def _code_hash(self, intake, token_digest, code):
        return hmac(self.env(su=True), HASH_SCOPE, (self._key(intake), token_digest, code))

    @api.model
    def _new_code(self):
        return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"

    # ------------------------------------------------------------------ sending

    @api.model
    def _live(self, intake, access_token):
        """The code the patient may still type for this link, or an empty recordset."""
        return self.sudo().search(
            [
                (self._scope(intake), "=", intake.id),
                ("token_digest", "=", self._token_digest(intake, access_token)),
                ("void", "=", False),
                ("delivered", "=", True),
                ("date_expiry", ">", fields.Datetime.now()),
            ],
            limit=1,
        )

    @api.model
    def _send(self, intake, access_token):
        """E-mail a new code for this intake to the patient's address on file. Returns None
        when the code went, else (a message for the patient, the HTTP status to answer)."""
        intake = intake.sudo()
        env = self.env
        email = intake.patient_id.email
        if not email:
            return env._(
                "There is no e-mail address on your file to send a code to: call the clinic."
            ), 409
        codes = self.sudo()
        # One sending at a time per intake: a parallel request that also asks for a code fails
        # to serialise with this one and is retried after it, when it sees this code.
        scope = self._scope(intake)
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET write_date = write_date WHERE id = %s",
                SQL.identifier(intake._table),
                intake.id,
            )
        )
        now = fields.Datetime.now()
        recent = codes.search(
            [(scope, "=", intake.id), ("date_sent", ">", now - timedelta(hours=1))],
            order="date_sent desc, id desc",
        )
        if recent and recent[0].date_sent > now - timedelta(seconds=SEND_INTERVAL_SECONDS):
            return env._(
                "A code was sent less than a minute ago: check your inbox (and spam folder), "
                "or ask for a new code in a minute."
            ), 429
        if len(recent) >= SENDS_PER_HOUR:
            return env._(
                "%(count)s codes were sent in the last hour: wait an hour before asking for "
                "another, or call the clinic.",
                count=len(recent),
            ), 429
        codes.search([(scope, "=", intake.id), ("void", "=", False)]).void = True
        code = self._new_code()
        digest = self._token_digest(intake, access_token)
        record = codes.create(
            {
                scope: intake.id,
                "token_digest": digest,
                "code_hash": self._code_hash(intake, digest, code),
                "date_sent": now,
                "date_expiry": now + timedelta(minutes=CODE_MINUTES),
            }
        )
        record.delivered = self._mail_code(intake, email, code)
        if not record.delivered:
            record.void = True
            return env._(
                "The code could not be e-mailed to %(email)s just now: try again in a few "
                "minutes, or call the clinic.",
                email=mask_email(email),
            ), 503
        return None

    @api.model
    def _mail_code(self, intake, email, code):
        """Send the code as the server itself (no clinic user is its author or creator, so no
        one can read it in Discuss), outside the intake's chatter. The mail is deleted once it
        left, and also when it could not leave: the code then is void anyway. Returns whether
        the mail left (or waits in the queue, where sending is deferred)."""
        company = intake.patient_id.company_id or self.env.company
        lang = intake.patient_id.partner_id.lang or self.env.lang
        env = self.env(user=SUPERUSER_ID, context=dict(self.env.context, lang=lang))
        questionnaire = intake._name == "clinic.questionnaire.response"
        home = intake._name == "clinic.home.reminder"
        if home:
            subject = env._("Your code for your home programme: %(code)s", code=code)
        elif questionnaire:
            subject = env._("Your code for the questionnaire: %(code)s", code=code)
        else:
            subject = env._("Your code for the health intake: %(code)s", code=code)
        if home:
            intro = env._(
                "Type this code on the Today page of %(company)s to show it is you:",
                company=company.name,
            )
            ignore = env._(
                "If you did not open the link of your home programme, ignore this e-mail: "
                "without the code nobody can see your programme or log a practice. Never give "
                "this code to anyone, not even to the clinic's staff."
            )
        elif questionnaire:
            intro = env._(
                "Type this code on the questionnaire page of %(company)s to show it is you:",
                company=company.name,
            )
            ignore = env._(
                "If you did not open the questionnaire link, ignore this e-mail: without the "
                "code nobody can see or submit your answers. Never give this code to anyone, "
                "not even to the clinic's staff."
            )
        else:
            intro = env._(
                "Type this code on the health intake page of %(company)s to show it is you:",
                company=company.name,
            )
            ignore = env._(
                "If you did not open the intake link, ignore this e-mail: without the code "
                "nobody can see or submit your intake. Never give this code to anyone, not "
                "even to the clinic's staff."
            )
        body = Markup(
            "<p>{hello}</p><p>{intro}</p>"
            '<p style="font-size: 24px; letter-spacing: 4px;">'
            '<strong class="o_clinic_intake_code">{code}</strong></p>'
            "<p>{expiry}</p><p>{ignore}</p>"
        ).format(
            hello=env._("Hello %(name)s,", name=intake.patient_id.name),
            intro=intro,
            code=escape(code),
            expiry=env._(
                "The code works for %(minutes)s minutes, once.",
                minutes=CODE_MINUTES,
            ),
            ignore=ignore,
        )
        mail = (
            env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": subject,
                    "body_html": body,
                    "email_to": email,
                    "email_from": company.email_formatted or company.partner_id.email_formatted,
                    "author_id": False,
                    "auto_delete": True,
                    "recipient_ids": [],
                    "message_type": "email_outgoing",
                }
            )
        )
        mail.send(raise_exception=False)
        mail = mail.exists()
        if mail and mail.state == "exception":
            # Deleting the mail deletes its message too.
            mail.unlink()
            return False
        # Gone (sent, then deleted), or waiting in the queue when sending is deferred.
        return True

    # ------------------------------------------------------------------ checking

    @api.model
    def _check(self, intake, access_token, code):
        """Check a code typed for this link. Returns (True, None) for the right code, or
        (False, a message for the patient). Every wrong code counts, the code is used once."""
        env = self.env
        live = self.sudo().search(
            [
                (self._scope(intake), "=", intake.id),
                ("token_digest", "=", self._token_digest(intake, access_token)),
                ("delivered", "=", True),
            ],
            limit=1,
        )
        if not live:
            return False, env._("Ask for a code first: we e-mail it to you.")
        if live.date_expiry <= fields.Datetime.now():
            return False, env._(
                "This code has expired (codes work for %(minutes)s minutes): ask for a new code.",
                minutes=CODE_MINUTES,
            )
        # Parallel guesses wait for one another, and each one counts.
        env.cr.execute(
            "SELECT attempts, void FROM clinic_intake_code WHERE id = %s FOR UPDATE", [live.id]
        )
        attempts, void = env.cr.fetchone()
        live.invalidate_recordset()
        if void or attempts >= MAX_ATTEMPTS:
            return False, env._("This code no longer works: ask for a new code.")
        typed = "".join((code or "").split())
        if not (len(typed) == CODE_DIGITS and typed.isascii() and typed.isdigit()):
            # Not a code at all (a slip of the finger): no try is spent on it.
            return False, env._(
                "Type the %(digits)s digits of the code we e-mailed to you.", digits=CODE_DIGITS
            )
        if consteq(
            live.code_hash.encode(),
            self._code_hash(intake, live.token_digest, typed).encode(),
        ):
            live.write({"void": True})
            return True, None
        attempts += 1
        live.write({"attempts": attempts, "void": attempts >= MAX_ATTEMPTS})
        if attempts >= MAX_ATTEMPTS:
            return False, env._(
                "%(count)s wrong codes: this code no longer works. Ask for a new code.",
                count=attempts,
            )
        return False, env._(
            "This is not the code we sent: check it and try again (%(left)s tries left).",
            left=MAX_ATTEMPTS - attempts,
        )

    @api.model
    def _proof(self, intake, access_token):
        """What the browser's session keeps once the patient gave the right code: bound to
        this intake and to this link, useless for any other."""
        return hmac(
            self.env(su=True), PROOF_SCOPE, ("session", self._key(intake), access_token or "")
        )

    @api.autovacuum
    def _gc_codes(self):
        """Codes older than a day serve no one (the rate limit looks back an hour)."""
        old = fields.Datetime.now() - timedelta(days=1)
        self.sudo().search([("date_sent", "<", old)]).unlink()
