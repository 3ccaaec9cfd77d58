from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    clinic_duration = fields.Float(
        string="Session Length",
        default=1.0,
        help="Clinic services: how long a session of this service lasts, in hours. A booking "
        "ends this long after it starts unless the front desk changes its end.",
    )

    @api.constrains("clinic_duration")
    def _check_clinic_duration(self):
        for template in self:
            if not 0 < template.clinic_duration <= 12:
                raise ValidationError(
                    self.env._(
                        "Session Length of %(service)s is %(hours)s hours: enter more than zero "
                        "and at most 12.",
                        service=template.name,
                        hours=template.clinic_duration,
                    )
                )
