from odoo import fields, models

from .account_move import CHARGES


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    clinic_session_id = fields.Many2one(
        comodel_name="clinic.session",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    clinic_plan_id = fields.Many2one(
        comodel_name="clinic.plan",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    clinic_charge = fields.Selection(CHARGES, readonly=True, copy=False)
    clinic_package_size = fields.Integer(readonly=True, copy=False)
    clinic_package_number = fields.Integer(
        readonly=True, copy=False, help="Package mode: which package of the plan this line sells."
    )

    # The guarantee behind every billing run: a session is charged, fined or credited at most
    # once by the invoices that count (a cancelled invoice frees its sessions again).
    _clinic_session_charge_uniq = models.UniqueIndex(
        "(clinic_session_id, clinic_charge) "
        "WHERE clinic_session_id IS NOT NULL AND parent_state != 'cancel'",
        "This session is already billed for that charge.",
    )
    # The same for packages: the n-th package of a plan is sold once, also when two runs bill
    # the plan at the same moment.
    _clinic_plan_package_uniq = models.UniqueIndex(
        "(clinic_plan_id, clinic_package_number) "
        "WHERE clinic_charge = 'package' AND parent_state != 'cancel'",
        "This package of the plan is already billed.",
    )
