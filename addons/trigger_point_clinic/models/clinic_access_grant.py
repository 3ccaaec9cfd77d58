from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .clinic_workflow import MANAGER, THERAPIST, check_access_first, in_workflow

# The to-do's activity type (data/clinic_activity_data.xml).
REVIEW_GRANT = "trigger_point_clinic.mail_activity_type_review_grant"
MIN_REASON = 15


class ClinicAccessGrant(models.Model):
    """Break-the-glass: a therapist outside a patient's care opens the clinical record after
    stating why. The access lasts the company's Emergency Access hours, every read through it
    is logged as such, and the managers get an activity to review it. A grant cannot be
    changed or deleted; a manager or the therapist may end it early."""

    _name = "clinic.access.grant"
    _description = "Emergency Access"
    _inherit = [
        "clinic.patient.record",
        "clinic.workflow.mixin",
        "clinic.reminder.mixin",
        "mail.thread",
    ]
    _order = "date_granted desc, id desc"
    _workflow_fields = (
        "user_id",
        "date_granted",
        "date_expires",
        "reviewed_by_id",
        "date_reviewed",
    )

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Therapist",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self.env.user,
    )
    reason = fields.Text(
        required=True, help="Why the record must be opened although the patient is not in care."
    )
    date_granted = fields.Datetime(string="Granted", readonly=True)
    date_expires = fields.Datetime(string="Expires", readonly=True, index=True)
    is_active = fields.Boolean(string="Active", compute="_compute_is_active")
    reviewed_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    date_reviewed = fields.Datetime(string="Reviewed", readonly=True)
    access_log_ids = fields.One2many(
        comodel_name="clinic.access.log", inverse_name="access_grant_id", string="Reads"
    )

    def _compute_is_active(self):
        now = fields.Datetime.now()
        for grant in self:
            grant.is_active = bool(grant.date_expires and grant.date_expires > now)

    @api.depends("patient_id.name", "user_id.name")
    def _compute_display_name(self):
        for grant in self:
            grant.display_name = self.env._(
                "Emergency access of %(user)s to %(patient)s",
                user=grant.user_id.name or "",
                patient=grant.patient_id.name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        if in_workflow(self._name):
            return super().create(vals_list)
        check_access_first(self, "create")
        user = self.env.user
        if not user.has_group(THERAPIST) or user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "Emergency access is for therapists outside a patient's care; managers "
                    "read every patient's record."
                )
            )
        now = fields.Datetime.now()
        patients = self.env["clinic.patient"]
        for vals in vals_list:
            # The grant is created inside the workflow: the review is a manager's, later.
            self._check_caller_values(
                {name: vals[name] for name in ("reviewed_by_id", "date_reviewed") if vals.get(name)}
            )
            reason = (vals.get("reason") or "").strip()
            if len(reason) < MIN_REASON:
                raise ValidationError(
                    self.env._(
                        "Reason: say in at least %(count)s characters why you must open this "
                        "patient's record (e.g. the emergency and who asked).",
                        count=MIN_REASON,
                    )
                )
            patient = patients.browse(vals.get("patient_id")).exists()
            if patient and patient._clinic_in_care(user):
                raise UserError(
                    self.env._(
                        "%(patient)s is in your care: you can read their record without "
                        "emergency access.",
                        patient=patient.name,
                    )
                )
        vals_list = [
            {
                **vals,
                "user_id": user.id,
                "date_granted": now,
                "date_expires": now + timedelta(hours=self._hours_for(vals.get("patient_id"))),
            }
            for vals in vals_list
        ]
        grants = self._workflow_create(vals_list)
        for grant in grants:
            grant._notify_managers()
        return grants

    def write(self, vals):
        check_access_first(self, "write")
        if set(vals) - self._get_workflow_fields():
            raise UserError(
                self.env._(
                    "An emergency access cannot be changed: it records why a record was opened."
                )
            )
        return super().write(vals)

    def unlink(self):  # pylint: disable=method-required-super
        check_access_first(self, "unlink")
        raise UserError(
            self.env._("An emergency access cannot be deleted: it is part of the access history.")
        )

    # ------------------------------------------------------------------ actions

    def action_mark_reviewed(self):
        """A manager has read the reason and the reads made."""
        self.check_access("read")
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a manager reviews emergency accesses."))
        self._workflow_write(
            {"reviewed_by_id": self.env.uid, "date_reviewed": fields.Datetime.now()}
        )
        self._clinic_reminded(REVIEW_GRANT)
        return True

    def action_end(self):
        """End the access now (the therapist is done, or a manager stops it)."""
        self.check_access("read")
        now = fields.Datetime.now()
        for grant in self:
            if grant.user_id != self.env.user and not self.env.user.has_group(MANAGER):
                raise AccessError(
                    self.env._(
                        "Only %(user)s or a manager can end this emergency access.",
                        user=grant.user_id.name,
                    )
                )
            if grant.date_expires > now:
                grant._workflow_write({"date_expires": now})
        return True

    def action_open_patient(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "clinic.patient",
            "res_id": self.patient_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------ business

    @api.model
    def _hours_for(self, patient_id):
        """The Emergency Access hours of the patient's clinic."""
        patient = self.env["clinic.patient"].sudo().browse(patient_id).exists()
        return (patient.company_id or self.env.company).clinic_emergency_access_hours

    def _notify_managers(self):
        """An activity for each manager of the patient's clinic to review the access."""
        self.ensure_one()
        managers = self.company_id._clinic_users(MANAGER) - self.user_id
        note = self.env._(
            "%(user)s opened %(patient)s's record outside their care: %(reason)s",
            user=self.user_id.name,
            patient=self.patient_id.name,
            reason=self.reason,
        )
        for manager in managers:
            self._clinic_remind(manager, REVIEW_GRANT, note)
