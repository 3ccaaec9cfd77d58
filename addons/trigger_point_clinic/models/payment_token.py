from odoo import fields, models


class PaymentToken(models.Model):
    """The provider's reference of a saved card is what charges it: Odoo's payment code reads
    it as superuser, and no clinic role reads it (account_payment lets invoicing users, hence
    managers, read tokens). Only the system's administrators (base.group_system) see it."""

    _inherit = "payment.token"

    provider_ref = fields.Char(groups="base.group_system")
