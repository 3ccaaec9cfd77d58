"""Invoices paid with the patient's saved card: the billing run charges what it posts, a
failed charge is retried on the clinic's schedule, a credit note is refunded to the card.

Every charge is a ``payment.transaction`` of Odoo's payment framework, made with the token the
patient saved and authorised (``clinic.card.authorisation``); the provider's secrets stay in
Odoo's token, which staff cannot read."""

import logging
from datetime import timedelta

import psycopg2
from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_is_zero

from .clinic_cron import lock_free, single_run
from .clinic_private_links import private_links_allowed, send_private_mail
from .clinic_workflow import MANAGER, check_access_first

_logger = logging.getLogger(__name__)

CARD_STATES = [
    ("pending", "Being charged"),
    ("paid", "Paid by card"),
    ("failed", "Charge failed"),
]
# What PostgreSQL answers a second charge of an invoice and attempt: the unique index's
# violation, or (under REPEATABLE READ, when the other charge committed after this transaction
# began) a serialization failure.
REFUSED = (psycopg2.IntegrityError, errors.SerializationFailure)

CARD_FIELDS = {
    "clinic_card_state",
    "clinic_card_attempts",
    "clinic_card_retry_date",
    "clinic_card_error",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    clinic_card_state = fields.Selection(
        CARD_STATES,
        string="Saved Card",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The charge of this invoice to the card the patient saved and authorised.",
    )
    clinic_card_attempts = fields.Integer(string="Card Charges Tried", readonly=True, copy=False)
    clinic_card_retry_date = fields.Date(
        string="Next Card Charge",
        readonly=True,
        copy=False,
        help="Empty after a failure: no retry left, the patient pays with the link mailed.",
    )
    clinic_card_error = fields.Char(string="Card Charge Failure", readonly=True, copy=False)

    def write(self, vals):
        """The saved card's fields are set by the charges only: nobody marks an invoice paid by
        card, or schedules a charge, by writing them."""
        if CARD_FIELDS & set(vals) and not self.env.su:
            check_access_first(self, "write")
            raise UserError(
                self.env._(
                    "%(fields)s: set by the charges of the saved card only. To collect an "
                    "invoice, register a payment on it.",
                    fields=", ".join(self._fields[name].string for name in sorted(CARD_FIELDS)),
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def action_clinic_retry_card_charge(self):
        """A manager charges the saved card of failed invoices again now, without waiting for
        the next retry (e.g. the patient said the card works again): the next attempt, with
        the same guarantee of one transaction per invoice and attempt."""
        check_access_first(self, "write")
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "You are not allowed to charge a saved card again: only a clinic manager does."
                )
            )
        not_failed = self.filtered(
            lambda m: (
                m.clinic_card_state != "failed" or m.payment_state not in ("not_paid", "partial")
            )
        )
        if not_failed:
            raise UserError(
                self.env._(
                    "%(invoice)s: only an open invoice whose charge to the saved card failed "
                    "can be charged again.",
                    invoice=not_failed[0].display_name,
                )
            )
        transactions = self._clinic_charge_saved_cards(retry_now=True)
        uncharged = self - transactions.clinic_invoice_id
        if uncharged:
            raise UserError(
                self.env._(
                    "%(invoice)s: the patient has no saved card authorised any more. Ask them "
                    "to pay with the link they were e-mailed, or save a card on the portal.",
                    invoice=uncharged[0].display_name,
                )
            )
        failed = transactions.filtered(lambda t: t.state != "done")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if failed else "success",
                "message": self.env._(
                    "The charge failed again (%(reason)s).",
                    reason=failed[0].state_message or failed[0].state,
                )
                if failed
                else self.env._("Paid with the saved card."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------ charging

    def _clinic_charge_saved_cards(self, retry_now=False):
        """Charge each posted customer invoice in ``self`` that is still due to the card its
        patient authorised: one ``payment.transaction`` per invoice and attempt, which a unique
        index guarantees also when runs are repeated or concurrent. Returns the transactions.
        ``retry_now``: failed charges are tried again without waiting for their retry date."""
        today = fields.Date.context_today(self)
        moves = self.sudo().filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "posted"
                and m.payment_state in ("not_paid", "partial")
                and not float_is_zero(m.amount_residual, precision_rounding=m.currency_id.rounding)
                and (
                    not m.clinic_card_state
                    or (
                        m.clinic_card_state == "failed"
                        and (
                            retry_now
                            or (m.clinic_card_retry_date and m.clinic_card_retry_date <= today)
                        )
                    )
                )
            )
        )
        moves = moves._clinic_lock()
        tokens = moves._clinic_saved_tokens()
        vals_list = [
            move._clinic_charge_values(tokens[move.id]) for move in moves if move.id in tokens
        ]
        transactions = self._clinic_create_transactions(vals_list)
        transactions._clinic_charge_with_tokens()
        transactions._clinic_after_charge()
        return transactions

    def _clinic_lock(self):
        """The invoices of ``self`` locked for this transaction: one another transaction is
        charging is left to it (it does not wait, and it is never charged twice)."""
        return lock_free(self)

    def _clinic_saved_tokens(self):
        """{invoice id: payment.token} for the invoices whose patient authorised a saved card
        that is still active (the patients are those of the invoice's clinic lines)."""
        patients_by_move = {}
        for line in self.invoice_line_ids:
            patient = line.clinic_session_id.patient_id or line.clinic_plan_id.patient_id
            if patient:
                patients_by_move.setdefault(line.move_id.id, []).append(patient.id)
        if not patients_by_move:
            return {}
        patient_ids = {pid for pids in patients_by_move.values() for pid in pids}
        authorisations = (
            self.env["clinic.card.authorisation"]
            .sudo()
            .search([("patient_id", "in", list(patient_ids)), ("token_id.active", "=", True)])
        )
        token_by_patient = {}
        for authorisation in authorisations.sorted("accepted_at", reverse=True):
            token_by_patient.setdefault(authorisation.patient_id.id, authorisation.token_id)
        tokens = {}
        for move_id, pids in patients_by_move.items():
            for pid in pids:
                if pid in token_by_patient:
                    tokens[move_id] = token_by_patient[pid]
                    break
        return tokens

    def _clinic_charge_values(self, token):
        self.ensure_one()
        return {
            "provider_id": token.provider_id.id,
            "payment_method_id": token.payment_method_id.id,
            "token_id": token.id,
            "operation": "offline",
            "amount": self.amount_residual,
            "currency_id": self.currency_id.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_ids": [fields.Command.set(self.ids)],
            "clinic_invoice_id": self.id,
            "clinic_attempt": self.clinic_card_attempts + 1,
        }

    @api.model
    def _clinic_create_transactions(self, vals_list):
        """Create the transactions, leaving out one whose invoice and attempt another run made
        already (the unique index refuses it). The charges a committed run made are left out
        first (one query); the others are created together, and only when the database
        refuses the batch (a run charging at the same moment) one at a time, each refused one
        left out."""
        model = self.env["payment.transaction"].sudo()
        if not vals_list:
            return model
        model.flush_model(["clinic_invoice_id", "clinic_attempt"])
        self.env.cr.execute(
            """
            SELECT clinic_invoice_id, clinic_attempt FROM payment_transaction
             WHERE clinic_invoice_id = ANY(%s)
            """,
            [[vals["clinic_invoice_id"] for vals in vals_list]],
        )
        made = set(self.env.cr.fetchall())
        vals_list = [
            vals
            for vals in vals_list
            if (vals["clinic_invoice_id"], vals["clinic_attempt"]) not in made
        ]
        try:
            with self.env.cr.savepoint():
                # On the model: Odoo computes the reference from the recordset called on.
                transactions = model.create([dict(vals) for vals in vals_list])
                transactions.flush_recordset()
            return transactions
        except REFUSED:
            # An invoice of the batch was charged meanwhile (another run): one at a time.
            _logger.info("card charges: the batch was refused, creating them one at a time")
        transactions = model.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    transactions |= model.create(dict(vals))
            except REFUSED:
                _logger.info("invoice %s already charged: left out", vals["clinic_invoice_id"])
        return transactions

    def _clinic_card_failed(self, transaction):
        """A charge that failed: the invoice stays open, the next try is scheduled, and the
        patient is mailed a link to pay it."""
        self.ensure_one()
        company = self.company_id
        delays = company._clinic_card_retry_delays()
        attempt = transaction.clinic_attempt
        retry = (
            fields.Date.context_today(self) + timedelta(days=delays[attempt - 1])
            if attempt <= len(delays)
            else False
        )
        self.write(
            {
                "clinic_card_state": "failed",
                "clinic_card_attempts": attempt,
                "clinic_card_retry_date": retry,
                "clinic_card_error": transaction.state_message or transaction.state,
            }
        )
        template = self.env.ref("trigger_point_clinic.mail_template_clinic_card_failed")
        send_private_mail(
            template,
            self,
            self.env._(
                "The charge of %(invoice)s to the saved card failed: the patient was e-mailed a "
                "link to pay it.",
                invoice=self.name,
            ),
            layout="mail.mail_notification_light",
        )

    def _clinic_pay_link(self):
        """The invoice's page on the portal, where the patient pays it: with its access token
        only while the patient's own e-mail is rendered."""
        self.ensure_one()
        base = self.get_base_url()
        if private_links_allowed():
            return base + self.sudo()._get_share_url(redirect=False)
        return f"{base}/my/invoices/{self.id}"

    # ------------------------------------------------------------------ refunds

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        refunds = posted.filtered(lambda m: m.move_type == "out_refund")
        if refunds:
            refunds._clinic_refund_to_card()
        return posted

    def _clinic_refund_to_card(self):
        """Refund each clinic credit note in ``self`` to the card that paid what it credits
        (the invoice it reverses, or the invoices that billed its sessions), when the
        provider supports refunds; at most once per credit note (a unique index)."""
        refunded = self.env["payment.transaction"].sudo()
        for credit in self.sudo():
            lines = credit.invoice_line_ids.filtered("clinic_charge")
            if not lines and not credit.reversed_entry_id.invoice_line_ids.filtered(
                "clinic_charge"
            ):
                continue
            rounding = credit.currency_id.rounding
            if float_is_zero(credit.amount_residual, precision_rounding=rounding):
                continue
            sources = credit.reversed_entry_id
            sessions = lines.clinic_session_id
            if sessions:
                sources |= (
                    self.env["account.move.line"]
                    .sudo()
                    .search(
                        [
                            ("clinic_session_id", "in", sessions.ids),
                            ("move_id.move_type", "=", "out_invoice"),
                            ("parent_state", "=", "posted"),
                        ]
                    )
                    .move_id
                )
            charges = (
                self.env["payment.transaction"]
                .sudo()
                .search(
                    [
                        ("invoice_ids", "in", sources.ids),
                        ("state", "=", "done"),
                        ("operation", "in", ("online_token", "offline", "online_direct")),
                    ],
                    order="id",
                )
                .filtered(lambda t: t.provider_id.support_refund in ("full_only", "partial"))
            )
            left = credit.amount_residual
            for charge in charges:
                refundable = charge.amount + sum(
                    charge.child_transaction_ids.filtered(
                        lambda t: t.operation == "refund" and t.state != "error"
                    ).mapped("amount")
                )
                amount = min(left, refundable)
                if float_is_zero(amount, precision_rounding=rounding) or (
                    charge.provider_id.support_refund == "full_only" and amount != charge.amount
                ):
                    continue
                try:
                    with self.env.cr.savepoint():
                        refund = charge._create_child_transaction(
                            amount,
                            is_refund=True,
                            clinic_refund_move_id=credit.id,
                            invoice_ids=[fields.Command.set(credit.ids)],
                        )
                except psycopg2.IntegrityError:
                    break  # refunded already, by another transaction
                charge._ensure_provider_is_not_disabled()
                refund._log_sent_message()
                try:
                    refund._send_refund_request()
                except ValidationError as exc:  # the provider's refusal, kept on the refund
                    refund._set_error(str(exc))
                if refund.state == "done":
                    refund._post_process()
                refunded |= refund
                break  # one refund per credit note
        return refunded

    # ------------------------------------------------------------------ schedule

    @api.model
    @single_run
    def _cron_clinic_retry_card_charges(self):
        """Daily: charge again the invoices whose charge failed and whose retry is due."""
        due = self.sudo().search(
            [
                ("clinic_card_state", "=", "failed"),
                ("clinic_card_retry_date", "<=", fields.Date.context_today(self)),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )
        return due._clinic_charge_saved_cards()
