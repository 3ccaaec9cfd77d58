"""Money at online booking: the review before booking (what the session costs, what is paid
now, the cancellation terms), the deposit or full price the clinic asks, and the hold of the
session until it is paid. The amounts come from the one charge rule
(``clinic.charge.rule._booking_payment``); the payment is a ``payment.transaction`` of Odoo's
payment framework, with the patient's authorised saved card or Odoo's own payment form."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_private_links import send_private_mail
from .clinic_session import default_service_product
from .clinic_workflow import workflow

# A held session whose payment is under way at the provider is not freed.
PAYING = ("pending", "authorized", "done")
# A payment the provider has accepted and not settled yet (an asynchronous provider: a bank
# transfer, 3-D Secure confirmed later, ...).
UNDER_WAY = ("pending", "authorized")


class ClinicOnlineBooking(models.AbstractModel):
    _inherit = "clinic.online.booking"

    @api.model
    def _check_overdue(self, patient):
        """Refuse an online booking while the patient's bills hold an invoice overdue for more
        days than the clinic allows (settings: 0 never refuses), saying what to do."""
        patient = patient.sudo()
        limit = patient.company_id.clinic_overdue_booking_days
        if not limit:
            return
        before = fields.Date.context_today(self) - timedelta(days=limit)
        partners = patient.partner_id | patient._billing_partner()
        oldest = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("commercial_partner_id", "in", partners.commercial_partner_id.ids),
                    ("invoice_date_due", "<", before),
                ],
                order="invoice_date_due",
                limit=1,
            )
        )
        if oldest:
            raise UserError(
                self.env._(
                    "You have an invoice overdue since %(date)s (%(invoice)s): pay it on My "
                    "Invoices first, then book again.",
                    date=patient._when(oldest.invoice_date_due, "date"),
                    invoice=oldest.name,
                )
            )

    # ------------------------------------------------------------------ paying at booking

    @api.model
    def _review(self, patient, therapist, start):
        """What the patient reads before booking ``start`` with ``therapist``: the time in the
        clinic's timezone, the session's price with tax as it will be invoiced, what is paid
        now, and the cancellation terms, all by the charge rule. A time no longer offered is
        refused with the words of a taken time."""
        patient = patient.sudo()
        therapist = therapist.sudo()
        company = patient.company_id
        product = default_service_product(self)
        slot = self._offered_slot(patient, therapist, product, start)
        session = (
            self.env["clinic.session"]
            .sudo()
            .new(self._slot_session_values(patient, therapist, product, slot))
        )
        rule = self.env["clinic.charge.rule"]
        late = rule._charge(session, "late_cancel")
        return {
            "slot": slot,
            "start": company._clinic_local_datetime(slot["start"]),
            "stop": company._clinic_local_datetime(slot["stop"]),
            "payment": rule._booking_payment(session),
            "terms": self._cancel_terms(session),
            "late_summary": rule._summary(late),
            "token": self._authorised_token(patient),
        }

    @api.model
    def _authorised_token(self, patient):
        """The saved card ``patient`` authorised the clinic to charge, still active, or an
        empty recordset."""
        authorisation = (
            self.env["clinic.card.authorisation"]
            .sudo()
            .search(
                [("patient_id", "=", patient.id), ("token_id.active", "=", True)],
                limit=1,
            )
        )
        return authorisation.token_id

    @api.model
    def _book_and_pay(self, patient, therapist, start, use_card=True):
        """Book ``start`` for ``patient`` asking the payment the clinic sets: with nothing to
        pay the session is confirmed at once; otherwise it is held (draft) and its deposit (or
        full price) invoiced and posted, then charged to the card the patient authorised
        (``use_card``) or left for Odoo's payment form. The transaction's post-processing
        confirms the session when paid, and frees it when the payment fails
        (``payment_transaction.py``). Returns (session, deposit invoice or empty, transaction
        or empty)."""
        patient = patient.sudo()
        moves = self.env["account.move"].sudo()
        transactions = self.env["payment.transaction"].sudo()
        if patient.company_id.clinic_booking_payment == "none":
            return self._book(patient, therapist, start), moves, transactions
        session = self._book(patient, therapist, start, hold=True)
        payment = self.env["clinic.charge.rule"]._booking_payment(session)
        if payment["kind"] == "none":
            session.action_confirm()
            return session, moves, transactions
        invoice = self._deposit_invoice(session, payment)
        token = self._authorised_token(patient) if use_card else None
        if token:
            transactions = self._charge_deposit(invoice, token)
        return session, invoice, transactions

    @api.model
    def _deposit_invoice(self, session, payment):
        """The posted invoice of the deposit (or full price) of ``session``: one line of its
        product, kind ``deposit``, which the billing run deducts or credits."""
        session = session.sudo()
        label = session._billing_label()
        name = (
            self.env._("Paid in advance: %(session)s", session=label)
            if payment["kind"] == "full"
            else self.env._("Deposit: %(session)s", session=label)
        )
        invoice = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": session.patient_id._billing_partner().id,
                    "company_id": session.company_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "invoice_date_due": fields.Date.context_today(self),
                    "invoice_origin": self.env._("Online booking"),
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "product_id": payment["product"].id,
                                "name": name,
                                "quantity": 1,
                                "price_unit": payment["price_unit"],
                                "clinic_session_id": session.id,
                                "clinic_charge": "deposit",
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice

    @api.model
    def _charge_deposit(self, invoice, token):
        """Charge ``invoice`` to ``token`` now, the patient present: one transaction (the
        unique index of the card charges), post-processed at once."""
        values = invoice._clinic_charge_values(token)
        values["operation"] = "online_token"
        transaction = invoice._clinic_create_transactions([values])
        transaction._charge_with_token()
        if transaction.state in ("done", "cancel", "error"):
            transaction._post_process()
        return transaction

    @api.model
    def _held_sessions(self, invoices):
        """The sessions held (draft) for the deposit invoices in ``invoices``."""
        lines = invoices.sudo().invoice_line_ids.filtered(
            lambda line: line.clinic_charge == "deposit"
        )
        return lines.clinic_session_id.filtered(lambda s: s.state == "draft")

    @api.model
    def _confirm_paid(self, invoices):
        """The deposit invoices in ``invoices`` are paid: their held sessions are booked."""
        sessions = self._held_sessions(
            invoices.filtered(lambda m: m.payment_state in ("paid", "in_payment"))
        )
        if sessions:
            sessions.action_confirm()
        return sessions

    @api.model
    def _release(self, invoices, reason=None):
        """The payment of the deposit invoices in ``invoices`` failed or was abandoned: the
        invoices are cancelled and their held sessions freed (cancelled on the clinic's side:
        the patient owes nothing for them)."""
        invoices = invoices.sudo().filtered(
            lambda m: m.state == "posted" and m.payment_state == "not_paid"
        )
        sessions = self._held_sessions(invoices)
        if not sessions:
            return sessions
        invoices.button_draft()
        invoices.button_cancel()
        sessions._cancel(
            reason
            or self.env._(
                "Payment not completed: the time was freed. Nothing was charged; book again "
                "when you are ready."
            ),
            "clinic",
        )
        # The patient may have left the page long ago (a payment the provider refused later, a
        # hold that ran out): they are told by e-mail.
        template = self.env.ref("trigger_point_clinic.mail_template_clinic_booking_released")
        for session in sessions:
            send_private_mail(
                template,
                session,
                self.env._(
                    "The patient was e-mailed that the booking was not completed and the time "
                    "freed."
                ),
                layout="mail.mail_notification_light",
            )
        return sessions

    @api.model
    def _cron_release_unpaid_bookings(self):
        """Every few minutes: free the sessions booked online whose payment was not made within
        the clinic's hold (a payment still under way at the provider is waited for)."""
        now = fields.Datetime.now()
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("clinic_charge", "=", "deposit"),
                    ("parent_state", "=", "posted"),
                    ("move_id.payment_state", "=", "not_paid"),
                    ("clinic_session_id.state", "=", "draft"),
                ]
            )
        )
        expired = lines.move_id.filtered(
            lambda m: (
                m.create_date < now - timedelta(minutes=m.company_id.clinic_booking_hold_minutes)
                and not m.transaction_ids.filtered(lambda t: t.state in PAYING)
            )
        )
        return self._release(expired)

    @api.model
    def _prepaid(self, session):
        """What ``session`` has paid in advance, by the charge rule: ``state`` awaiting (held
        for its payment), pending (held, its payment accepted by the provider and not settled
        yet), deposit (a deposit paid), paid (its price paid in full) or False;
        ``amount`` paid (tax included); ``invoice`` of the deposit."""
        session = session.sudo()
        lines = self.env["clinic.charge.rule"]._deposit_lines(session)
        invoices = lines.move_id
        if not invoices:
            return {"state": False, "amount": 0.0, "invoice": invoices}
        if any(m.payment_state not in ("paid", "in_payment") for m in invoices):
            state = False
            if session.state == "draft":
                under_way = invoices.transaction_ids.filtered(lambda t: t.state in UNDER_WAY)
                state = "pending" if under_way else "awaiting"
            return {"state": state, "amount": 0.0, "invoice": invoices[:1]}
        charge = self.env["clinic.charge.rule"]._charge(session, "attended")
        state = "paid" if charge.deposit >= charge.amount else "deposit"
        return {"state": state, "amount": charge.deposit, "invoice": invoices[:1]}

    # ------------------------------------------------------------------ moving a paid session

    @api.model
    def _reschedule(self, patient, session, therapist, start, hold=False):
        """Moving a session paid at booking: the deposit (or full price) follows the new
        session when the charge rule says the move costs nothing
        (``clinic.charge.rule._moved_deposit``), so the new session shows it paid and the
        billing run neither credits the old one nor bills the new one in full. A time held for
        its payment, not paid yet, carries its hold: the new time is held in turn, for the
        same invoice, and paying it books the new time."""
        held = self.env["clinic.charge.rule"]._held_for_payment(session)
        deposit = self._deposit_moving(session)
        new = super()._reschedule(patient, session, therapist, start, hold=hold or held)
        if deposit:
            self._carry_deposit(deposit, session, new, held=held)
        return new

    @api.model
    def _deposit_moving(self, session, now=None, party="patient"):
        """The deposit lines of ``session`` that a move now would carry to the new time: paid,
        or still to pay on a time held for its payment (the charge rule decides)."""
        return self.env["clinic.charge.rule"]._moved_deposit(session, now=now, party=party)

    @api.model
    def _moving_terms(self, session):
        """What the move page says of the payment made or asked at booking, when a move now
        carries it (else None): ``paid`` (the amount paid, tax included) or ``due`` (the amount
        still to pay on the invoice, its ``invoice`` name, ``pending`` at the provider)."""
        lines = self._deposit_moving(session)
        if not lines:
            return None
        invoices = lines.move_id
        if all(m.payment_state in ("paid", "in_payment") for m in invoices):
            return {"paid": sum(lines.mapped("price_total")), "due": 0.0}
        return {
            "paid": 0.0,
            "due": sum(invoices.mapped("amount_residual")),
            "invoice": ", ".join(invoices.mapped("name")),
            "pending": bool(invoices.transaction_ids.filtered(lambda t: t.state in UNDER_WAY)),
        }

    @api.model
    def _carry_deposit(self, lines, old, new, held=False):
        """The deposit ``lines`` paid (or still to pay) for ``old`` now pay ``new``: the
        invoice keeps its amounts, its lines name the session they pay, and both sessions say
        so. ``held``: ``old`` was a time held for its payment, whose move the charge rule
        never counts as late (``_event(moving=True)``)."""
        lines = lines.sudo()
        if held and old.sudo().late_cancel:
            old.sudo()._workflow_write({"late_cancel": False})
        old_label, new_label = old.sudo()._billing_label(), new.sudo()._billing_label()
        with workflow("account.move.line"):
            lines.write({"clinic_session_id": new.id})
        for line in lines.filtered(lambda line: not line.move_id.inalterable_hash):
            name = line.name or ""
            line.name = (
                name.replace(old_label, new_label)
                if old_label in name
                else self.env._("Deposit: %(session)s", session=new_label)
            )
        invoices = ", ".join(lines.move_id.mapped("name"))
        old.sudo().message_post(
            body=self.env._(
                "Moved to %(session)s: the payment made at booking (%(invoices)s) follows it.",
                session=new.display_name,
                invoices=invoices,
            )
        )
        new.sudo().message_post(
            body=self.env._(
                "Moved from %(session)s: the payment made at booking (%(invoices)s) pays this "
                "session.",
                session=old.display_name,
                invoices=invoices,
            )
        )
