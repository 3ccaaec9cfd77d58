"""The clinic's sign-in policy, on Odoo's own modules: two-factor sign-in (``auth_totp``,
``auth_totp_mail``: an app or an e-mail code), passkeys (``auth_passkey``), a minimum password
length (``auth_password_policy``) and the lock after inactivity (``auth_timeout``, per group)."""

from odoo import api, fields, models

# Set once by ``apply_signin_defaults``; its presence means the clinic owns the values since.
DEFAULTS_APPLIED = "trigger_point_clinic.signin_defaults_applied"
DEFAULT_TOTP_POLICY = "employee_required"
DEFAULT_MIN_LENGTH = 12
DEFAULT_INACTIVITY_MINUTES = 15
DEFAULT_SESSION_HOURS = 12
CLINIC_GROUPS = (
    "trigger_point_clinic.group_clinic_therapist",
    "trigger_point_clinic.group_clinic_front_desk",
    "trigger_point_clinic.group_clinic_manager",
    "trigger_point_clinic.group_clinic_administrator",
)


def clinic_groups(env):
    return env["res.groups"].sudo().browse(env.ref(xmlid).id for xmlid in CLINIC_GROUPS)


def apply_signin_defaults(env):
    """The one rule of the clinic's sign-in defaults: they are applied once, when the addon is
    installed or first upgraded to a version that has them, and never again: a value the clinic
    changes afterwards is the clinic's. A stricter value found at that first time is kept (a
    policy for all users, a longer minimum, a shorter lock)."""
    params = env["ir.config_parameter"].sudo()
    if params.get_param(DEFAULTS_APPLIED):
        return False
    if not params.get_param("auth_totp.policy"):
        params.set_param("auth_totp.policy", DEFAULT_TOTP_POLICY)
    min_length = int(params.get_param("auth_password_policy.minlength") or 0)
    params.set_param("auth_password_policy.minlength", max(min_length, DEFAULT_MIN_LENGTH))
    for group in clinic_groups(env):
        values = {}
        if not group.lock_timeout_inactivity:
            values["lock_timeout_inactivity"] = DEFAULT_INACTIVITY_MINUTES
        if not group.lock_timeout:
            values.update(lock_timeout=DEFAULT_SESSION_HOURS * 60, lock_timeout_mfa=True)
        if values:
            group.write(values)
    params.set_param(DEFAULTS_APPLIED, fields.Datetime.to_string(fields.Datetime.now()))
    return True


class ResConfigSettings(models.TransientModel):
    """*Settings > Clinic > Sign-in*: the two-factor policy and the minimum password length are
    Odoo's own settings (``auth_totp.policy``, ``auth_password_policy.minlength``); the lock
    delays live on the clinic groups (``auth_timeout``), the same for every clinic role."""

    _inherit = "res.config.settings"

    clinic_signin_portal_2fa = fields.Boolean(
        string="Two-factor sign-in for portal patients too",
        compute="_compute_clinic_signin_portal_2fa",
        inverse="_inverse_clinic_signin_portal_2fa",
        readonly=False,
        help="Off: only clinic staff must give a second factor; patients sign in to the portal "
        "with their password as before.",
    )
    clinic_lock_inactivity_minutes = fields.Integer(
        string="Lock after inactivity (minutes)",
        help="A clinic user's screen locks after this many minutes without activity and asks "
        "for the password again. 0: never.",
    )
    clinic_lock_session_hours = fields.Integer(
        string="Sign in again after (hours)",
        help="A clinic user must sign in again, with the second factor, this many hours after "
        "signing in, active or not. 0: never.",
    )

    @api.depends("auth_totp_policy")
    def _compute_clinic_signin_portal_2fa(self):
        for settings in self:
            settings.clinic_signin_portal_2fa = settings.auth_totp_policy == "all_required"

    def _inverse_clinic_signin_portal_2fa(self):
        """Odoo's own policy field holds the choice (and saves it): staff only, or everyone."""
        for settings in self.filtered("auth_totp_policy"):
            settings.auth_totp_policy = (
                "all_required" if settings.clinic_signin_portal_2fa else "employee_required"
            )

    @api.model
    def get_values(self):
        # Deny by default: the settings are the administrators' (Odoo's own get_values reads
        # every parameter as superuser for whoever calls it).
        self.check_access("read")
        res = super().get_values()
        therapist = self.env.ref("trigger_point_clinic.group_clinic_therapist").sudo()
        res.update(
            clinic_lock_inactivity_minutes=therapist.lock_timeout_inactivity,
            clinic_lock_session_hours=therapist.lock_timeout // 60,
        )
        return res

    def set_values(self):
        self.check_access("write")
        res = super().set_values()
        inactivity = max(self.clinic_lock_inactivity_minutes, 0)
        session = max(self.clinic_lock_session_hours, 0) * 60
        for group in clinic_groups(self.env):
            if (group.lock_timeout_inactivity, group.lock_timeout) != (inactivity, session):
                group.write(
                    {
                        "lock_timeout_inactivity": inactivity,
                        "lock_timeout": session,
                        "lock_timeout_mfa": bool(session),
                    }
                )
        return res
