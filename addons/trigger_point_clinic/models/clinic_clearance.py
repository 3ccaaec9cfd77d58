from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .clinic_cron import single_run
from .clinic_dates import check_date
from .clinic_workflow import THERAPIST

# The to-do's activity type (data/clinic_activity_data.xml).
RENEW_CLEARANCE = "trigger_point_clinic.mail_activity_type_renew_clearance"
# What still changes on a recorded clearance: its revocation.
CLEARANCE_STILL_CHANGING = ("state", "revoked_by_id", "date_revoked", "revoke_reason")


class ClinicClearance(models.Model):
    """A physician's clearance to treat despite some relative contraindications. Recorded as
    received; it screens the patient until it expires or a therapist revokes it."""

    _name = "clinic.clearance"
    _description = "Physician Clearance"
    _inherit = [
        "clinic.patient.record",
        "clinic.workflow.mixin",
        "clinic.frozen.mixin",
        "clinic.audited.mixin",
        "clinic.reminder.mixin",
        "mail.thread",
    ]
    _order = "date_issued desc"
    _workflow_fields = (
        "state",
        "revoked_by_id",
        "date_revoked",
        "revoke_reason",
        "date_recorded",
    )
    # Recorded, a clearance is frozen whole (what it covers, its dates, its letter, its note);
    # only its revocation still changes.
    _frozen_domain = [("date_recorded", "!=", False)]
    _frozen_sql = "date_recorded IS NOT NULL"
    _frozen_allowed = CLEARANCE_STILL_CHANGING
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
        help="By default the date plus the shortest validity of the contraindications covered, "
        "as the catalogue says when the clearance is recorded (a later change of the catalogue "
        "does not move it).",
    )
    date_recorded = fields.Datetime(
        string="Recorded On",
        readonly=True,
        copy=False,
        help="When the clearance was recorded: from then on it is frozen, but for a revocation.",
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

    # Not on the contraindications' validity: an expiry is fixed when the clearance is recorded.
    @api.depends("date_issued", "contraindication_ids")
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

    def init(self):
        # Clearances recorded before the freeze existed are frozen too.
        self.env.cr.execute(
            "UPDATE clinic_clearance SET date_recorded = create_date WHERE date_recorded IS NULL"
        )
        return super().init()

    @api.model_create_multi
    def create(self, vals_list):
        clearances = super().create(vals_list)
        # What was recorded (the covered contraindications and the letter included) reaches the
        # database, then the clearance freezes.
        clearances.flush_recordset()
        clearances._workflow_write({"date_recorded": fields.Datetime.now()})
        return clearances

    def _frozen_refuse(self, names):
        raise ValidationError(
            self.env._(
                "%(record)s is recorded and does not change (%(fields)s): revoke it and record "
                "the physician's new clearance.",
                record=self[:1].display_name,
                fields=self._frozen_labels(names),
            )
        )

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
