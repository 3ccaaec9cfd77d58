from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError

from .clinic_workflow import check_access_first

LETTER_REPORT = "trigger_point_clinic.action_report_episode_letter"


class ClinicAccessLog(models.Model):
    _inherit = "clinic.access.log"

    access_type = fields.Selection(
        selection_add=[("disclosure", "Disclosure (letter sent)")],
        ondelete={"disclosure": "cascade"},
    )


class ClinicEpisode(models.Model):
    """The letter to the referring physician: the episode, the screening and clearances, the
    treatment per region and the outcomes against their clinically important change."""

    _inherit = "clinic.episode"

    def _letter_physician(self):
        """The patient's referring physician, else the physician of their latest clearance."""
        self.ensure_one()
        patient = self.sudo().patient_id
        return (
            patient.referring_physician_id
            or patient.clearance_ids.sorted(lambda c: (c.date_issued, c.id), reverse=True)[
                :1
            ].physician_id
        )

    def _letter_notes(self):
        return self.sudo().session_ids.treatment_note_ids.filtered(lambda n: n.state == "signed")

    def _letter_regions(self):
        """Per region treated in the signed notes: sessions, techniques and minutes."""
        self.ensure_one()
        techniques = dict(self.env["clinic.treatment.note.line"]._fields["technique"].selection)
        rows = defaultdict(lambda: {"notes": set(), "techniques": set(), "minutes": 0})
        for line in self._letter_notes().line_ids:
            row = rows[line.region_id.display_name]
            row["notes"].add(line.note_id.id)
            if line.technique:
                row["techniques"].add(techniques[line.technique])
            row["minutes"] += line.minutes
        return [
            {
                "region": region,
                "sessions": len(row["notes"]),
                "techniques": ", ".join(sorted(row["techniques"])),
                "minutes": row["minutes"],
            }
            for region, row in sorted(rows.items())
        ]

    def _letter_homecare(self):
        self.ensure_one()
        items = self._letter_notes().sorted(lambda n: (n.date, n.id))[-1:].homecare_ids
        if not items:
            return self.env._("No home care prescribed.")
        return self.env._(
            "Prescribed: %(items)s. Adherence is not recorded.",
            items="; ".join(
                f"{item.region_id.display_name} {item.times_per_day}x{item.minutes} min/day"
                for item in items
            ),
        )

    def action_send_letter(self):
        """E-mail the letter (PDF) to the referring physician; each letter is a disclosure of
        the clinical record, written to the access log."""
        self.ensure_one()
        check_access_first(self, "write")
        physician = self._letter_physician()
        if not physician:
            raise UserError(
                self.env._(
                    "%(patient)s has no referring physician: set Referring Physician on the "
                    "patient (or record a clearance), then send the letter.",
                    patient=self.patient_id.name,
                )
            )
        if not physician.email:
            raise UserError(
                self.env._(
                    "%(physician)s has no e-mail address: add it to the physician's contact, "
                    "then send the letter.",
                    physician=physician.name,
                )
            )
        pdf, _type = self.env["ir.actions.report"].sudo()._render_qweb_pdf(LETTER_REPORT, self.ids)
        name = self.env._("Letter - %(patient)s.pdf", patient=self.patient_id.name)
        self.message_post(
            body=self.env._(
                "Dear %(physician)s, please find attached our progress letter about your "
                "patient %(patient)s.",
                physician=physician.name,
                patient=self.patient_id.name,
            ),
            subject=self.env._("Progress letter: %(patient)s", patient=self.patient_id.name),
            partner_ids=physician.ids,
            attachments=[(name, pdf)],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.env["clinic.access.log"]._log_reads(self, "disclosure")
        return True
