"""The clinic's one screening rule, applied to an intake: which contraindications its answers
make apply, and the verdict on a given day."""

from dateutil.relativedelta import relativedelta

from odoo import fields, models

from .clinic_contraindication import PRESSURE_RANK


class ClinicIntake(models.Model):
    _inherit = "clinic.intake"

    def _triggered_contraindications(self):
        """The catalogue entries this intake's answers make apply to the patient."""
        self.ensure_one()
        intake = self.sudo()
        triggered = intake.answer_ids.filtered(lambda a: a.answer == "yes").contraindication_id
        triggered |= intake.medication_ids
        catalogue = self.env["clinic.contraindication"]
        if intake.recent_surgery:
            triggered |= catalogue.search([("trigger", "=", "recent_surgery")])
        if intake.pregnant and intake.pregnancy_trimester == "1":
            triggered |= catalogue.search([("trigger", "=", "pregnancy_first_trimester")])
        return triggered

    def _screen(self, at_date):
        """The clinic's one screening rule, for this intake at ``at_date``.

        - no intake, or an intake older than the company's validity (12 months by default):
          the patient cannot be treated until a new intake is submitted;
        - any **absolute** contraindication: do not treat;
        - a **relative** contraindication without a physician's clearance valid on that date:
          clearance required;
        - **local** regions to avoid, **medication** precautions, or relative contraindications
          covered by a clearance: cleared with precautions;
        - otherwise clear.

        Returns a dict: verdict, contraindications (those that apply), reasons (lines for the
        therapist), excluded regions (with their muscles), precautions, the maximum pressure,
        and review_date (the first day the verdict may change by itself).
        """
        empty = self.env["clinic.contraindication"]
        result = {
            "verdict": "missing",
            "contraindications": empty,
            "reasons": [],
            "excluded_regions": self.env["clinic.body.region"],
            "precautions": [],
            "max_pressure": False,
            "review_date": False,
        }
        if not self:
            result["reasons"] = [self.env._("No submitted intake: send the patient an intake.")]
            return result
        self.ensure_one()
        intake = self.sudo()
        company = intake.patient_id.company_id or self.env.company
        expiry = fields.Date.to_date(intake.date_submitted) + relativedelta(
            months=company.clinic_intake_validity_months
        )
        if at_date >= expiry:
            result.update(
                verdict="expired",
                review_date=False,
                reasons=[
                    self.env._(
                        "The intake of %(date)s expired on %(expiry)s: the patient must fill in "
                        "a new intake.",
                        date=fields.Date.to_date(intake.date_submitted),
                        expiry=expiry,
                    )
                ],
            )
            return result
        applying = intake._triggered_contraindications()
        clearances = intake.patient_id.clearance_ids.filtered(lambda c: c.state == "active")
        valid_clearances = clearances.filtered(lambda c: c._is_valid_on(at_date))
        covered = valid_clearances.contraindication_ids
        absolute = applying.filtered(lambda c: c.kind == "absolute")
        relative = applying.filtered(lambda c: c.kind == "relative")
        uncovered = relative - covered
        cautions = applying.filtered(lambda c: c.kind in ("local", "medication")) | (
            relative & covered
        )
        review_dates = [expiry]
        review_dates += [c.date_expiry + relativedelta(days=1) for c in valid_clearances]
        review_dates += [c.date_issued for c in clearances if c.date_issued > at_date]
        if absolute:
            verdict, reasons = "do_not_treat", absolute
        elif uncovered:
            verdict, reasons = "clearance_required", uncovered
        elif cautions:
            verdict, reasons = "cleared_with_precautions", cautions
        else:
            verdict, reasons = "clear", empty
        pressures = [c.max_pressure for c in applying if c.max_pressure]
        result.update(
            verdict=verdict,
            contraindications=applying,
            reasons=[c._reason_line() for c in reasons],
            excluded_regions=applying.filtered(
                lambda c: c.kind == "local"
            ).region_ids._with_muscles(),
            precautions=[c._reason_line() for c in cautions],
            max_pressure=min(pressures, key=PRESSURE_RANK.get) if pressures else False,
            review_date=min(d for d in review_dates if d > at_date),
        )
        if verdict == "clearance_required":
            result["reasons"] = [
                self.env._("Physician clearance needed for: %(reason)s", reason=reason)
                for reason in result["reasons"]
            ]
        return result
