"""The patient's side on the portal over HTTP: what the patient's browser and a JSON-RPC
client reach (own sessions, notes, PDFs, invoices; never another patient's), the refusals as
pages, and booking, cancelling and moving on a phone."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import post_booking
from .rpc_common import call_kw
from .test_patient_portal import PortalCase


@tagged("post_install", "-at_install")
class TestPatientPortalHttp(PortalCase, HttpCase):
    """Over HTTP, as the patient's browser and as a JSON-RPC client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sols = cls.env["clinic.online.booking"]._book(cls.patient, cls.therapist, cls._slot())
        cls.toms = cls.env["clinic.online.booking"]._book(
            cls.patient_2, cls.therapist_2, cls._slot()
        )
        cls.toms_note = cls._signed_homecare_note(cls.patient_2, cls.therapist)
        cls.sols_note = cls._signed_homecare_note(cls.patient, cls.therapist, hour=14)
        cls.toms_invoice = cls._invoice(cls.patient_2)
        cls.sols_invoice = cls._invoice(cls.patient)
        cls.toms_intake = cls.patient_2.current_intake_id

    def _jsonrpc(self, model, method, args, kwargs=None):
        body = call_kw(self, model, method, args, kwargs)
        return body.get("result"), body.get("error", {}).get("data", {}).get("message")

    def test_patient_sees_own_sessions_notes_and_pain_never_soap(self):
        self.authenticate("sol", "sol")
        page = self.url_open("/my/clinic")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/my/clinic/sessions/{self.sols.id}", page.text)
        self.assertNotIn(f"/my/clinic/sessions/{self.toms.id}", page.text)
        self.assertIn(f"/my/clinic/homecare/{self.sols_note.id}", page.text)
        self.assertNotIn(f"/my/clinic/homecare/{self.toms_note.id}", page.text)
        self.assertIn("<polyline", page.text, "pain over time per region")
        self.assertNotIn("SECRET-SOAP-TEXT", page.text)
        local = self._local(self.sols.start).strftime("%H:%M")
        self.assertIn(local, page.text, "the clinic's local time")
        home = self.url_open("/my/home")
        self.assertIn("/my/clinic", home.text)

    def test_session_page_shows_cancel_and_reschedule_with_the_terms(self):
        self.authenticate("sol", "sol")
        page = self.url_open(f"/my/clinic/sessions/{self.sols.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_clinic_reschedule", page.text)
        self.assertIn(f"/my/clinic/sessions/{self.sols.id}/cancel", page.text)
        self.assertIn("Free of charge until", page.text)

    def test_home_care_pdf_is_the_sheet_only(self):
        self.authenticate("sol", "sol")
        response = self.url_open(f"/my/clinic/homecare/{self.sols_note.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(b"Ball against the wall", response.content)
        self.assertNotIn(b"SECRET-SOAP-TEXT", response.content)

    def test_another_patients_records_answer_404(self):
        self.authenticate("sol", "sol")
        for url in (
            *self._record_urls(self.toms.id, self.toms_note.id),
            "/my/clinic/sessions/999999",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        response = self.url_open(
            f"/my/clinic/sessions/{self.toms.id}/cancel",
            data={"csrf_token": self._csrf()},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.toms.state, "confirmed")

    def _page_of(self, login):
        self.authenticate(login, login)
        return self.url_open("/my/clinic").text

    def test_report_urls_and_invoices_of_another_patient_are_refused(self):
        self.authenticate("sol", "sol")
        for report, record in (
            ("trigger_point_clinic.report_homecare_sheet", self.toms_note),
            ("trigger_point_clinic.report_homecare_sheet", self.sols_note),
            ("trigger_point_clinic.report_treatment_note", self.sols_note),
        ):
            with self.subTest(report=report, record=record.id):
                response = self.url_open(f"/report/pdf/{report}/{record.id}")
                self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
                self.assertNotIn(b"SECRET-SOAP-TEXT", response.content)
        own = self.url_open(f"/my/invoices/{self.sols_invoice.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.sols_invoice.name, own.text)
        other = self.url_open(f"/my/invoices/{self.toms_invoice.id}", allow_redirects=False)
        self.assertIn(other.status_code, (302, 303, 403, 404))
        self.assertNotIn(self.toms_invoice.name, other.text)
        listing = self.url_open("/my/invoices")
        self.assertIn(self.sols_invoice.name, listing.text)
        self.assertNotIn(self.toms_invoice.name, listing.text)

    def test_json_rpc_reaches_no_clinic_record_and_no_private_method(self):
        self.authenticate("sol", "sol")
        for model, ids in (
            ("clinic.session", (self.sols | self.toms).ids),
            ("clinic.treatment.note", (self.sols_note | self.toms_note).ids),
            ("clinic.intake", self.toms_intake.ids),
            ("clinic.patient", (self.patient | self.patient_2).ids),
            ("clinic.waitlist", []),
            ("clinic.homecare.item", self.toms_note.homecare_ids.ids),
        ):
            with self.subTest(model=model):
                result, error = self._jsonrpc(model, "search_read", [[]], {"fields": ["id"]})
                self.assertIsNone(result)
                self.assertRegex(error, "not allowed to|access")
                if ids:
                    result, error = self._jsonrpc(model, "read", [ids, ["display_name"]])
                    self.assertIsNone(result)
        result, error = self._jsonrpc(
            "account.move", "search_read", [[]], {"fields": ["name", "partner_id"]}
        )
        self.assertEqual([row["name"] for row in result], [self.sols_invoice.name])
        result, error = self._jsonrpc("account.move", "read", [self.toms_invoice.ids, ["name"]])
        self.assertIsNone(result)
        for model, method, args in (
            ("clinic.online.booking", "_book", [self.patient_2.id]),
            ("clinic.session", "create", [{"patient_id": self.patient_2.id}]),
            ("clinic.waitlist", "create", [{"patient_id": self.patient_2.id}]),
            ("clinic.session", "_cancel", [self.toms.ids, "x", "clinic"]),
        ):
            with self.subTest(model=model, method=method):
                result, error = self._jsonrpc(model, method, args)
                self.assertIsNone(result)
                self.assertTrue(error)
        self.assertEqual(self.toms.state, "confirmed")

    def test_public_visitor_sees_nothing(self):
        for url in (
            "/my/clinic",
            f"/my/clinic/sessions/{self.sols.id}",
            f"/my/clinic/homecare/{self.sols_note.id}",
            f"/report/pdf/trigger_point_clinic.report_homecare_sheet/{self.sols_note.id}",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (302, 303, 403, 404))
                self.assertNotIn(b"Ball against the wall", response.content)

    def test_screening_refusal_over_http_is_a_400_with_the_message(self):
        eve = self._make_patient("Eve Expired")
        self._submit_intake(eve, days_ago=400)
        self.assertEqual(eve.screening_ids.verdict, "expired")
        self._portal_user(eve, "eve")
        self.authenticate("eve", "eve")
        page = self.url_open("/my/clinic/book")
        self.assertIn("fill in your health intake", page.text)
        self.assertNotIn("o_clinic_slot", page.text)
        sessions = self.env["clinic.session"].search_count([])
        response = post_booking(self, self._csrf(), self.therapist, self._slot(2, 10))
        self.assertEqual(response.status_code, 400)
        self.assertIn("fill in your health intake", response.text)
        self.assertEqual(self.env["clinic.session"].search_count([]), sessions)

    def test_waitlist_link_to_a_taken_time_says_so_and_shows_fresh_times(self):
        self.authenticate("tom", "tom")
        url = (
            f"/my/clinic/book?therapist_id={self.therapist.id}"
            f"&start={fields.Datetime.to_string(self.sols.start)}"
        )
        page = self.url_open(url)
        self.assertIn("o_clinic_taken", page.text)
        self.assertIn("o_clinic_slot", page.text, "fresh free times")
        response = post_booking(self, self._csrf(), self.therapist, self.sols.start)
        self.assertEqual(response.status_code, 400)
        self.assertIn("just been taken", response.text)
        self.assertIn("o_clinic_slot", response.text)

    def test_intake_expiring_within_30_days_offers_renewal(self):
        renata = self._renata_signed_in()
        page = self.url_open("/my/clinic")
        self.assertIn("o_clinic_intake_renew", page.text)
        self.assertNotIn("o_clinic_intake_renew", self._page_of("sol"), "valid for months")
        self.authenticate("renata", "renata")
        response = self.url_open(
            "/my/clinic/intake/renew", data={"csrf_token": self._csrf()}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        intake = renata.intake_ids.filtered(lambda i: i.state in ("draft", "sent"))
        self.assertEqual(len(intake), 1, "a new intake, as Send Intake makes it")
        self.assertIn(
            f"/clinic/intake/{intake.id}?access_token={intake.access_token}",
            response.headers["Location"],
        )
        page = self.url_open("/my/clinic")
        self.assertIn("o_clinic_intake_pending", page.text)
        self.assertNotIn("o_clinic_intake_renew", page.text)

    def test_intake_thank_you_page_invites_to_the_portal(self):
        patient = self._make_patient("Ines Invite")
        intake = self._submit_intake(patient)
        intake._portal_ensure_token()
        page = self.url_open(f"/clinic/intake/{intake.id}?access_token={intake.access_token}")
        self.assertIn("Invite me to my patient account", page.text)
        marker = 'name="csrf_token" value="'
        start = page.text.index(marker) + len(marker)
        csrf = page.text[start : page.text.index('"', start)]
        response = self.url_open(
            f"/clinic/intake/{intake.id}/portal?access_token={intake.access_token}",
            data={"csrf_token": csrf},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_clinic_invited", response.text)
        user = patient.partner_id.with_context(active_test=False).user_ids
        self.assertTrue(user._is_portal())
        self.assertEqual(self.env["clinic.online.booking"]._patient_of(user), patient)
        wrong = self.url_open(
            f"/clinic/intake/{intake.id}/portal?access_token=wrong", data={"csrf_token": csrf}
        )
        self.assertEqual(wrong.status_code, 404)


@tagged("post_install", "-at_install")
class TestPatientPortalPhone(PortalCase, HttpCase):
    """The patient on a phone: logs in, books a time, sees it, cancels it within the policy,
    opens an invoice and finds the home-care sheet."""

    browser_size = "390x844"
    touch_enabled = True

    def test_patient_books_and_cancels_on_a_phone(self):
        self.company.clinic_online_booking_weeks = 2
        note = self._signed_homecare_note(self.patient, self.therapist)
        invoice = self._invoice(self.patient)
        self.start_tour(
            f"/my/clinic/book?therapist_id={self.therapist.id}",
            "trigger_point_clinic_patient_portal_phone",
            login="sol",
        )
        session = self.env["clinic.session"].search(
            [("patient_id", "=", self.patient.id), ("state", "=", "cancelled")]
        )
        self.assertEqual(len(session), 1, "booked then cancelled in the tour")
        self.assertEqual(session.cancel_party, "patient")
        self.assertFalse(session.late_cancel, "cancelled in time: no fee")
        self.assertGreater(session.start, datetime.now() + timedelta(hours=2))
        self.assertTrue(invoice.name)
        self.assertTrue(note.id)

    def test_patient_reschedules_and_joins_the_waiting_list_on_a_phone(self):
        self.company.clinic_online_booking_weeks = 2
        self._signed_homecare_note(self.patient, self.therapist)
        self.start_tour(
            f"/my/clinic/book?therapist_id={self.therapist.id}",
            "trigger_point_clinic_patient_portal_reschedule",
            login="sol",
        )
        sessions = self.env["clinic.session"].search(
            [("patient_id", "=", self.patient.id), ("start", ">", datetime.now())],
            order="start",
        )
        moved_from = sessions.filtered(lambda s: s.state == "cancelled")
        booked = sessions - moved_from
        self.assertEqual(len(moved_from), 1)
        self.assertEqual(len(booked), 1)
        self.assertGreater(booked.start, moved_from.start, "moved to a later time")
        self.assertEqual(booked.therapist_id, self.therapist)
        waiting = self.env["clinic.waitlist"].search([("patient_id", "=", self.patient.id)])
        self.assertEqual(waiting.state, "waiting")
