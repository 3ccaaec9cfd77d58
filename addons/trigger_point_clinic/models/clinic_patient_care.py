"""Who may read a patient's clinical record: the therapists in whose care the patient is
(a session that is not cancelled, or the care team a manager sets), those with an open
emergency access, and the access log that records every read."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .clinic_workflow import MANAGER, THERAPIST


class ClinicPatient(models.Model):
    _inherit = "clinic.patient"

    care_team_ids = fields.Many2many(
        comodel_name="res.users",
        relation="clinic_patient_care_team_rel",
        domain=[("share", "=", False)],
        help="Therapists who read this patient's clinical record without a session with them "
        "(e.g. covering for a colleague). Set by a manager.",
    )
    # The one definition of "in the care of", stored and kept by the sessions and the care
    # team, so that every record rule reads one indexed relation instead of scanning sessions.
    care_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="clinic_patient_care_user_rel",
        column1="patient_id",
        column2="user_id",
        compute="_compute_care_user_ids",
        store=True,
        compute_sudo=True,
        string="In the Care of",
        help="The users who treat this patient (a session with them that is not cancelled) or "
        "are on their Care Team: the therapists who read the clinical record.",
    )
    emergency_access_user_ids = fields.Many2many(
        comodel_name="res.users",
        compute="_compute_emergency_access_user_ids",
        search="_search_emergency_access_user_ids",
        string="Emergency Access",
        groups=THERAPIST,
        help="Therapists outside the patient's care with an emergency access open now.",
    )
    clinic_in_care = fields.Boolean(
        compute="_compute_clinic_in_care",
        string="In My Care",
        help="The current user treats this patient, is on their care team, or has an open "
        "emergency access.",
    )
    access_log_count = fields.Integer(compute="_compute_access_log_count", groups=MANAGER)

    @api.depends("session_ids.therapist_id.user_id", "session_ids.state", "care_team_ids")
    def _compute_care_user_ids(self):
        for patient in self:
            sessions = patient.session_ids.filtered(lambda s: s.state != "cancelled")
            patient.care_user_ids = sessions.therapist_id.user_id | patient.care_team_ids

    def _compute_emergency_access_user_ids(self):
        grants = (
            self.env["clinic.access.grant"]
            .sudo()
            ._read_group(
                [("patient_id", "in", self.ids), ("date_expires", ">", fields.Datetime.now())],
                ["patient_id"],
                ["user_id:recordset"],
            )
        )
        users = dict(grants)
        for patient in self:
            patient.emergency_access_user_ids = users.get(patient, self.env["res.users"])

    def _search_emergency_access_user_ids(self, operator, value):
        if operator != "in":
            return NotImplemented
        grants = (
            self.env["clinic.access.grant"]
            .sudo()
            ._search([("user_id", "in", value), ("date_expires", ">", fields.Datetime.now())])
        )
        return [("id", "in", grants.subselect("patient_id"))]

    def _compute_clinic_in_care(self):
        manager = self.env.user.has_group(MANAGER)
        in_care = self.browse() if manager else self._clinic_in_care(self.env.user, True)
        for patient in self:
            patient.clinic_in_care = manager or patient in in_care

    def _compute_access_log_count(self):
        counts = dict(
            self.env["clinic.access.log"]._read_group(
                [("patient_id", "in", self.ids)], ["patient_id"], ["__count"]
            )
        )
        for patient in self:
            patient.access_log_count = counts.get(patient, 0)

    def _check_care_team_writer(self, vals_list):
        if any("care_team_ids" in vals for vals in vals_list) and not (
            self.env.su or self.env.user.has_group(MANAGER)
        ):
            raise AccessError(
                self.env._("Only a clinic manager decides who is on a patient's Care Team.")
            )

    # ------------------------------------------------------------------ business

    def _clinic_in_care(self, user, emergency=False):
        """The patients of ``self`` whom ``user`` treats (a session that is not cancelled), on
        whose care team they are, or (with ``emergency``) to whom they have an open emergency
        access: the domain of the therapists' read rules, in one query."""
        domain = [("care_user_ids", "in", user.id)]
        if emergency:
            domain = ["|", *domain, ("emergency_access_user_ids", "in", user.id)]
        return self.sudo().search([("id", "in", self.ids), *domain]).sudo(False)

    def action_emergency_access(self):
        """Open the form where a therapist outside the patient's care states why they must
        read the record (break-the-glass)."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Emergency Access"),
            "res_model": "clinic.access.grant",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_patient_id": self.id},
        }

    def action_view_access_log(self):
        self.ensure_one()
        self.check_access("read")
        self.env["clinic.access.log"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trigger_point_clinic.clinic_access_log_action"
        )
        action["domain"] = [("patient_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
