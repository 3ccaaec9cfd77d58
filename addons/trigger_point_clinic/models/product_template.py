from odoo import api, fields, models

from .clinic_dates import check_session_length


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
            check_session_length(
                self.env,
                self.env._("Session Length of %(service)s", service=template.name),
                template.clinic_duration,
            )
