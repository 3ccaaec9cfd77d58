"""De-identified research export of episodes and outcomes, for a clinic to pool with others.

Nothing that identifies a patient leaves: no name, contact, exact date or birthdate, no
database id. A subject is a random id drawn for this export only (two exports of the same
patient cannot be joined), age is a 10-year band at the episode's start, and every time is a
number of days since the episode's start. The FHIR R4 bundle is validated with the
``fhir.resources`` package (its R4B models: QuestionnaireResponse and Observation did not
change from R4) before it is stored."""

import base64
import csv
import io
import json
import secrets
import uuid
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .clinic_workflow import MANAGER

EXTENSION = "https://trigger-point-clinic.example.org/fhir/StructureDefinition/"
NRS_LOINC = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
CSV_COLUMNS = ("subject", "age_band", "source", "measure", "what", "day", "value")


def age_band(birthdate, on):
    """The 10-year band of the age at ``on`` ("30-39"), or "unknown"."""
    if not birthdate or not on:
        return "unknown"
    age = on.year - birthdate.year - ((on.month, on.day) < (birthdate.month, birthdate.day))
    low = max(age, 0) // 10 * 10
    return f"{low}-{low + 9}"


class ClinicResearchExport(models.Model):
    """One research export: who made it, when, how many episodes; the files it produced."""

    _name = "clinic.research.export"
    _description = "Research Export"
    _order = "id desc"

    name = fields.Char(string="Export ID", readonly=True, required=True)
    user_id = fields.Many2one(comodel_name="res.users", readonly=True, required=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True, required=True)
    episode_count = fields.Integer(string="Episodes", readonly=True)
    csv_file = fields.Binary(string="CSV", readonly=True, attachment=True)
    csv_filename = fields.Char(readonly=True)
    fhir_file = fields.Binary(string="FHIR R4 Bundle", readonly=True, attachment=True)
    fhir_filename = fields.Char(readonly=True)

    @api.model
    def action_generate(self):
        """Export the company's episodes de-identified, as CSV and as a FHIR bundle; the export
        is recorded, and each episode it read is in the access log. Managers only."""
        # The managers' read right on the exports is the gate; the group check says it plainly.
        self.check_access("read")
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a clinic manager exports outcomes for research."))
        episodes = self.env["clinic.episode"].search([("company_id", "=", self.env.company.id)])
        if not episodes:
            raise UserError(
                self.env._("There is no episode of care to export: record episodes first.")
            )
        export_id = str(uuid.uuid4())
        rows = self._research_rows(episodes)
        bundle = self._fhir_bundle(export_id, rows)
        record = self.sudo().create(
            {
                "name": export_id,
                "user_id": self.env.uid,
                "company_id": self.env.company.id,
                "episode_count": len(episodes),
                "csv_file": base64.b64encode(self._csv(rows)),
                "csv_filename": f"outcomes-{export_id}.csv",
                "fhir_file": base64.b64encode(bundle.encode()),
                "fhir_filename": f"outcomes-{export_id}.json",
            }
        )
        self.env["clinic.access.log"]._log_reads(episodes, "export")
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": record.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ de-identified rows

    @api.model
    def _research_rows(self, episodes):
        """{subject: {"age_band", "observations": [...], "responses": [...]}}: the outcomes of
        ``episodes``, each subject a random id of this export."""
        subjects = {}
        for episode in episodes.sudo():
            subject = secrets.token_hex(8)
            start = episode.date_start
            entry = {
                "age_band": age_band(episode.patient_id.birthdate, start),
                "observations": [],
                "responses": [],
            }
            notes = episode.session_ids.treatment_note_ids.filtered(lambda n: n.state == "signed")
            for note in notes.sorted(lambda n: (n.date, n.id)):
                day = (note.date.date() - start).days
                pain = defaultdict(int)
                for line in note.line_ids:
                    region = line.region_id.code or str(line.region_id.name)
                    if line.pain_before is not False:  # not entered is not a 0
                        pain[region] = max(pain[region], line.pain_before)
                    if line.ppt_measured:
                        entry["observations"].append(("ppt", region, day, line.ppt))
                for region, value in pain.items():
                    entry["observations"].append(("nrs", region, day, value))
            for response in episode.response_ids.filtered(lambda r: r.state == "submitted"):
                entry["responses"].append(
                    {
                        "questionnaire": response.questionnaire_id.code,
                        "day": (response.date_submitted.date() - start).days,
                        "score": response.score,
                        "answers": [
                            int(answer.value) if answer.value else None
                            for answer in response.answer_ids.sorted("sequence")
                        ],
                    }
                )
            subjects[subject] = entry
        return subjects

    @api.model
    def _csv(self, rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for subject, entry in rows.items():
            for measure, what, day, value in entry["observations"]:
                writer.writerow((subject, entry["age_band"], "note", measure, what, day, value))
            for response in entry["responses"]:
                writer.writerow(
                    (
                        subject,
                        entry["age_band"],
                        "questionnaire",
                        response["questionnaire"],
                        "score",
                        response["day"],
                        response["score"],
                    )
                )
        return buffer.getvalue().encode()

    @api.model
    def _fhir_bundle(self, export_id, rows):
        """The FHIR bundle (JSON) of ``rows``, validated by ``fhir.resources``."""
        from fhir.resources.R4B.bundle import Bundle

        entries = []
        for subject, entry in rows.items():
            reference = {
                "identifier": {"system": f"urn:uuid:{export_id}", "value": subject},
            }
            extensions = [{"url": f"{EXTENSION}age-band", "valueString": entry["age_band"]}]

            def day_extension(day):
                return {"url": f"{EXTENSION}days-since-episode-start", "valueInteger": day}

            for measure, what, day, value in entry["observations"]:
                resource = {
                    "resourceType": "Observation",
                    "status": "final",
                    "subject": reference,
                    "bodySite": {"text": what},
                    "extension": [*extensions, day_extension(day)],
                }
                if measure == "nrs":
                    resource["code"] = {
                        "coding": [
                            {
                                "system": "http://loinc.org",
                                "code": NRS_LOINC[0],
                                "display": NRS_LOINC[1],
                            }
                        ]
                    }
                    resource["valueInteger"] = value
                else:
                    resource["code"] = {"text": "Pressure pain threshold (algometer)"}
                    resource["valueQuantity"] = {
                        "value": value,
                        "unit": "kg/cm2",
                        "system": "http://unitsofmeasure.org",
                        "code": "kg/cm2",
                    }
                entries.append({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": resource})
            for response in entry["responses"]:
                items = [
                    {
                        "linkId": str(index),
                        **({"answer": [{"valueInteger": answer}]} if answer is not None else {}),
                    }
                    for index, answer in enumerate(response["answers"], start=1)
                ]
                items.append({"linkId": "score", "answer": [{"valueDecimal": response["score"]}]})
                entries.append(
                    {
                        "fullUrl": f"urn:uuid:{uuid.uuid4()}",
                        "resource": {
                            "resourceType": "QuestionnaireResponse",
                            "status": "completed",
                            "questionnaire": f"{EXTENSION}Questionnaire/"
                            f"{response['questionnaire']}",
                            "subject": reference,
                            "extension": [*extensions, day_extension(response["day"])],
                            "item": items,
                        },
                    }
                )
        data = {
            "resourceType": "Bundle",
            "type": "collection",
            "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{export_id}"},
            "entry": entries,
        }
        # Raises when a resource is not valid FHIR: nothing is stored then.
        Bundle.model_validate(data)
        return json.dumps(data, indent=1)
