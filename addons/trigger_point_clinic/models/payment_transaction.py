from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    clinic_invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Clinic Invoice Charged",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
        help="The invoice this off-session charge with a saved card pays.",
    )
    clinic_attempt = fields.Integer(
        string="Clinic Charge Attempt",
        readonly=True,
        copy=False,
        help="1 for the billing run's charge, then 2, 3… for the retries of a failed charge.",
    )
    clinic_refund_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Clinic Credit Note Refunded",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
        help="The credit note this refund to the card pays back.",
    )

    # The guarantee behind charging saved cards: an invoice is charged at most once per attempt,
    # whichever runs or retries try it, also at the same moment in two transactions.
    _clinic_invoice_attempt_uniq = models.UniqueIndex(
        "(clinic_invoice_id, clinic_attempt) WHERE clinic_invoice_id IS NOT NULL",
        "This invoice is already charged to the saved card for that attempt.",
    )
    # And a credit note is refunded to the card at most once.
    _clinic_refund_move_uniq = models.UniqueIndex(
        "(clinic_refund_move_id) WHERE clinic_refund_move_id IS NOT NULL",
        "This credit note is already refunded to the card.",
    )

    @api.constrains("token_id")
    def _check_token_is_active(self):
        """Odoo's check, for each transaction: it reads one only, and the billing run creates
        its charges together."""
        for transaction in self:
            super(PaymentTransaction, transaction)._check_token_is_active()
        return None

    def _clinic_charge_with_tokens(self):
        """Odoo's ``_charge_with_token`` for each transaction in ``self``, with the notes that
        the charges were initiated logged on their invoices together (one batch of messages)
        instead of one ``message_post`` per invoice: the same record in the chatter, without
        the work of a notification per invoice that Odoo's own creation and
        ``_send_payment_request`` do not do."""
        self._ensure_provider_is_not_disabled_each()
        bodies = {}
        for transaction in self:
            message = transaction._get_sent_message()
            if message:
                for invoice in transaction._get_invoices_to_notify():
                    bodies[invoice.id] = message
        if bodies:
            self.env["account.move"].browse(bodies)._message_log_batch(
                bodies=bodies, author_id=self.env.user.partner_id.id
            )
        for transaction in self:
            try:
                transaction._send_payment_request()
            except ValidationError as exc:
                transaction._set_error(str(exc))

    def _ensure_provider_is_not_disabled_each(self):
        for provider_transactions in self.grouped("provider_id").values():
            provider_transactions[:1]._ensure_provider_is_not_disabled()

    def _clinic_after_charge(self):
        """Settle what the charges in ``self`` did: a paid invoice is reconciled at once, a
        failed one waits for its retry and the patient is mailed."""
        done = self.filtered(lambda t: t.state == "done")
        if done:
            done._post_process()
        waiting = self.filtered(lambda t: t.state in ("pending", "authorized", "draft"))
        # One write per attempt number (most charges are first attempts).
        for state, transactions in (("paid", done), ("pending", waiting)):
            for attempt in set(transactions.mapped("clinic_attempt")):
                values = {"clinic_card_state": state, "clinic_card_attempts": attempt}
                if state == "paid":
                    values.update(clinic_card_retry_date=False, clinic_card_error=False)
                transactions.filtered(
                    lambda t, attempt=attempt: t.clinic_attempt == attempt
                ).clinic_invoice_id.write(values)
        for transaction in self - done - waiting:
            transaction.clinic_invoice_id._clinic_card_failed(transaction)

    def _post_process(self):
        """A deposit paid at online booking books its held session; one that failed or was
        cancelled frees it (``clinic.online.booking``)."""
        res = super()._post_process()
        booking = self.env["clinic.online.booking"].sudo()
        paid = self.filtered(lambda t: t.state == "done" and t.operation != "refund")
        if paid:
            booking._confirm_paid(paid.invoice_ids)
        failed = self.filtered(lambda t: t.state in ("cancel", "error"))
        for transaction in failed:
            invoices = transaction.invoice_ids.filtered(
                lambda m, transaction=transaction: (
                    not (m.transaction_ids - transaction).filtered(
                        lambda t: t.state in ("pending", "authorized", "done")
                    )
                )
            )
            booking._release(
                invoices,
                self.env._(
                    "Payment not completed (%(reason)s): the time was freed. Nothing was "
                    "charged; book again when you are ready.",
                    reason=transaction.state_message
                    or dict(transaction._fields["state"]._description_selection(self.env))[
                        transaction.state
                    ],
                ),
            )
        return res
