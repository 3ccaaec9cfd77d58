"""The desk moves a session by booking the new time and cancelling the old one with *Moved
To*: the payment the patient made at online booking follows the new session when the charge
rule says the move costs nothing (``clinic.charge.rule._moved_deposit``)."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.clinic_workflow import FRONT_DESK, MANAGER


class ClinicSessionCancel(models.TransientModel):
    _inherit = "clinic.session.cancel"

    moved_patient_id = fields.Many2one(
        comodel_name="clinic.patient", compute="_compute_moved_patient_id"
    )
    moved_to_id = fields.Many2one(
        comodel_name="clinic.session",
        domain="[('patient_id', '=', moved_patient_id), ('state', 'in', ('draft', 'confirmed'))]",
        groups=f"{MANAGER},{FRONT_DESK}",
        help="The session booked instead, when the session is moved rather than cancelled: a "
        "payment made at online booking follows it (not when the patient moves it too late: "
        "that is a late cancellation).",
    )

    @api.depends("session_ids")
    def _compute_moved_patient_id(self):
        for wizard in self:
            patients = wizard.session_ids.patient_id
            wizard.moved_patient_id = patients if len(patients) == 1 else False

    def action_confirm(self):
        self.ensure_one()
        moved_to = self.sudo().moved_to_id
        if not moved_to:
            return super().action_confirm()
        old = self.session_ids
        if len(old) != 1 or moved_to == old or moved_to.patient_id != old.patient_id:
            raise UserError(
                self.env._(
                    "Moved To: choose another open session of %(patient)s, for one session "
                    "cancelled at a time.",
                    patient=old[:1].patient_id.name,
                )
            )
        if moved_to.state not in ("draft", "confirmed"):
            raise UserError(
                self.env._(
                    "Moved To: %(session)s is not open. Book the new time first, then cancel "
                    "this session as moved to it.",
                    session=moved_to.display_name,
                )
            )
        booking = self.env["clinic.online.booking"]
        held = self.env["clinic.charge.rule"]._held_for_payment(old)
        deposit = booking._deposit_moving(old, party=self.party)
        result = super().action_confirm()
        if deposit:
            booking._carry_deposit(deposit, old, moved_to, held=held)
        return result
