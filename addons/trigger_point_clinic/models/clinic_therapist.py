from odoo import api, fields, models


class ClinicTherapist(models.Model):
    """A therapist: an Odoo resource with a working calendar and leaves, linked to a user."""

    _name = "clinic.therapist"
    _description = "Therapist"
    _inherits = {"resource.resource": "resource_id"}
    _order = "name"

    resource_id = fields.Many2one(
        comodel_name="resource.resource", required=True, ondelete="restrict", index=True
    )
    color = fields.Integer(default=lambda self: self._default_color())
    session_ids = fields.One2many(comodel_name="clinic.session", inverse_name="therapist_id")

    _user_uniq = models.Constraint("UNIQUE(resource_id)", "A resource can be one therapist only.")

    def _default_color(self):
        return self.search_count([]) % 11 + 1

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["resource_type"] = "user"
        return super().create(vals_list)
