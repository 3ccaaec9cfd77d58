from odoo import api, fields, models
from odoo.exceptions import ValidationError

CONTRAINDICATION_KINDS = [
    ("absolute", "Absolute: do not treat"),
    ("relative", "Relative: physician clearance"),
    ("local", "Local: avoid the area"),
    ("medication", "Medication: modified technique"),
]

# Ordered from the lightest to the heaviest: a precaution caps the pressure at a level.
PRESSURE_LEVELS = [
    ("light", "Light"),
    ("moderate", "Moderate"),
    ("firm", "Firm"),
    ("deep", "Deep"),
]
PRESSURE_RANK = {level: rank for rank, (level, _label) in enumerate(PRESSURE_LEVELS)}


class ClinicContraindication(models.Model):
    """One entry of the screening catalogue: what the intake asks, and what a yes means."""

    _name = "clinic.contraindication"
    _description = "Contraindication"
    _order = "sequence, kind, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(CONTRAINDICATION_KINDS, required=True, default="absolute")
    trigger = fields.Selection(
        [
            ("question", "Yes to its intake question"),
            ("medication", "Patient takes this medication class"),
            ("recent_surgery", "Recent surgery or trauma on the intake"),
            ("pregnancy_first_trimester", "First trimester of pregnancy"),
        ],
        required=True,
        default="question",
        help="What on an intake makes this entry apply to the patient.",
    )
    question = fields.Char(
        translate=True, help="Asked on the intake form; a yes makes this entry apply."
    )
    region_ids = fields.Many2many(
        comodel_name="clinic.body.region",
        string="Regions to Avoid",
        domain=[("kind", "=", "region")],
        help="Local contraindications: these regions and all their muscles are excluded.",
    )
    clearance_validity_days = fields.Integer(
        string="Clearance Validity (days)",
        default=180,
        help="Relative contraindications: how long a physician's clearance is valid by default.",
    )
    max_pressure = fields.Selection(
        PRESSURE_LEVELS,
        string="Maximum Pressure",
        help="The heaviest pressure a therapist may use while this applies.",
    )
    guidance = fields.Text(translate=True, help="What the therapist must do or avoid.")

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "A contraindication code must be unique in the catalogue."
    )

    @api.constrains("kind", "trigger", "question", "region_ids", "clearance_validity_days")
    def _check_catalogue_entry(self):
        for entry in self:
            if entry.trigger == "question" and not entry.question:
                raise ValidationError(
                    self.env._(
                        "Contraindication %(name)s is triggered by its question: "
                        "fill in the Question asked on the intake.",
                        name=entry.name,
                    )
                )
            if entry.kind == "local" and not entry.region_ids:
                raise ValidationError(
                    self.env._(
                        "Local contraindication %(name)s needs the Regions to Avoid.",
                        name=entry.name,
                    )
                )
            if entry.kind == "relative" and entry.clearance_validity_days <= 0:
                raise ValidationError(
                    self.env._(
                        "Relative contraindication %(name)s needs a Clearance Validity of at "
                        "least one day.",
                        name=entry.name,
                    )
                )

    def _reason_line(self):
        self.ensure_one()
        kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        # Without its final full stop: the line is quoted inside sentences of their own.
        guidance = (self.guidance or "").strip().rstrip(".")
        return f"{self.name} ({kind})" + (f": {guidance}" if guidance else "")
