from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ClinicBodyRegion(models.Model):
    """Body regions and, as their children, the muscles where trigger points are charted."""

    _name = "clinic.body.region"
    _description = "Body Region or Muscle"
    _parent_store = True
    _order = "sequence, complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by data files and integrations.")
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("region", "Region"), ("muscle", "Muscle")],
        required=True,
        default="region",
    )
    parent_id = fields.Many2one(
        comodel_name="clinic.body.region",
        string="Region",
        index=True,
        ondelete="restrict",
        domain=[("kind", "=", "region")],
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        comodel_name="clinic.body.region", inverse_name="parent_id", string="Muscles"
    )
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    referral_area = fields.Text(
        translate=True, help="Where pain from trigger points here is usually felt."
    )
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "A body region code must be unique.")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for region in self:
            if region.parent_id:
                region.complete_name = f"{region.parent_id.complete_name} / {region.name}"
            else:
                region.complete_name = region.name

    @api.constrains("kind", "parent_id")
    def _check_kind_parent(self):
        for region in self:
            if region.kind == "muscle" and not region.parent_id:
                raise ValidationError(
                    self.env._("Muscle %(name)s needs a Region.", name=region.name)
                )
            if region.kind == "region" and region.parent_id:
                raise ValidationError(
                    self.env._(
                        "Region %(name)s cannot sit under another region; make it a Muscle.",
                        name=region.name,
                    )
                )

    def _with_muscles(self):
        """These regions together with every muscle of theirs."""
        return self.search([("id", "child_of", self.ids)]) if self else self

    def _without_own_muscles(self):
        """These regions without the muscles of regions also among them: how a list of regions
        to avoid reads (``leg``, not ``leg`` and each of its muscles)."""
        return self.filtered(lambda region: region.parent_id not in self)
