"""The money screens walked in Chromium: a manager on the patient's Balance tab, the statement,
the Failed Payments list and a charge tried again; the patient on /my/clinic/balance."""

from odoo.tests import HttpCase, tagged

from .rpc_common import call_kw
from .test_card_payments import CardCase


@tagged("post_install", "-at_install")
class TestMoneyScreens(CardCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.taxes_id = False  # the session's 70.00 is the invoice's total
        cls.user_sol = cls._portal_user(cls.patient, "sol")

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


@tagged("post_install", "-at_install")
class TestSavedCardSecret(CardCase, HttpCase):
    """A manager reads the patients' saved cards (account_payment's rule for invoicing users)
    but never the provider's reference that charges them, by any path of JSON-RPC; Odoo's own
    screens for tokens still open."""

    def _call(self, method, args, kwargs=None):
        return call_kw(self, "payment.token", method, args, kwargs)

    def test_manager_never_reads_the_provider_reference(self):
        token = self._card(self.patient)
        self.authenticate("clinic_manager", "clinic_manager")
        views = self._call("get_views", [], {"views": [[False, "list"], [False, "form"]]})
        arches = " ".join(view["arch"] for view in views["result"]["views"].values())
        self.assertNotIn("provider_ref", arches, "Odoo's screens open without it")
        body = self._call("web_search_read", [[]], {"specification": {"payment_details": {}}})
        self.assertEqual(body["result"]["records"][0]["payment_details"], "4242")
        for method, args, kwargs in (
            ("read", [token.ids, ["provider_ref"]], {}),
            ("search_read", [[("provider_ref", "=", "demo-secret-reference")]], {}),
            ("formatted_read_group", [[], ["provider_ref"], ["__count"]], {}),
            ("search_read", [[]], {"fields": ["provider_ref"]}),
        ):
            with self.subTest(method=method, args=args):
                body = self._call(method, args, kwargs)
                self.assertIn("error", body, body.get("result"))
                self.assertNotIn("demo-secret-reference", str(body))
