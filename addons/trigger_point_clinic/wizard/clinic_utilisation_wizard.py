import io

import xlsxwriter

from odoo import api, fields, models
from odoo.tools import format_date

from ..models.clinic_dates import check_period

MEASURES = (
    "available_hours",
    "booked_hours",
    "attended_hours",
    "sessions",
    "no_shows",
    "late_cancellations",
    "revenue",
    "utilisation_booked",
    "utilisation_attended",
)


class ClinicUtilisationWizard(models.TransientModel):
    """Pick a period (and therapists or rooms), then read the utilisation on screen, print it,
    or take it away as a spreadsheet. The period's missing available hours are computed first."""

    _name = "clinic.utilisation.wizard"
    _description = "Utilisation Report"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    therapist_ids = fields.Many2many(comodel_name="clinic.therapist", string="Therapists")
    room_ids = fields.Many2many(comodel_name="clinic.room", string="Rooms")
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            check_period(self.env, wizard.date_from, wizard.date_to)

    def _prepare_period(self):
        """Compute the period's available hours that are missing or made stale by a calendar
        change not folded yet, which the report reads."""
        self.ensure_one()
        self.env["clinic.availability.day"].sudo()._fold()
        self.env["clinic.availability.day"].sudo()._refresh_missing(
            self.date_from, self.date_to, self.company_id
        )
        self.env.flush_all()

    def _domain(self):
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]
        if self.therapist_ids or self.room_ids:
            domain += [
                "|",
                ("therapist_id", "in", self.therapist_ids.ids),
                ("room_id", "in", self.room_ids.ids),
            ]
        return domain

    def _figures(self):
        """The figures of the period: one row per therapist and per room, and a total row for
        each kind. {'therapist': [rows], 'room': [rows], 'totals': {kind: row}}."""
        self.ensure_one()
        report = self.env["clinic.utilisation"]
        aggregates = [f"{measure}:sum" for measure in MEASURES]
        table = {"therapist": [], "room": [], "totals": {}}
        for kind, field in (("therapist", "therapist_id"), ("room", "room_id")):
            domain = [*self._domain(), ("kind", "=", kind)]
            for record, *values in report._read_group(domain, [field], aggregates):
                table[kind].append({"name": record.name, **self._measures(values)})
            [totals] = report._read_group(domain, [], aggregates)
            table["totals"][kind] = {"name": self.env._("Total"), **self._measures(totals)}
        return table

    def _measures(self, values):
        """{measure: value} of one row of sums: counts as whole numbers (PostgreSQL sums them
        as numerics, which read as floats), hours and money as floats, a ratio without hours
        available as None."""
        fields_ = self.env["clinic.utilisation"]._fields
        row = {}
        for measure, value in zip(MEASURES, values):
            if fields_[measure].type == "integer":
                row[measure] = int(value or 0)
            elif measure.startswith("utilisation_"):
                row[measure] = value
            else:
                row[measure] = value or 0.0
        return row

    def action_open(self):
        self._prepare_period()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trigger_point_clinic.clinic_utilisation_action"
        )
        # The wizard's period replaces the menu's default one, and the analysis replaces what
        # was on screen behind the wizard rather than stacking on its breadcrumbs.
        action.update(
            name=self.env._(
                "Utilisation %(date_from)s to %(date_to)s",
                date_from=format_date(self.env, self.date_from),
                date_to=format_date(self.env, self.date_to),
            ),
            domain=self._domain(),
            context={"search_default_therapists": 1},
            target="main",
        )
        return action

    def action_print(self):
        self._prepare_period()
        # The PDF prints on the company's letterhead, or Odoo's standard one when none was
        # chosen: no document-layout wizard before the first print.
        return self.env.ref("trigger_point_clinic.action_report_utilisation").report_action(
            self, config=False
        )

    def action_export_xlsx(self):
        self._prepare_period()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"utilisation_{self.date_from}_{self.date_to}.xlsx",
                "raw": self._xlsx(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _xlsx(self):
        """The printed report's tables, as a workbook: one sheet per kind, with totals."""
        table = self._figures()
        labels = [self.env._("Name")] + [
            self.env["clinic.utilisation"]._fields[m].string for m in MEASURES
        ]
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        number = workbook.add_format({"num_format": "0.00"})
        count = workbook.add_format({"num_format": "0"})
        for kind, title in (("therapist", self.env._("Therapists")), ("room", self.env._("Rooms"))):
            sheet = workbook.add_worksheet(title)
            sheet.write(0, 0, f"{self.date_from} - {self.date_to}", bold)
            sheet.write_row(2, 0, labels, bold)
            rows = [*table[kind], table["totals"][kind]]
            for index, row in enumerate(rows, start=3):
                style = bold if row is rows[-1] else None
                sheet.write(index, 0, row["name"], style)
                for column, measure in enumerate(MEASURES, start=1):
                    style = count if isinstance(row[measure], int) else number
                    sheet.write_number(index, column, row[measure] or 0, style)
            sheet.set_column(0, 0, 28)
            sheet.set_column(1, len(MEASURES), 14)
        workbook.close()
        return buffer.getvalue()
