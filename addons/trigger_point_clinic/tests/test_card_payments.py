"""Saved cards charged through Odoo's payment framework, with ``payment_demo`` (Odoo's test
provider, whose tokens end each charge in the state they were saved with)."""

from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import csrf_of, post_booking
from .mail_common import RealMailCase
from .payment_common import DemoPaymentMixin
from .rpc_common import call_kw
from .test_billing import BillingCase
from .test_patient_portal import PortalCase


class CardCase(DemoPaymentMixin, BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"clinic_invoice_post": True, "clinic_card_retry_days": "1,3,7"})
        cls._enable_demo_provider()

    @classmethod
    def _card(cls, patient, outcome="done", authorise=True):
        """A card ``patient`` saved (ending 4242), whose charges end in ``outcome``."""
        return cls._save_card(patient, outcome, authorise)

    def _charges(self, invoice):
        return self.env["payment.transaction"].search(
            [("clinic_invoice_id", "=", invoice.id)], order="clinic_attempt"
        )


@tagged("post_install", "-at_install")
class TestCardCharges(CardCase):
    def test_run_charges_the_saved_card_once(self):
        self._card(self.patient)
        self._session(self._mondays()[0])
        self._session(self._mondays()[1])
        invoice = self._run().move_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 140.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.clinic_card_state, "paid")
        charge = self._charges(invoice)
        self.assertEqual(len(charge), 1)
        self.assertEqual(
            (charge.state, charge.amount, charge.clinic_attempt), ("done", invoice.amount_total, 1)
        )
        self.assertEqual(charge.invoice_ids, invoice)
        # Charging again (a repeated run, the retry job) charges nothing.
        self.assertFalse(invoice._clinic_charge_saved_cards())
        self.env["account.move"]._cron_clinic_retry_card_charges()
        self.assertEqual(len(self._charges(invoice)), 1)

    def test_run_charges_each_patients_invoice_with_their_own_card(self):
        sols, toms = self._card(self.patient), self._card(self.patient_2)
        self._session(self._mondays()[0])
        self._session(self._mondays()[0], patient=self.patient_2, hour=11)
        invoices = self._run().move_ids
        self.assertEqual(len(invoices), 2)
        for invoice in invoices:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"))
            self.assertEqual(len(self._charges(invoice)), 1)
        charged = {inv.partner_id: self._charges(inv).token_id for inv in invoices}
        self.assertEqual(charged[self.patient.partner_id], sols)
        self.assertEqual(charged[self.patient_2.partner_id], toms)

    def test_patient_without_authorisation_is_not_charged(self):
        self._card(self.patient, authorise=False)
        self._session(self._mondays()[0])
        invoice = self._run().move_ids
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertFalse(invoice.clinic_card_state)
        self.assertFalse(self._charges(invoice))

    def test_withdrawn_card_is_not_charged(self):
        token = self._card(self.patient)
        authorisation = self.env["clinic.card.authorisation"].search(
            [("patient_id", "=", self.patient.id)]
        )
        authorisation._clinic_withdraw()
        self.assertFalse(token.active)
        self.assertTrue(authorisation.withdrawn_at)
        self._session(self._mondays()[0])
        invoice = self._run().move_ids
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertFalse(self._charges(invoice))

    def test_failed_charge_leaves_the_invoice_open_and_a_retry_pays_it(self):
        token = self._card(self.patient, outcome="error")
        self._session(self._mondays()[0])
        invoice = self._run().move_ids
        today = fields.Date.context_today(invoice)
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(invoice.clinic_card_state, "failed")
        self.assertEqual(invoice.clinic_card_attempts, 1)
        self.assertEqual(invoice.clinic_card_retry_date, today + timedelta(days=1))
        # The patient is mailed, and nobody else.
        mail = self.env["mail.mail"].sudo().search([("model", "=", "account.move")])
        mail = mail.filtered(lambda m: m.res_id == invoice.id)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.patient.partner_id)
        # Listed on Failed payments.
        action = self.env.ref("trigger_point_clinic.clinic_failed_payment_action")
        self.assertIn(invoice, self.env["account.move"].search(safe_eval(action.domain)))
        # The retry is not due today: nothing is tried.
        self.env["account.move"]._cron_clinic_retry_card_charges()
        self.assertEqual(len(self._charges(invoice)), 1)
        # Fails again when due: scheduled 3 days later.
        invoice.sudo().clinic_card_retry_date = today
        self.env["account.move"]._cron_clinic_retry_card_charges()
        self.assertEqual(invoice.clinic_card_attempts, 2)
        self.assertEqual(invoice.clinic_card_retry_date, today + timedelta(days=3))
        # The patient's card works again: the next retry pays.
        token.demo_simulated_state = "done"
        invoice.sudo().clinic_card_retry_date = today
        self.env["account.move"]._cron_clinic_retry_card_charges()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.clinic_card_state, "paid")
        self.assertEqual(self._charges(invoice).mapped("clinic_attempt"), [1, 2, 3])
        self.assertEqual(self._charges(invoice).mapped("state"), ["error", "error", "done"])
        self.assertNotIn(invoice, self.env["account.move"].search(safe_eval(action.domain)))

    def test_no_retry_left_after_the_schedule(self):
        self.company.clinic_card_retry_days = "2"
        self._card(self.patient, outcome="error")
        self._session(self._mondays()[0])
        invoice = self._run().move_ids
        today = fields.Date.context_today(invoice)
        self.assertEqual(invoice.clinic_card_retry_date, today + timedelta(days=2))
        invoice.sudo().clinic_card_retry_date = today
        self.env["account.move"]._cron_clinic_retry_card_charges()
        self.assertEqual(invoice.clinic_card_attempts, 2)
        self.assertFalse(invoice.clinic_card_retry_date)
        self.env["account.move"]._cron_clinic_retry_card_charges()
        self.assertEqual(len(self._charges(invoice)), 2)

    def test_the_database_refuses_a_second_charge_of_an_invoice(self):
        token = self._card(self.patient)
        self._session(self._mondays()[0])
        invoice = self._run().move_ids
        values = invoice._clinic_charge_values(token)
        values["clinic_attempt"] = 1
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["payment.transaction"].create(values)
        # What a concurrent run would do: its charge is left out, not made twice.
        self.assertFalse(self.env["account.move"]._clinic_create_transactions([values]))
        self.assertEqual(len(self._charges(invoice)), 1)

    def test_bad_retry_schedule_refused(self):
        for text in ("1,x", "0", "1,200", "-3"):
            with self.assertRefused(Exception, "Retry Failed Card Charges After"):
                self.company.clinic_card_retry_days = text
        self.company.clinic_card_retry_days = ""
        self.assertEqual(self.company._clinic_card_retry_delays(), [])


