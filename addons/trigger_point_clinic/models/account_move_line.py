from odoo import fields, models
from odoo.exceptions import UserError

from .account_move import CHARGES
from .clinic_workflow import in_workflow

# What a line bills: set by the clinic's billing when it makes the line, never edited after.
BILLING_LINKS = (
    "clinic_session_id",
    "clinic_plan_id",
    "clinic_charge",
    "clinic_package_size",
    "clinic_package_number",
)


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

    def write(self, vals):
        """The billing links are the billing's own: a line that no longer names its session
        would let the next run bill the session again, one that names another session would
        give one patient's payment to another. Only the clinic's code moves them (a paid
        deposit following its moved session)."""
        links = [name for name in BILLING_LINKS if name in vals]
        if links and not in_workflow(self._name):
            changed = [
                name
                for name in links
                if any(
                    (line._fields[name].convert_to_write(line[name], line) or False)
                    != (vals[name] or False)
                    for line in self
                )
            ]
            if changed:
                raise UserError(
                    self.env._(
                        "%(field)s: which session, plan or charge an invoice line bills is set "
                        "by the clinic's billing and does not change.",
                        field=self._fields[changed[0]].get_description(self.env)["string"],
                    )
                )
        return super().write(vals)
