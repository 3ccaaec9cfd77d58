import base64
import binascii

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_outcome_measures import MEASURES

# The instruments whose scoring rule the clinic knows (clinic_outcome_measures.py).
SCORINGS = [(code, MEASURES[code].name) for code in ("nrs", "psfs", "pgic", "ndi", "odi")]
# Licensed instruments: a clinic loads their items with its licence; the scoring is ours.
LICENSED = {"ndi": 10, "odi": 10}
# Each item of a licensed disability index offers six statements, scored 0 to 5.
LICENSED_OPTIONS = 6
# A licensed instrument's file is a few kilobytes: anything much larger is not one.
MAX_FILE_BYTES = 512 * 1024


class ClinicQuestionnaire(models.Model):
    """An instrument of the catalogue: its items (as data), the scoring rule it is scored by,
    and the clinically important change of that rule, with its citation."""

    _name = "clinic.questionnaire"
    _description = "Questionnaire"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    scoring = fields.Selection(SCORINGS, required=True)
    licensed = fields.Boolean(
        readonly=True, help="Copyrighted: the items were loaded by the clinic under its licence."
    )
    licence = fields.Char(help="The clinic's licence for this instrument (who granted, when).")
    instructions = fields.Text(translate=True)
    item_ids = fields.One2many(
        comodel_name="clinic.questionnaire.item", inverse_name="questionnaire_id", string="Items"
    )
    mcid = fields.Char(
        string="Clinically Important Change", compute="_compute_mcid", help="From the scoring rule."
    )
    citation = fields.Char(compute="_compute_mcid")

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "Another questionnaire has this code: give each instrument its own code."
    )

    @api.depends("scoring")
    def _compute_mcid(self):
        for questionnaire in self:
            measure = MEASURES.get(questionnaire.scoring)
            if not measure:
                questionnaire.mcid = questionnaire.citation = False
                continue
            parts = []
            if measure.mcid_points is not None:
                parts.append(self.env._("%(points)s points", points=measure.mcid_points))
            if measure.mcid_percent is not None:
                parts.append(self.env._("%(percent)s %%", percent=measure.mcid_percent))
            if questionnaire.scoring == "pgic":
                parts.append(self.env._("much or very much improved"))
            questionnaire.mcid = self.env._(" or ").join(parts)
            questionnaire.citation = measure.citation

    # ------------------------------------------------------------------ the licensed format

    @api.model
    @api.private
    def _load_licensed(self, content):
        """Load a licensed instrument from the clinic's file (its items are not shipped):

        <questionnaire code="ndi" scoring="ndi" name="Neck Disability Index" licence="...">
            <item text="Pain intensity">
                <option>I have no pain at the moment.</option>  (six, scored 0 to 5)
            </item>  (ten)
        </questionnaire>

        Loading again replaces the items of the same code. Returns the questionnaire."""
        if len(content) > MAX_FILE_BYTES:
            raise UserError(
                self.env._(
                    "File is %(size)s bytes: a questionnaire file is at most %(max)s bytes. "
                    "Choose the instrument's XML file.",
                    size=len(content),
                    max=MAX_FILE_BYTES,
                )
            )
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            root = etree.fromstring(content, parser=parser)
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise UserError(
                self.env._(
                    "File is not a questionnaire file (%(error)s): choose the XML file of the "
                    "format described in the README.",
                    error=str(exc)[:200],
                )
            )
        scoring = root.get("scoring")
        if root.tag != "questionnaire" or scoring not in LICENSED:
            raise UserError(
                self.env._(
                    'File: the root must be <questionnaire scoring="..."> with a scoring of '
                    "%(scorings)s.",
                    scorings=", ".join(sorted(LICENSED)),
                )
            )
        items = [
            (
                (item.get("text") or "").strip(),
                [(option.text or "").strip() for option in item.iter("option")],
            )
            for item in root.iter("item")
        ]
        if len(items) != LICENSED[scoring] or any(
            not text or len(options) != LICENSED_OPTIONS or not all(options)
            for text, options in items
        ):
            raise UserError(
                self.env._(
                    "File: %(name)s has %(items)s items, each with a text and %(options)s "
                    "non-empty options scored 0 to 5; check the file against your licensed "
                    "copy.",
                    name=MEASURES[scoring].name,
                    items=LICENSED[scoring],
                    options=LICENSED_OPTIONS,
                )
            )
        code = (root.get("code") or scoring).strip()
        values = {
            "name": (root.get("name") or MEASURES[scoring].name).strip(),
            "scoring": scoring,
            "licensed": True,
            "licence": (root.get("licence") or "").strip(),
            "item_ids": [fields.Command.clear()]
            + [
                fields.Command.create(
                    {"sequence": index, "text": text, "options": "\n".join(options)}
                )
                for index, (text, options) in enumerate(items, start=1)
            ],
        }
        questionnaire = self.with_context(active_test=False).search([("code", "=", code)])
        if questionnaire:
            questionnaire.write(values)
        else:
            questionnaire = self.create({"code": code, **values})
        return questionnaire


class ClinicQuestionnaireItem(models.Model):
    _name = "clinic.questionnaire.item"
    _description = "Questionnaire Item"
    _order = "sequence, id"

    questionnaire_id = fields.Many2one(
        comodel_name="clinic.questionnaire", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    text = fields.Text(required=True, translate=True)
    options = fields.Text(
        translate=True,
        help="One answer per line, scored from the scale's lowest value in order; empty: a "
        "numeric scale.",
    )


class ClinicQuestionnaireLoad(models.TransientModel):
    """A manager loads a licensed instrument's items from the clinic's file."""

    _name = "clinic.questionnaire.load"
    _description = "Load a Licensed Questionnaire"

    file = fields.Binary(required=True)
    filename = fields.Char()

    def action_load(self):
        self.ensure_one()
        self.env["clinic.questionnaire"].check_access("create")
        try:
            content = base64.b64decode(self.with_context(bin_size=False).file or b"")
        except (binascii.Error, ValueError):
            content = b""
        questionnaire = self.env["clinic.questionnaire"]._load_licensed(content)
        return {
            "type": "ir.actions.act_window",
            "res_model": "clinic.questionnaire",
            "res_id": questionnaire.id,
            "view_mode": "form",
        }