@tagged("post_install", "-at_install")
class TestCardRefunds(CardCase):
    def test_credit_note_of_a_card_paid_invoice_is_refunded_once(self):
        self._card(self.patient)
        self._session(self._mondays()[0])
        invoice = self._run().move_ids
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        reversal = invoice._reverse_moves([{"invoice_date": fields.Date.today()}])
        reversal.action_post()
        refund = self.env["payment.transaction"].search(
            [("clinic_refund_move_id", "=", reversal.id)]
        )
        self.assertEqual(len(refund), 1)
        self.assertEqual(
            (refund.operation, refund.state, refund.amount),
            ("refund", "done", -reversal.amount_total),
        )
        self.assertEqual(refund.source_transaction_id, self._charges(invoice))
        self.assertIn(reversal.payment_state, ("paid", "in_payment"))
        # Once: asking again refunds nothing.
        self.assertFalse(reversal._clinic_refund_to_card())
        self.assertEqual(len(self._charges(invoice).child_transaction_ids), 1)

    def test_credit_note_of_an_unpaid_invoice_refunds_nothing(self):
        self._session(self._mondays()[0])
        invoice = self._run().move_ids
        reversal = invoice._reverse_moves([{"invoice_date": fields.Date.today()}])
        reversal.action_post()
        self.assertFalse(
            self.env["payment.transaction"].search([("clinic_refund_move_id", "=", reversal.id)])
        )


