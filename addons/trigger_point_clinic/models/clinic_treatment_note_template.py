from odoo import fields, models

from .clinic_contraindication import PRESSURE_LEVELS, PRESSURE_RANK
from .clinic_treatment_note import TECHNIQUES


class ClinicTreatmentNoteTemplate(models.Model):
    """What a note of a service starts with: the SOAP headings the clinic writes for it and how
    its regions are usually treated. Managers keep them; a new note of a session of that
    service starts from its template, the therapist then charts what was done."""

    _name = "clinic.treatment.note.template"
    _description = "Treatment Note Template"
    _order = "product_id, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Service",
        required=True,
        index=True,
        domain=[("type", "=", "service")],
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company", default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)
    technique = fields.Selection(TECHNIQUES, help="The technique each charted region starts with.")
    pressure = fields.Selection(
        PRESSURE_LEVELS,
        help="The pressure each charted region starts with, lowered to the patient's cap.",
    )
    minutes = fields.Integer(help="The minutes each charted region starts with.")
    subjective = fields.Html()
    objective = fields.Html()
    assessment = fields.Html()
    treatment_plan = fields.Html(string="Plan")

    _product_uniq = models.Constraint(
        "UNIQUE(product_id, company_id)", "A service has one note template; edit the existing one."
    )

    def _note_values(self, vals):
        """The values a new note takes from this template: the SOAP text it has none of, and
        the technique, pressure and minutes of the lines it starts with (``vals["line_ids"]``,
        create commands), each pressure within the lines' own (already capped) one."""
        self.ensure_one()
        values = {
            name: self[name]
            for name in ("subjective", "objective", "assessment", "treatment_plan")
            if self[name] and not vals.get(name)
        }
        lines = []
        for command in vals.get("line_ids") or []:
            if command[0] == fields.Command.CREATE:
                command = fields.Command.create(self._line_values(command[2]))
            lines.append(command)
        if lines:
            values["line_ids"] = lines
        return values

    def _line_values(self, line):
        """``line`` (a charted region's values) as the template starts it: the template's
        technique and minutes where it has none, its pressure within the line's own (already
        capped) one. The regions a note starts with and those charted on it later alike."""
        self.ensure_one()
        line = dict(line)
        if self.technique and not line.get("technique"):
            line["technique"] = self.technique
        if self.minutes and not line.get("minutes"):
            line["minutes"] = self.minutes
        capped = line.get("pressure")
        if self.pressure and (not capped or PRESSURE_RANK[self.pressure] < PRESSURE_RANK[capped]):
            line["pressure"] = self.pressure
        return line
