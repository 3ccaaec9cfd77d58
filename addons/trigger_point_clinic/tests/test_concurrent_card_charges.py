"""Two transactions charging the same invoice to the saved card at the same moment: one
transaction of the payment framework per invoice and attempt, whatever the timing."""

from odoo import fields
from odoo.tests import tagged

from .billing_race import BillingRaceCase


@tagged("post_install", "-at_install")
class TestConcurrentCardCharges(BillingRaceCase):
    """The committed patient and sessions of the concurrent billing test, with a saved card
    that declines (so that the invoice stays open for a second charge to try)."""

    race_name = "Card Race"

    def setUp(self):
        super().setUp()
        env = self._env()
        self.posted = env.company.clinic_invoice_post
        env.company.clinic_invoice_post = True
        token = env["payment.token"].create(
            {
                "provider_id": env.ref("payment.payment_provider_demo").id,
                "payment_method_id": env.ref("payment_demo.payment_method_demo").id,
                "partner_id": self.patient.partner_id.id,
                "payment_details": "0002",
                "provider_ref": "demo-declined",
                "demo_simulated_state": "error",
            }
        )
        env["clinic.card.authorisation"]._clinic_authorise(
            self.patient.with_env(env), token, env.company._clinic_card_authorisation()
        )
        self.token_id = token.id
        invoice = self._run(env)
        self.invoice_id = invoice.id
        env.cr.commit()
        self.addCleanup(self._remove_cards)

    def _remove_cards(self):
        env = self._env()
        env["payment.transaction"].search([("clinic_invoice_id", "=", self.invoice_id)]).unlink()
        env["clinic.card.authorisation"].with_context(active_test=False).search(
            [("patient_id", "=", self.patient.id)]
        ).unlink()
        env["payment.token"].browse(self.token_id).unlink()
        env.company.clinic_invoice_post = self.posted
        env.cr.commit()

    def _attempts(self):
        check = self._env()
        check.cr.execute(
            "SELECT clinic_attempt, count(*) FROM payment_transaction "
            "WHERE clinic_invoice_id = %s GROUP BY clinic_attempt ORDER BY 1",
            [self.invoice_id],
        )
        return check.cr.fetchall()

    def _due_today(self, env):
        invoice = env["account.move"].browse(self.invoice_id)
        invoice.clinic_card_retry_date = fields.Date.today()
        env.cr.commit()
        return invoice

    def test_two_transactions_charge_an_invoice_once(self):
        # The run charged (and the card declined) once.
        self.assertEqual(self._attempts(), [(1, 1)])
        self._due_today(self._env())
        env_a, env_b = self._env(), self._env()
        invoice_a = env_a["account.move"].browse(self.invoice_id)
        invoice_b = env_b["account.move"].browse(self.invoice_id)
        # B takes its snapshot: it sees the invoice due for its second try.
        self.assertEqual(invoice_b.clinic_card_attempts, 1)
        values_b = invoice_b._clinic_charge_values(env_b["payment.token"].browse(self.token_id))
        # A charges (not committed yet); B, at the same moment, leaves the invoice to A
        # instead of waiting for it or charging it too.
        self.assertEqual(len(invoice_a._clinic_charge_saved_cards()), 1)
        self.assertFalse(invoice_b._clinic_charge_saved_cards())
        env_a.cr.commit()
        # B still sees the invoice as A found it: its charge of the same attempt, made past
        # the lock, is refused by the database and left out.
        self.assertEqual(values_b["clinic_attempt"], 2)
        self.assertFalse(env_b["account.move"]._clinic_create_transactions([values_b]))
        env_b.cr.commit()
        self.assertEqual(self._attempts(), [(1, 1), (2, 1)])
