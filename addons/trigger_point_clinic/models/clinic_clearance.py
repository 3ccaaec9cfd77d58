from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .clinic_cron import single_run
from .clinic_dates import check_date
from .clinic_workflow import THERAPIST, check_access_first

RENEW_CLEARANCE = "Renew the clearance"
# What a physician wrote: fixed once recorded. A correction is a revocation and a new clearance.
CLEARANCE_CONTENT = (
    "patient_id",
    "physician_id",
    "contraindication_ids",
    "date_issued",
    "date_expiry",
)


class ClinicClearance(models.Model):
    """A physician's clearance to treat despite some relative contraindications. Recorded as
    received; it screens the patient until it expires or a therapist revokes it."""

    _name = "clinic.clearance"
    _description = "Physician Clearance"
    _inherit = [
        "clinic.patient.record",
        "clinic.workflow.mixin",
        "clinic.audited.mixin",
        "clinic.reminder.mixin",
        "mail.thread",
    ]
    _order = "date_issued desc"
    _workflow_fields = ("state", "revoked_by_id", "date_revoked", "revoke_reason")
    _workflow_transitions = {("active", "revoked"): THERAPIST}

    physician_id = fields.Many2one(comodel_name="res.partner", required=True)
    contraindication_ids = fields.Many2many(
        comodel_name="clinic.contraindication",
        string="Covers",
        required=True,
        domain=[("kind", "=", "relative")],
    )
    date_issued = fields.Date(
        string="Clearance date", required=True, default=fields.Date.context_today
    )
    date_expiry = fields.Date(
        compute="_compute_date_expiry",
        store=True,
        readonly=False,
        help="By default the date plus the shortest validity of the contraindications covered.",
    )
    state = fields.Selection(
        [("active", "Active"), ("revoked", "Revoked")],
        default="active",
        required=True,
        tracking=True,
        copy=False,
    )
    revoked_by_id = fields.Many2one(comodel_name="res.users", readonly=True, copy=False)
    date_revoked = fields.Datetime(readonly=True, copy=False)
    revoke_reason = fields.Text(readonly=True, copy=False)
    document = fields.Binary(attachment=True, help="The clearance letter, as received.")
    document_name = fields.Char()
    note = fields.Text()

    @api.depends("date_issued", "contraindication_ids.clearance_validity_days")
    def _compute_date_expiry(self):
        for clearance in self:
            days = clearance.contraindication_ids.mapped("clearance_validity_days")
            if clearance.date_issued and days:
                clearance.date_expiry = fields.Date.add(clearance.date_issued, days=min(days))
            elif not clearance.date_expiry:
                clearance.date_expiry = clearance.date_issued

    @api.constrains("date_issued", "date_expiry", "contraindication_ids")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for clearance in self:
            check_date(self.env, self.env._("Clearance date"), clearance.date_issued)
            check_date(self.env, self.env._("Expiry"), clearance.date_expiry)
            if clearance.date_issued > today:
                raise ValidationError(
                    self.env._(
                        "Clearance date %(date)s is in the future.", date=clearance.date_issued
                    )
                )
            if not clearance.date_expiry:
                raise ValidationError(self.env._("Set the clearance's Expiry date."))
            if clearance.date_expiry < clearance.date_issued:
                raise ValidationError(
                    self.env._(
                        "Clearance expiry %(expiry)s is before its date %(date)s: set an expiry "
                        "on or after the date it was given.",
                        expiry=clearance.date_expiry,
                        date=clearance.date_issued,
                    )
                )
            if clearance.contraindication_ids.filtered(lambda c: c.kind != "relative"):
                raise ValidationError(
                    self.env._("A clearance covers relative contraindications only.")
                )

    @api.depends("patient_id.name", "date_issued")
    def _compute_display_name(self):
        for clearance in self:
            clearance.display_name = self.env._(
                "Clearance of %(date)s for %(patient)s",
                date=clearance.date_issued,
                patient=clearance.patient_id.name or "",
            )

    def write(self, vals):
        check_access_first(self, "write")
        changed = set(vals) & set(CLEARANCE_CONTENT)
        if changed:
            raise ValidationError(
                self.env._(
                    "A recorded clearance does not change (%(fields)s): revoke it and record the "
                    "physician's new clearance.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(changed)
                    ),
                )
            )
        return super().write(vals)

    def action_revoke(self, reason):
        """Withdraw the clearance (recorded by mistake, or withdrawn by the physician): the
        patient is screened again without it."""
        if not (reason or "").strip():
            raise ValidationError(self.env._("Give the reason for revoking the clearance."))
        self._workflow_write(
            {
                "state": "revoked",
                "revoked_by_id": self.env.uid,
                "date_revoked": fields.Datetime.now(),
                "revoke_reason": reason.strip(),
            }
        )
        return True

    @api.model
    @single_run
    def _cron_remind_expiring(self):
        """Daily: a clearance that expires within two weeks, for a patient with sessions
        booked, is brought to the therapist of the next session (else a manager) to ask the
        physician for a new one."""
        today = fields.Date.context_today(self)
        expiring = self.search(
            [
                ("state", "=", "active"),
                ("date_expiry", ">=", today),
                ("date_expiry", "<=", today + timedelta(days=14)),
            ]
        )
        for clearance in expiring:
            session = self.env["clinic.session"].search(
                [
                    ("patient_id", "=", clearance.patient_id.id),
                    ("state", "in", ("draft", "confirmed")),
                    ("start", ">=", fields.Datetime.now()),
                ],
                order="start",
                limit=1,
            )
            if session:
                clearance._clinic_remind(
                    session.therapist_id.user_id,
                    RENEW_CLEARANCE,
                    self.env._("Ask the physician to renew the clearance before it expires."),
                    deadline=clearance.date_expiry,
                )
        return expiring

    def _is_valid_on(self, day):
        self.ensure_one()
        return self.state == "active" and self.date_issued <= day <= self.date_expiry