@tagged("post_install", "-at_install")
class TestCardFailedMail(RealMailCase, CardCase, HttpCase):
    def test_failed_charge_mails_the_patient_a_link_to_pay(self):
        self._card(self.patient, outcome="error")
        self._session(self._mondays()[0])
        invoice = self._run().move_ids
        self.env["mail.mail"].sudo().search([("res_id", "=", invoice.id)]).send()
        message = self.received_one(self.patient.email, subject="failed")
        recipients = [m["X-Envelope-To"] for m in self.received()]
        self.assertEqual(recipients, [message["X-Envelope-To"]])
        links = self.links(message, contains=f"/my/invoices/{invoice.id}")
        self.assertEqual(len(links), 1)
        self.assertIn("access_token=", links[0])
        self.assertIn("try your card again", self.html_of(message))
        # The link opens the invoice to pay it, for the patient without logging in.
        page = self.open_link(links[0])
        self.assertEqual(page.status_code, 200)
        self.assertIn(invoice.name, page.text)
        # What staff read of it keeps no working link.
        chatter = self.env["mail.message"].search(
            [("res_id", "=", invoice.id), ("model", "=", "account.move")]
        )
        self.assertNotIn("access_token", " ".join(chatter.mapped("body")))


@tagged("post_install", "-at_install")
class TestOverdueRefusesOnlineBooking(PortalCase, HttpCase):
    def _overdue_invoice(self, days):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.patient.partner_id.id,
                "invoice_date": fields.Date.today() - timedelta(days=days),
                "invoice_date_due": fields.Date.today() - timedelta(days=days),
                "invoice_line_ids": [
                    fields.Command.create({"name": "Session", "quantity": 1, "price_unit": 70.0})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _post_booking(self, start):
        self.authenticate("sol", "sol")
        page = self.url_open("/my/clinic")
        return post_booking(self, csrf_of(page.text), self.therapist, start)

    def test_booking_refused_while_an_invoice_is_overdue_beyond_the_limit(self):
        self.company.clinic_overdue_booking_days = 14
        invoice = self._overdue_invoice(30)
        sessions = self.env["clinic.session"].search_count([])
        response = self._post_booking(self._slot(2, 10))
        self.assertEqual(response.status_code, 400)
        self.assertIn("overdue since", response.text)
        self.assertIn("pay it on My Invoices first", response.text)
        self.assertIn(invoice.name, response.text)
        self.assertEqual(self.env["clinic.session"].search_count([]), sessions)
        # Paid: booking works again.
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        response = self._post_booking(self._slot(2, 10))
        self.assertEqual(response.status_code, 200, response.text[-2000:])
        self.assertEqual(self.env["clinic.session"].search_count([]), sessions + 1)

    def test_recent_invoice_does_not_refuse_booking(self):
        self.company.clinic_overdue_booking_days = 14
        self._overdue_invoice(5)
        response = self._post_booking(self._slot(2, 10))
        self.assertEqual(response.status_code, 200, response.text[-2000:])


@tagged("post_install", "-at_install")
class TestCardOnFilePortal(DemoPaymentMixin, PortalCase, HttpCase):
    """Sol authorises, on the portal, the card she saved with Odoo's payment form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_demo_provider()
        cls.sols_card = cls._save_card(cls.patient, authorise=False)
        cls.toms_card = cls._save_card(cls.patient_2, authorise=False, details="1111")
        cls.company.clinic_card_authorisation_text = False

    def _post(self, url, **data):
        page = self.url_open("/my/clinic/card")
        marker = 'name="csrf_token" value="'
        begin = page.text.index(marker) + len(marker)
        return self.url_open(
            url, data={"csrf_token": page.text[begin : page.text.index('"', begin)], **data}
        )

    def _authorisations(self):
        return (
            self.env["clinic.card.authorisation"]
            .with_context(active_test=False)
            .search([("patient_id", "=", self.patient.id)])
        )

    def test_authorise_then_remove_the_card(self):
        self.authenticate("sol", "sol")
        page = self.url_open("/my/clinic/card")
        self.assertEqual(page.status_code, 200)
        text = f"I authorise {self.company.name} to charge this card for my plan invoices and fees."
        self.assertIn(text, page.text)
        self.assertIn("4242", page.text)
        self.assertNotIn("1111", page.text)  # Tom's card
        self.assertNotIn("demo-secret", page.text)
        self.assertIn("/my/clinic/card", self.url_open("/my/clinic").text)
        # Not accepted: refused, nothing recorded.
        response = self._post("/my/clinic/card/authorise", token_id=self.sols_card.id)
        self.assertEqual(response.status_code, 400)
        self.assertIn("tick the box", response.text)
        self.assertFalse(self._authorisations())
        # Tom's card: not hers, as if it did not exist.
        response = self._post("/my/clinic/card/authorise", token_id=self.toms_card.id, accept="1")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._authorisations())
        # Accepted: who, when, the text.
        response = self._post("/my/clinic/card/authorise", token_id=self.sols_card.id, accept="1")
        self.assertEqual(response.status_code, 200)
        authorisation = self._authorisations()
        self.assertEqual(len(authorisation), 1)
        self.assertEqual(authorisation.user_id, self.user_sol)
        self.assertEqual(authorisation.text, text)
        self.assertEqual(authorisation.token_id, self.sols_card)
        self.assertTrue(authorisation.accepted_at)
        self.assertIn("Remove this card", response.text)
        # Removed: the card is archived, the authorisation withdrawn.
        response = self._post("/my/clinic/card/remove")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.sols_card.active)
        self.assertFalse(authorisation.active)
        self.assertTrue(authorisation.withdrawn_at)
        self.assertNotIn("Remove this card", response.text)

    def test_a_patient_sees_no_one_elses_authorisation_over_json_rpc(self):
        self.env["clinic.card.authorisation"]._clinic_authorise(
            self.patient_2, self.toms_card, "text"
        )
        self.authenticate("sol", "sol")
        body = call_kw(self, "clinic.card.authorisation", "search_read", [[]], {"fields": ["text"]})
        self.assertIn("error", body)
        body = call_kw(self, "payment.token", "search_read", [[]], {"fields": ["payment_details"]})
        self.assertEqual([row["payment_details"] for row in body["result"]], ["4242"])


@tagged("post_install", "-at_install")
class TestDeskPayment(CardCase, HttpCase):
    """The front desk takes the payment of a session's invoice over JSON-RPC, as its client
    does; therapists cannot."""

    def _wizard(self, login, session, method):
        self.authenticate(login, login)
        body = call_kw(
            self,
            "clinic.session.payment",
            "create",
            [{"method": method}],
            context={"active_id": session.id, "active_model": "clinic.session"},
        )
        return body

    def _pay(self, login, session, method):
        body = self._wizard(login, session, method)
        self.assertIn("result", body, body)
        wizard_id = body["result"]
        wizard_id = wizard_id[0] if isinstance(wizard_id, list) else wizard_id
        return call_kw(self, "clinic.session.payment", "action_pay", [[wizard_id]])

    def test_front_desk_takes_cash(self):
        if not self.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", self.company.id)]
        ):
            self.env["account.journal"].create(
                {"name": "Desk Cash", "code": "DCSH", "type": "cash", "company_id": self.company.id}
            )
        session = self._session(self._mondays()[0])
        invoice = self._run().move_ids
        self.assertEqual(invoice.payment_state, "not_paid")
        body = self._pay(self.user_front_desk.login, session, "cash")
        self.assertNotIn("error", body, body)
        self.env.invalidate_all()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        # Paid: nothing is left to take.
        body = self._pay(self.user_front_desk.login, session, "cash")
        self.assertIn("has no open invoice to pay", body["error"]["data"]["message"])

    def test_front_desk_charges_the_saved_card(self):
        token = self._card(self.patient, outcome="error")
        session = self._session(self._mondays()[0])
        invoice = self._run().move_ids
        self.assertEqual(invoice.clinic_card_state, "failed")
        token.demo_simulated_state = "done"
        body = self._pay(self.user_front_desk.login, session, "saved_card")
        self.assertNotIn("error", body, body)
        self.env.invalidate_all()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self._charges(invoice).mapped("state"), ["error", "done"])

    def test_declined_card_at_the_desk_changes_nothing(self):
        self._card(self.patient, outcome="error")
        session = self._session(self._mondays()[0])
        invoice = self._run().move_ids
        body = self._pay(self.user_front_desk.login, session, "saved_card")
        self.assertIn("declined", body["error"]["data"]["message"])
        self.env.invalidate_all()
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(len(self._charges(invoice)), 1)

    def test_therapist_sees_nothing_of_payments(self):
        session = self._session(self._mondays()[0])
        self._run()
        body = self._wizard(self.user_therapist.login, session, "cash")
        self.assertRegex(body["error"]["data"]["message"], "not allowed|access")
        for model in ("payment.transaction", "account.payment", "account.move"):
            body = call_kw(self, model, "search_read", [[]], {"fields": ["id"], "limit": 1})
            self.assertIn("error", body, model)
