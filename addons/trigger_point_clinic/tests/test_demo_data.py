from odoo.tests import tagged

from .common import ClinicCase


@tagged("post_install", "-at_install")
class TestDemoData(ClinicCase):
    def _demo(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "=", "trigger_point_clinic"), ("model", "=", model)]
        )
        records = self.env[model].browse(data.mapped("res_id")).exists()
        if not records:
            self.skipTest("the database was installed without demo data")
        return records

    def test_demo_patients_cover_every_verdict(self):
        patients = self._demo("clinic.patient")
        self.assertGreaterEqual(len(patients), 20)
        verdicts = set(patients.mapped("screening_ids.verdict"))
        expected = {
            "missing",
            "expired",
            "do_not_treat",
            "clearance_required",
            "cleared_with_precautions",
            "clear",
        }
        self.assertEqual(verdicts, expected)

    def test_demo_clinic_has_therapists_rooms_and_booked_weeks(self):
        therapists = self._demo("clinic.therapist")
        rooms = self._demo("clinic.room")
        plans = self._demo("clinic.plan")
        self.assertEqual((len(therapists), len(rooms)), (3, 2))
        self.assertTrue(all(t.user_id and t.calendar_id for t in therapists))
        self.assertEqual(set(plans.mapped("state")), {"active"})
        upcoming = plans.session_ids.filtered(lambda s: s.state == "draft")
        self.assertGreaterEqual(len(upcoming), len(plans) * 3)
        self.assertTrue(plans.skip_ids, "the demo leave shows as skipped slots")

    def test_demo_history_has_weeks_of_signed_notes(self):
        plans = self._demo("clinic.plan")
        notes = self.env["clinic.treatment.note"].search([("session_id.plan_id", "in", plans.ids)])
        self.assertEqual(set(notes.mapped("state")), {"signed"})
        self.assertTrue(all(note.hash_verified for note in notes))
        weeks = {note.date.isocalendar()[:2] for note in notes}
        self.assertGreaterEqual(len(weeks), 4, "several weeks, so the outcome graph shows trends")
        self.env.flush_all()
        outcomes = self.env["clinic.region.outcome"].search(
            [("patient_id", "in", plans.patient_id.ids)]
        )
        self.assertTrue(outcomes.filtered(lambda o: o.sessions >= 4 and o.pain_change < 0))

    def test_demo_billing_run_invoiced_the_past_weeks(self):
        run = self._demo("clinic.billing.run")
        self.assertEqual(run.state, "done")
        lines = run.move_ids.invoice_line_ids
        self.assertLessEqual(
            {"session", "package"},
            set(lines.mapped("clinic_charge")),
            "attended sessions, pre-paid weeks and a package",
        )
        billed = lines.clinic_session_id
        self.assertTrue(billed)
        self.assertEqual(set(billed.mapped("invoice_status")), {"invoiced"})

    def test_demo_clinic_is_one_clinic_in_lyon(self):
        """The demo showed "YourCompany", a US address and a +1 555 phone beside patients in
        Lyon."""
        self._demo("clinic.patient")
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "Clinique Trigger Point Lyon")
        self.assertEqual((company.city, company.country_id.code), ("Lyon", "FR"))
        self.assertTrue(company.phone.startswith("+33 "))
        self.assertEqual(company.partner_id.tz, "Europe/Paris")
        self.assertEqual(company.resource_calendar_id.tz, "Europe/Paris")

    def test_demo_clinic_works_in_euros_in_french_in_paris_time(self):
        """The demo clinic in Lyon billed in dollars, spoke English to its French patients,
        and its admin had no timezone."""
        patients = self._demo("clinic.patient")
        company = self.env.ref("base.main_company")
        euro = self.env.ref("base.EUR")
        self.assertEqual(company.currency_id, euro)
        self.assertEqual(self._demo("clinic.billing.run").move_ids.currency_id, euro)
        journals = self.env["account.journal"].search([("company_id", "=", company.id)])
        self.assertFalse(journals.filtered(lambda j: j.currency_id and j.currency_id != euro))
        self.assertTrue(journals.filtered(lambda j: j.type == "cash"), "cash at the desk")
        pricelists = self.env["product.pricelist"].search(
            [("company_id", "in", (False, company.id))]
        )
        self.assertFalse(pricelists.filtered(lambda p: p.currency_id != euro))
        self.assertEqual(self.env.ref("base.user_admin").tz, "Europe/Paris")
        self.assertTrue(self.env["res.lang"]._lang_get("fr_FR").active)
        self.assertEqual(set(patients.mapped("lang")), {"fr_FR"})
        # What a French patient reads: the reminder mail, and Odoo's portal around it.
        session = patients.session_ids.filtered(lambda s: s.state == "draft")[:1]
        template = self.env.ref("trigger_point_clinic.mail_template_clinic_appointment_reminder")
        subject = template._render_field("subject", session.ids, compute_lang=True)[session.id]
        body = template._render_field("body_html", session.ids, compute_lang=True)[session.id]
        self.assertIn("Rappel", subject)
        self.assertIn("Bonjour", body)
        self.assertNotIn("Hello", body)
        self.assertIn("€", body)
        layout = self.env.ref("portal.portal_my_home")
        self.assertNotEqual(
            layout.with_context(lang="fr_FR").arch_db, layout.with_context(lang="en_US").arch_db
        )
