"""Portal users read none of another patient's payments over JSON-RPC: not the transactions,
not the payments, not the invoice they paid (issue 20, Access)."""

from odoo import Command
from odoo.tests import tagged

from .rpc_common import call_kw
from .test_booking_payment import BookingPaymentCase


@tagged("post_install", "-at_install")
class TestPortalReadsNoOtherPayments(BookingPaymentCase):
    def test_a_patient_reads_no_one_elses_payment(self):
        toms_card = self._save_card(self.patient_2)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.patient_2.partner_id.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product.id, "name": "Tom's session"})
                ],
            }
        )
        invoice.action_post()
        transaction = self.env["clinic.online.booking"]._charge_deposit(invoice, toms_card)
        self.assertEqual(transaction.state, "done")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.authenticate("sol", "sol")
        for model in ("payment.transaction", "account.payment"):
            body = call_kw(self, model, "search_read", [[]], {"fields": ["id"]})
            self.assertIn("error", body, model)
            body = call_kw(self, model, "read", [[transaction.id], ["amount"]])
            self.assertIn("error", body, model)
        body = call_kw(self, "account.move", "search_read", [[]], {"fields": ["id"]})
        self.assertNotIn(invoice.id, [row["id"] for row in body.get("result", [])])
        body = call_kw(self, "account.move", "read", [invoice.ids, ["amount_total"]])
        self.assertIn("error", body)
