from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .clinic_contraindication import PRESSURE_RANK
from .clinic_workflow import workflow

# Odoo's modules whose words a patient reads (the portal, its pages and forms, invoices and
# payments, mails), translated into French for the demo's patients with the clinic's own.
PATIENT_FACING_MODULES = ("web", "portal", "mail", "account", "payment", "auth_signup")


class ClinicDemo(models.AbstractModel):
    """Builders of the demo database's history, called from the demo data files only."""

    _name = "clinic.demo"
    _description = "Clinic Demo Data"

    @api.model
    def _set_up_clinic_in_france(self):
        """The demo clinic is in Lyon: it keeps its books in euros (the company's currency,
        its pricelists and journals, a cash journal for the desk) and speaks French to its
        patients (French loaded, Odoo's own way, for the modules whose pages and mails
        patients read; the clinic's own terms load with the addon). The accounting demo of
        Odoo's ``account`` module, a furniture shop's entries in dollars, is removed as Odoo
        removes it when a company changes its chart of accounts: no company changes currency
        over journal items."""
        company = self.env.ref("base.main_company")
        euro = self.env.ref("base.EUR")
        euro.active = True
        if company.currency_id != euro:
            moves = self.env["account.move"].search([("company_id", "=", company.id)])
            moves.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()
            company.currency_id = euro
            journals = self.env["account.journal"].search(
                [("company_id", "=", company.id), ("currency_id", "not in", (False, euro.id))]
            )
            journals.currency_id = euro
        pricelists = self.env["product.pricelist"].search(
            [("company_id", "in", (False, company.id)), ("currency_id", "!=", euro.id)]
        )
        pricelists.currency_id = euro
        if not self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "cash")], limit=1
        ):
            self.env["account.journal"].create(
                {"name": "Caisse", "code": "CSH", "type": "cash", "company_id": company.id}
            )
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "in", PATIENT_FACING_MODULES), ("state", "=", "installed")]
        )._update_translations(["fr_FR"])
        return company

    @api.model
    def _submit_intakes(self, intakes, months_ago=0):
        """Submit demo intakes as the patient would, ``months_ago`` months ago: the questions
        the demo file leaves unanswered are answered no."""
        intakes = self.env["clinic.intake"].browse(intakes)
        intakes.answer_ids.filtered(lambda answer: not answer.answer).write({"answer": "no"})
        intakes._submit(fields.Datetime.now() - relativedelta(months=months_ago))
        return intakes

    @api.model
    def _create_portal_user(self, patient, login):
        """A patient's account on the patient portal (password: the login and
        ``-clinic-demo``, long enough for the clinic's password policy), as Odoo's portal
        wizard would make it once the patient set their password."""
        patient = self.env["clinic.patient"].browse(patient)
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": login,
                    "password": f"{login}-clinic-demo",
                    "partner_id": patient.partner_id.id,
                    "group_ids": [fields.Command.set([self.env.ref("base.group_portal").id])],
                }
            )
        )

    @api.model
    def _create_treatment_history(self, plans):
        """Give each active plan its past weeks: sessions done, each with a signed treatment
        note charting the patient's pain-map regions, the pain easing week after week, and a
        home-care item, so that the outcome views show trends."""
        today = fields.Date.context_today(self)
        notes = self.env["clinic.treatment.note"]
        for plan in self.env["clinic.plan"].browse(plans).filtered(lambda p: p.state == "active"):
            days = list(plan._slot_dates(today - timedelta(days=1)))
            for week, day in enumerate(days):
                start, stop = plan._slot_times(day)
                values = plan._session_values(day, start, stop)
                with workflow("clinic.session", "schedule_checked"):
                    session = self.env["clinic.session"].create(values)
                session.action_confirm()
                session.action_start()
                session.action_done()
                note = notes.create({"session_id": session.id})
                cap = note._screening()["max_pressure"]
                pressure = "firm" if not cap or PRESSURE_RANK[cap] >= PRESSURE_RANK["firm"] else cap
                for line in note.line_ids:
                    before = max(line.pain_before - week, 1)
                    line.write(
                        {
                            "side": "bilateral",
                            "trigger_point": "active" if week < 3 else "latent",
                            "referral_noted": week < 2,
                            "technique": "pressure_release",
                            "pressure": pressure,
                            "minutes": 10,
                            "pain_before": before,
                            "pain_after": max(before - 2, 0),
                            "ppt_measured": True,
                            "ppt": round(1.6 + 0.3 * week, 2),
                        }
                    )
                if note.line_ids:
                    worst = note.line_ids[0]
                    note.write(
                        {
                            "subjective": f"<p>Pain {worst.pain_before}/10 this week.</p>",
                            "assessment": "<p>Active trigger points easing.</p>"
                            if week
                            else "<p>First session: active trigger points.</p>",
                            "homecare_ids": [
                                fields.Command.create(
                                    {
                                        "region_id": worst.region_id.id,
                                        "kind": "self_massage",
                                        "instructions": "Press the tender spot with a ball "
                                        "against a wall, 30 seconds, release, three times.",
                                        "times_per_day": 2,
                                        "minutes": 5,
                                    }
                                )
                            ],
                        }
                    )
                    note.action_sign()
                notes |= note
        return notes
