from odoo import api, fields, models


class ClinicRoom(models.Model):
    """A treatment room: a material resource whose calendar holds its opening hours."""

    _name = "clinic.room"
    _description = "Treatment Room"
    _inherits = {"resource.resource": "resource_id"}
    _order = "name"

    resource_id = fields.Many2one(
        comodel_name="resource.resource", required=True, ondelete="restrict", index=True
    )
    session_ids = fields.One2many(comodel_name="clinic.session", inverse_name="room_id")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["resource_type"] = "material"
        return super().create(vals_list)
