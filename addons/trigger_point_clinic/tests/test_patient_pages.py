"""The patient's pages as a patient meets them (issue 23): a day at a time for *any therapist*,
fees with tax as the invoice says, the invoice in words fit for a patient, dates on the pain
chart, one row per intake version, a word after each step, and the sessions in the patient's own
calendar (a session's ``.ics``, a private feed per patient and per therapist)."""

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import format_amount

from .common import csrf_of
from .rpc_common import call_kw
from .test_patient_portal import PortalCase

CHARGE = re.compile(r'class="o_clinic_charge"[^>]*>(.*?)<', re.S)
FEED = re.compile(r"(/clinic/calendar/[A-Za-z0-9_-]{20,}\.ics)")


@tagged("post_install", "-at_install")
class TestPatientPages(PortalCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sols = cls.booking._book(cls.patient, cls.therapist, cls._slot(1, 10))
        cls.toms = cls.booking._book(cls.patient_2, cls.therapist_2, cls._slot(1, 11))

    def _csrf(self, url="/my/clinic"):
        page = self.url_open(url)
        return csrf_of(page.text)

    # ------------------------------------------------------------------ one day at a time

    def test_any_therapist_is_one_day_with_a_date_picker(self):
        self.authenticate("sol", "sol")
        page = self.url_open("/my/clinic/book")
        self.assertEqual(page.status_code, 200)
        self.assertIn('type="date"', page.text, "a date picker")
        self.assertEqual(page.text.count("o_clinic_day "), 1, "one day on the page")
        self.assertIn("o_clinic_next_day", page.text)
        day = self._local(self._slot(3, 10)).date()
        page = self.url_open(f"/my/clinic/book?day={day}")
        self.assertEqual(page.status_code, 200)
        starts = re.findall(r'data-start="([^"]+)"', page.text)
        self.assertTrue(starts, "free times that day")
        self.assertEqual(
            {self._local(fields.Datetime.to_datetime(start)).date() for start in starts}, {day}
        )
        self.assertIn("Theo Therapist", page.text, "any therapist: each time names who")
        for bad, message in (
            ("2026-02-30", "is not a day"),
            ("tomorrow", "is not a day"),
            (str(fields.Date.today() + timedelta(weeks=30)), "Choose a day between"),
        ):
            with self.subTest(day=bad):
                response = self.url_open(f"/my/clinic/book?day={bad}")
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)

    # ------------------------------------------------------------------ fees as invoiced

    def test_cancel_page_fee_is_the_invoice_total_to_the_cent(self):
        tax = self.env["account.tax"].create(
            {
                "name": "VAT 15% (test)",
                "amount": 15.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": self.company.id,
            }
        )
        fee_product = self.env.ref("trigger_point_clinic.product_clinic_late_cancel_fee")
        fee_product.taxes_id = tax
        self.product.taxes_id = tax
        self.company.clinic_late_cancel_hours = 24 * 30
        self.authenticate("sol", "sol")
        session_page = self.url_open(f"/my/clinic/sessions/{self.sols.id}").text
        price = format_amount(self.env, 70.0 * 1.15, self.company.currency_id)
        self.assertIn(price, session_page, "the session's price, tax included")
        self.assertIn("o_clinic_price", session_page)
        page = self.url_open(f"/my/clinic/sessions/{self.sols.id}/cancel")
        shown = CHARGE.search(page.text).group(1)
        response = self.url_open(
            f"/my/clinic/sessions/{self.sols.id}/cancel",
            data={"csrf_token": self._csrf()},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.sols.late_cancel)
        day = self._local(self.sols.start).date()
        run = (
            self.env["clinic.billing.run"]
            .with_user(self.user_manager)
            .create(
                {
                    "date_from": day,
                    "date_to": day,
                    "patient_ids": [fields.Command.set(self.patient.ids)],
                }
            )
        )
        run.action_run()
        invoice = (
            self.env["account.move.line"].search([("clinic_session_id", "=", self.sols.id)]).move_id
        )
        self.assertEqual(len(invoice), 1)
        total = format_amount(self.env, invoice.amount_total, invoice.currency_id)
        self.assertIn(total, shown, "the page's fee is the invoice's total")
        self.assertEqual(invoice.amount_total, 40.25)

    # ------------------------------------------------------------------ invoices

    def test_portal_invoice_reads_as_a_patients_invoice(self):
        invoice = self._invoice(self.patient)
        self.assertTrue(invoice.invoice_user_id, "Odoo puts a salesperson on it")
        self.authenticate("sol", "sol")
        page = self.url_open(f"/my/invoices/{invoice.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Salesperson", page.text)
        document = self.url_open(f"/my/invoices/{invoice.id}?report_type=html")
        self.assertEqual(document.status_code, 200)
        self.assertIn(invoice.name, document.text)
        self.assertNotIn("Proforma", document.text)
        self.assertIn("Invoice", document.text)
        # Not the clinic's patient: Odoo's own invoice page, unchanged.
        other = self.env["res.partner"].create({"name": "Acme Supplies Buyer"})
        move = invoice.copy({"partner_id": other.id})
        move.action_post()
        self.authenticate(None, None)
        self.authenticate("admin", "admin")
        page = self.url_open(f"/my/invoices/{move.id}")
        self.assertIn("Salesperson", page.text)

    # ------------------------------------------------------------------ overview

    def test_chart_dates_intake_versions_and_confirmations(self):
        self._signed_homecare_note(self.patient, self.therapist)
        renewed = self._submit_intake(self.patient)
        self.authenticate("sol", "sol")
        page = self.url_open("/my/clinic").text
        self.assertRegex(page, r'<text[^>]*class="o_clinic_chart_date"', "dates on the axis")
        rows = re.findall(r'class="list-group-item[^"]*o_clinic_intake_row', page)
        versions = self.patient.intake_ids.filtered(lambda i: i.state in ("submitted", "reviewed"))
        self.assertEqual(len(rows), len(versions))
        self.assertIn(f"Intake {renewed.version}", page)
        self.assertIn("replaced by", page)

        csrf = self._csrf()
        joined = self.url_open(
            "/my/clinic/waitlist", data={"csrf_token": csrf, "therapist_id": self.therapist.id}
        )
        self.assertIn("o_clinic_message", joined.text)
        self.assertIn("You are on the waiting list of Tess Therapist", joined.text)
        entry = self.env["clinic.waitlist"].search([("patient_id", "=", self.patient.id)])
        left = self.url_open(f"/my/clinic/waitlist/{entry.id}/leave", data={"csrf_token": csrf})
        self.assertIn("You left the waiting list of Tess Therapist", left.text)

    def test_renewing_opens_the_new_intake_with_a_word(self):
        self._renata_signed_in()
        page = self.url_open("/my/clinic/intake/renew", data={"csrf_token": self._csrf()})
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_clinic_renewed", page.text)
        self.assertIn("Your new intake is ready", page.text)
        self.assertIn("o_clinic_intake_form", page.text, "the form, open for the patient")

    # ------------------------------------------------------------------ calendar

    def test_session_ics_is_the_patients_session_only(self):
        self.authenticate("sol", "sol")
        response = self.url_open(f"/my/clinic/sessions/{self.sols.id}/calendar.ics")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/calendar"))
        ics = response.text
        self.assertIn("BEGIN:VCALENDAR", ics)
        self.assertIn(f"DTSTART:{self.sols.start:%Y%m%dT%H%M%S}Z", ics)
        self.assertIn(f"DTEND:{self.sols.stop:%Y%m%dT%H%M%S}Z", ics)
        self.assertIn("Tess Therapist", ics)
        self.assertIn(self.sols.room_id.name, ics)
        page = self.url_open(f"/my/clinic/sessions/{self.sols.id}").text
        self.assertIn(f"/my/clinic/sessions/{self.sols.id}/calendar.ics", page)
        other = self.url_open(f"/my/clinic/sessions/{self.toms.id}/calendar.ics")
        self.assertEqual(other.status_code, 404)

    def _feed_url(self, page):
        match = FEED.search(page)
        self.assertTrue(match, "the feed's address is on the page")
        return match.group(1)

    def test_patient_feed_their_sessions_no_clinical_words_revocable(self):
        self._signed_homecare_note(self.patient, self.therapist)
        self._submit_intake(self.patient, goals="SECRET-GOAL-TEXT")
        self.authenticate("sol", "sol")
        page = self.url_open("/my/clinic/calendar")
        self.assertEqual(page.status_code, 200)
        self.assertIsNone(FEED.search(page.text), "no feed until the patient asks")
        made = self.url_open("/my/clinic/calendar/new", data={"csrf_token": self._csrf()})
        url = self._feed_url(made.text)
        self.authenticate(None, None)
        feed = self.url_open(url)
        self.assertEqual(feed.status_code, 200)
        self.assertTrue(feed.headers["Content-Type"].startswith("text/calendar"))
        self.assertEqual(feed.text.count("BEGIN:VEVENT"), 2, "the booked and the done session")
        self.assertIn(f"DTSTART:{self.sols.start:%Y%m%dT%H%M%S}Z", feed.text)
        self.assertIn("Tess Therapist", feed.text)
        self.assertNotIn(f"DTSTART:{self.toms.start:%Y%m%dT%H%M%S}Z", feed.text)
        for word in (
            "SECRET-SOAP-TEXT",
            "SECRET-GOAL-TEXT",
            "Upper Trapezius",
            "Ball against the wall",
            "Tom Second",
        ):
            self.assertNotIn(word.lower(), feed.text.lower())
        self.assertEqual(self.url_open(url.replace(".ics", "x.ics")).status_code, 404)
        self.assertEqual(self.url_open("/clinic/calendar/nothing.ics").status_code, 404)

        self.authenticate("sol", "sol")
        self.url_open("/my/clinic/calendar/revoke", data={"csrf_token": self._csrf()})
        self.authenticate(None, None)
        self.assertEqual(self.url_open(url).status_code, 404, "a revoked feed opens nothing")

    def test_therapist_feed_and_staff_never_read_a_patients_feed(self):
        self.authenticate("sol", "sol")
        made = self.url_open("/my/clinic/calendar/new", data={"csrf_token": self._csrf()})
        patients_url = self._feed_url(made.text)
        token = patients_url.rsplit("/", 1)[1].removesuffix(".ics")

        self.authenticate("clinic_manager", "clinic_manager")
        for model in ("clinic.calendar.feed",):
            body = call_kw(self, model, "search_read", [[]], {"fields": ["id"]})
            self.assertIn("error", body, "no role reads the feeds")
        body = call_kw(self, "clinic.patient", "read", [self.patient.ids], {})
        self.assertNotIn(token, str(body))

        self.authenticate("clinic_therapist", "clinic_therapist")
        preferences = call_kw(
            self, "res.users", "read", [self.user_therapist.ids, ["clinic_calendar_url"]], {}
        )
        self.assertIn("/my/clinic/calendar", str(preferences), "from her preferences")
        page = self.url_open("/my/clinic/calendar")
        self.assertEqual(page.status_code, 200)
        made = self.url_open(
            "/my/clinic/calendar/new", data={"csrf_token": self._csrf("/my/clinic/calendar")}
        )
        url = self._feed_url(made.text)
        self.assertNotEqual(url, patients_url)
        self.authenticate(None, None)
        feed = self.url_open(url)
        self.assertEqual(feed.status_code, 200)
        self.assertIn(f"DTSTART:{self.sols.start:%Y%m%dT%H%M%S}Z", feed.text)
        self.assertNotIn(f"DTSTART:{self.toms.start:%Y%m%dT%H%M%S}Z", feed.text, "Theo's session")
        self.assertIn(self.sols.room_id.name, feed.text)
        self.assertNotIn("Sol Session", feed.text, "a patient's name stays in the clinic")


@tagged("post_install", "-at_install")
class TestPatientPagesPhone(PortalCase, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_patient_picks_a_day_books_any_therapist_and_gets_the_ics(self):
        self.company.clinic_online_booking_weeks = 2
        day = self._local(self._slot(3, 10)).date()
        self.start_tour(
            f"/my/clinic/book?day_hint={day}",
            "trigger_point_clinic_patient_day_ics",
            login="sol",
        )
        session = self.env["clinic.session"].search([("patient_id", "=", self.patient.id)])
        self.assertEqual(len(session), 1)
        self.assertEqual(self._local(session.start).date(), day, "booked on the day picked")
