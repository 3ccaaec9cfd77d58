from odoo import api, fields, models

from .clinic_contraindication import PRESSURE_LEVELS, PRESSURE_RANK
from .clinic_treatment_note import SIDES

# The screening verdicts under which a patient may practise on their own between sessions.
PRACTISING_VERDICTS = ("clear", "cleared_with_precautions")


class ClinicHomecareItem(models.Model):
    """A home-care item carries the pressure the therapist teaches; the programme never
    proposes more than the patient's screening allows (``clinic.home.programme``)."""

    _inherit = "clinic.homecare.item"

    pressure = fields.Selection(
        PRESSURE_LEVELS,
        default="light",
        required=True,
        help="How hard the patient presses; the programme lowers it to the screening's cap.",
    )
    side = fields.Selection(
        SIDES, default="bilateral", required=True, help="Which side the patient works on."
    )


class ClinicContraindication(models.Model):
    """What the patient is told between sessions while this entry applies to them."""

    _inherit = "clinic.contraindication"

    home_advice = fields.Text(
        translate=True,
        help="Shown with the patient's home programme, in the patient's words, while this "
        "entry applies to them.",
    )


class ClinicHomeProgramme(models.AbstractModel):
    """The one rule of the self-massage programme: the home-care items of the patient's latest
    signed treatment note (the next signed note replaces them, even with none), without any
    item on a region the screening excludes (a region excluding its muscles, a muscle its
    region), at no more than the screening's maximum pressure, and only while the screening
    allows treatment and no red flag of the daily check waits for a re-screening
    (``clinic.home.check``). Computed when read, so a change of screening applies at once."""

    _name = "clinic.home.programme"
    _description = "Home Programme"

    @api.private
    def _latest_signed_notes(self, patients):
        """Per patient id, the signed note whose home-care items are in force."""
        notes = (
            self.env["clinic.treatment.note"]
            .sudo()
            .search(
                [("patient_id", "in", patients.ids), ("state", "=", "signed")],
                order="date desc, id desc",
            )
        )
        latest = {}
        for note in notes:
            latest.setdefault(note.patient_id.id, note)
        return latest

    @api.private
    def _is_excluded(self, region, screening):
        """Whether ``region`` is, holds or lies in a region or muscle the screening excludes."""
        path = set(region.parent_path.strip("/").split("/"))
        for excluded in screening.excluded_region_ids:
            excluded_path = set(excluded.parent_path.strip("/").split("/"))
            if str(excluded.id) in path or str(region.id) in excluded_path:
                return True
        return False

    @api.private
    def _capped_pressure(self, pressure, screening):
        cap = screening.max_pressure
        if cap and PRESSURE_RANK[pressure] > PRESSURE_RANK[cap]:
            return cap
        return pressure

    @api.private
    def _for_patient(self, patient):
        """The programme of ``patient``: the note it comes from, whether the patient may
        practise, the practices (home-care item, region, dose and capped pressure), the
        pressure cap and the advice in the patient's words."""
        patient = patient.sudo()
        screening = self.env["clinic.patient.screening"]._ensure_for(patient)
        note = self._latest_signed_notes(patient).get(patient.id, self.env["clinic.treatment.note"])
        paused = self.env["clinic.home.check"]._pausing(patient)
        practising = screening.verdict in PRACTISING_VERDICTS and not paused
        practices = []
        if practising:
            practices = [
                {
                    "item": item,
                    "region": item.region_id,
                    "side": item.side,
                    "kind": item.kind,
                    "instructions": item.instructions or "",
                    "times_per_day": item.times_per_day,
                    "minutes": item.minutes,
                    "pressure": self._capped_pressure(item.pressure, screening),
                }
                for item in note.homecare_ids
                if not self._is_excluded(item.region_id, screening)
            ]
        advice = [
            entry.home_advice.strip()
            for entry in screening.contraindication_ids
            if entry.home_advice
        ]
        return {
            "note": note,
            "screening": screening,
            "practising": practising,
            "paused": paused,
            "practices": practices,
            "max_pressure": screening.max_pressure,
            "avoid_regions": screening.avoid_region_ids,
            "advice": advice,
        }

    @api.private
    def _render_summary(self, patient):
        return self.env["ir.qweb"]._render(
            "trigger_point_clinic.home_programme_summary",
            {
                "programme": self._for_patient(patient),
                "pressure_labels": dict(PRESSURE_LEVELS),
            },
        )


class ClinicPatientScreening(models.Model):
    """The home programme is clinical content: read with the screening, where the front desk
    has no access right."""

    _inherit = "clinic.patient.screening"

    home_programme = fields.Html(
        compute="_compute_home_programme",
        sanitize=False,
        help="What the patient practises between sessions, as the patient sees it.",
    )

    @api.depends(
        "verdict", "excluded_region_ids", "max_pressure", "patient_id.treatment_note_ids.state"
    )
    def _compute_home_programme(self):
        programmes = self.env["clinic.home.programme"]
        for screening in self:
            # In a form's onchange the patient is a new record: its programme is the saved
            # patient's (none for a patient not saved yet), and no screening is made for it.
            patient = screening.patient_id._origin
            screening.home_programme = programmes._render_summary(patient) if patient else False
