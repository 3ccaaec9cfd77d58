from odoo import api, fields, models
from odoo.exceptions import AccessError, RedirectWarning, UserError, ValidationError

from .clinic_workflow import MANAGER, check_access_first


class ScreeningRefusal(RedirectWarning, UserError):
    """The screening's refusal of a session, shown to a manager with an *Override* button that
    opens the override of that session (static/src/views/screening_refusal.js shows it as
    Odoo's redirect warning). Still a UserError for every caller that catches one."""

    def __init__(self, message, action, button_text):
        Exception.__init__(self, message, action, button_text, None)


class ClinicScreeningOverride(models.Model):
    """A manager's decision to treat despite the screening, with the reason on record. It covers
    one session, from its confirmation to its end: the session the manager names, or else the
    first session that needs it. Readable by therapists and managers only."""

    _name = "clinic.screening.override"
    _description = "Screening Override"
    _inherit = ["clinic.patient.record", "clinic.workflow.mixin", "clinic.audited.mixin"]
    _order = "create_date desc"
    _workflow_fields = ("user_id", "date_used")

    session_id = fields.Many2one(
        comodel_name="clinic.session",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        domain="[('patient_id', '=', patient_id), ('state', 'in', ('draft', 'confirmed'))]",
        help="The session this override lets through. Empty: the patient's next session that "
        "the screening stops.",
    )
    reason = fields.Text(required=True)
    user_id = fields.Many2one(comodel_name="res.users", readonly=True, string="Decided By")
    used = fields.Boolean(compute="_compute_used", store=True)
    date_used = fields.Datetime(readonly=True, copy=False)

    @api.depends("patient_id", "session_id", "create_date")
    def _compute_display_name(self):
        """Named after the patient and the session it lets through, not the model and id (the
        access log and the chatter show this name)."""
        for override in self:
            override.display_name = self.env._(
                "Screening override for %(target)s",
                target=override.session_id.display_name or override.patient_id.name or "",
            )

    @api.depends("date_used")
    def _compute_used(self):
        for override in self:
            override.used = bool(override.date_used)

    @api.constrains("reason")
    def _check_reason(self):
        for override in self:
            if len((override.reason or "").strip()) < 10:
                raise ValidationError(
                    self.env._(
                        "An override needs a Reason of at least a sentence: say why the patient "
                        "is treated despite the screening."
                    )
                )

    @api.constrains("session_id", "patient_id")
    def _check_session(self):
        for override in self:
            if override.session_id and override.session_id.patient_id != override.patient_id:
                raise ValidationError(
                    self.env._(
                        "Session %(session)s is not a session of %(patient)s: choose one of "
                        "the patient's sessions.",
                        session=override.session_id.display_name,
                        patient=override.patient_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_access_first(self, "create")
        if not (self.env.su or self.env.user.has_group(MANAGER)):
            raise AccessError(self.env._("Only a clinic manager can override a screening."))
        overrides = super().create(vals_list)
        overrides._workflow_write({"user_id": self.env.uid})
        return overrides

    def write(self, vals):
        check_access_first(self, "write")
        if set(vals) - {"session_id", *self._get_workflow_fields()} or (
            "session_id" in vals and self.filtered("session_id")
        ):
            raise UserError(
                self.env._(
                    "A screening override stays as the manager decided it: record a new "
                    "override instead."
                )
            )
        return super().write(vals)

    def _bind(self, session):
        """Let ``session`` through: the override is its own from now on."""
        self.ensure_one()
        if not self.session_id:
            self.sudo().write({"session_id": session.id})
        if not self.date_used:
            self.sudo()._workflow_write({"date_used": fields.Datetime.now()})

    @api.model
    def _action_for(self, session):
        """The override form of ``session``, as the refusal's *Override* button opens it."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Screening"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [[False, "form"]],
            "target": "new",
            "context": {
                "default_patient_id": session.patient_id.id,
                "default_session_id": session.id,
            },
        }
