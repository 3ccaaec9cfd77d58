"""The money screens walked in Chromium: a manager on the patient's Balance tab, the statement,
the Failed Payments list and a charge tried again; the patient on /my/clinic/balance."""

from odoo.tests import HttpCase, tagged

from .common import new_test_user
from .test_card_payments import CardCase


@tagged("post_install", "-at_install")
class TestMoneyScreens(CardCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.taxes_id = False  # the session's 70.00 is the invoice's total
        cls.user_sol = new_test_user(
            cls.env,
            login="sol",
            groups="base.group_portal",
            partner_id=cls.patient.partner_id.id,
            name=cls.patient.name,
        )

    def _failed_invoice(self):
        """Sol's invoice of a session (70.00), whose charge to her saved card failed."""
        token = self._card(self.patient, outcome="error")
        self._session(self._mondays()[0])
        invoice = self._run().move_ids
        self.assertEqual(invoice.clinic_card_state, "failed")
        token.demo_simulated_state = "done"  # the card works again
        return invoice

    def test_manager_reads_the_balance_prints_the_statement_and_charges_again(self):
        invoice = self._failed_invoice()
        self.start_tour("/odoo", "trigger_point_clinic_manager_money", login="clinic_manager")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.clinic_card_state, "paid")
        charges = self._charges(invoice)
        self.assertEqual(charges.mapped("clinic_attempt"), [1, 2], "one transaction per attempt")

    def test_patient_reads_the_balance_on_the_portal(self):
        self._failed_invoice()
        self.start_tour("/my/clinic", "trigger_point_clinic_patient_balance", login="sol")
