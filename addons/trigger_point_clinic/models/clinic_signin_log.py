"""Sign-ins on the clinical audit trail: who signed in (or failed to), locked, unlocked or
opened an emergency access, when and from where. No secret is copied: not the password, not
the code, only the way the user proved who they are."""

import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.auth_timeout.models.ir_http import CheckIdentityException
from odoo.exceptions import AccessDenied
from odoo.http import request

from .clinic_workflow import append_only_sql, in_workflow

_logger = logging.getLogger(__name__)

SIGNIN_EVENTS = [
    ("signin", "Signed in (first step)"),
    ("signin_failed", "Failed sign-in"),
    ("signin_cooldown", "Refused (too many failures: wait)"),
    ("second_factor", "Second factor accepted"),
    ("second_factor_failed", "Wrong second factor"),
    ("lock", "Locked (inactivity)"),
    ("unlock", "Unlocked"),
    ("unlock_failed", "Failed unlock"),
    ("emergency", "Emergency access opened"),
]
FAILURES = ("signin_failed", "signin_cooldown", "second_factor_failed", "unlock_failed")
SECOND_FACTORS = ("totp", "totp_mail", "webauthn")
# A string a client sends is kept to this length (a login, a browser's name).
MAX_TEXT = 128


class ClinicSigninLog(models.Model):
    """One entry per sign-in step of any user of the clinic's database. Written by the sign-in
    code of ``res.users`` and ``ir.http`` (below), never by a client; PostgreSQL keeps it
    append-only. Administrators read it beside the reads of clinical records."""

    _name = "clinic.signin.log"
    _description = "Sign-in Log"
    _order = "event_at desc, id desc"
    _log_access = False
    _rec_name = "event"

    event_at = fields.Datetime(string="When", required=True, readonly=True, index=True)
    event = fields.Selection(SIGNIN_EVENTS, required=True, readonly=True, index=True)
    failed = fields.Boolean(readonly=True, index=True)
    user_id = fields.Many2one(
        comodel_name="res.users", readonly=True, index=True, ondelete="set null"
    )
    login = fields.Char(
        readonly=True, help="The login typed, also when it matches no user (a failed sign-in)."
    )
    auth_method = fields.Char(
        string="Proof",
        readonly=True,
        help="password, totp (app), totp_mail (e-mail code), webauthn",
    )
    ip_address = fields.Char(string="From (IP)", readonly=True)
    user_agent = fields.Char(string="Browser", readonly=True)
    access_grant_id = fields.Many2one(
        comodel_name="clinic.access.grant",
        string="Emergency Access",
        readonly=True,
        ondelete="restrict",
    )
    patient_id = fields.Many2one(related="access_grant_id.patient_id")

    def init(self):
        res = super().init()
        self.env.cr.execute(append_only_sql(self._table))
        return res

    @api.model
    @api.private
    def _record(self, event, user=None, login=None, auth_method=None, grant=None, failure=False):
        """Add one entry. A ``failure`` is kept even when the failing request rolls back (a
        JSON sign-in refused, a locked call): it is written again in a transaction of its own
        after the rollback. In a read-only request (a lock met by a read) only that way."""
        values = {
            "event_at": fields.Datetime.now(),
            "event": event,
            "failed": event in FAILURES,
            "user_id": user.id if user else False,
            "login": (login or (user.sudo().login if user else "") or "")[:MAX_TEXT],
            "auth_method": auth_method,
            "access_grant_id": grant.id if grant else False,
            "ip_address": "",
            "user_agent": "",
        }
        if request:
            values["ip_address"] = request.httprequest.remote_addr or ""
            values["user_agent"] = (request.httprequest.user_agent.string or "")[:MAX_TEXT]
        cr = self.env.cr
        if failure:
            registry = self.env.registry

            def record_after_rollback():
                try:
                    with registry.cursor() as own_cr:
                        api.Environment(own_cr, SUPERUSER_ID, {})[self._name].create(values)
                except Exception:
                    _logger.exception("The sign-in log could not record a %s", event)

            cr.postrollback.add(record_after_rollback)
            if getattr(cr, "readonly", False):
                return self.browse()
        return self.sudo().create(values)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _login(self, credential, user_agent_env):
        try:
            auth_info = super()._login(credential, user_agent_env)
        except AccessDenied as denied:
            login = credential.get("login") if isinstance(credential, dict) else None
            user = self.sudo().search(self._get_login_domain(login), limit=1) if login else None
            # Odoo's cooldown refuses with its own message, a wrong password with the bare one.
            cooldown = denied.args != AccessDenied().args
            self.env["clinic.signin.log"]._record(
                "signin_cooldown" if cooldown else "signin_failed",
                user=user or None,
                login=login,
                failure=True,
            )
            raise
        self.env["clinic.signin.log"]._record(
            "signin",
            user=self.env["res.users"].browse(auth_info["uid"]),
            auth_method=auth_info.get("auth_method"),
        )
        return auth_info

    def _check_credentials(self, credential, env):
        """The second step of a sign-in (an app or e-mail code) is logged here; the first step
        is logged by ``_login``, which calls this too."""
        kind = credential.get("type") if isinstance(credential, dict) else None
        if kind not in ("totp", "totp_mail"):
            return super()._check_credentials(credential, env)
        try:
            auth_info = super()._check_credentials(credential, env)
        except AccessDenied:
            self.env["clinic.signin.log"]._record(
                "second_factor_failed", user=self, auth_method=kind, failure=True
            )
            raise
        # ``self`` is the user signing in: before the second step the request is anonymous.
        self.env["clinic.signin.log"]._record("second_factor", user=self, auth_method=kind)
        return auth_info


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _authenticate(cls, endpoint):
        """A lock is logged once per lock: the session remembers which lock it logged."""
        try:
            return super()._authenticate(endpoint)
        except CheckIdentityException:
            session = request.session
            lock = session.get("identity-check-next")
            if session.get("clinic-lock-logged") != lock:
                session["clinic-lock-logged"] = lock
                request.env["clinic.signin.log"]._record(
                    "lock", user=request.env["res.users"].browse(session.uid), failure=True
                )
            raise

    @classmethod
    def _check_identity(cls, credential):
        try:
            result = super()._check_identity(credential)
        except AccessDenied:
            request.env["clinic.signin.log"]._record(
                "unlock_failed",
                user=request.env.user,
                auth_method=(credential or {}).get("type"),
                failure=True,
            )
            raise
        if credential and result is None:
            request.env["clinic.signin.log"]._record(
                "unlock", user=request.env.user, auth_method=credential.get("type")
            )
        return result


class ClinicAccessGrant(models.Model):
    _inherit = "clinic.access.grant"

    @api.model_create_multi
    def create(self, vals_list):
        """Logged where the grant is really made: inside its workflow (the outer call checks the
        caller, then makes the grant through the workflow)."""
        grants = super().create(vals_list)
        if not in_workflow(self._name):
            return grants
        for grant in grants:
            self.env["clinic.signin.log"]._record("emergency", user=grant.user_id, grant=grant)
        return grants
