from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.clinic_online_booking_payment import UNDER_WAY

METHODS = [
    ("cash", "Cash"),
    ("terminal", "Card terminal"),
    ("saved_card", "Saved card"),
]


class ClinicSessionPayment(models.TransientModel):
    """The front desk takes the payment of a session's open invoices: cash, the card terminal,
    or the card the patient saved and authorised. The desk has no right on invoices or
    payments: this wizard (front desk and managers only) registers them for it."""

    _name = "clinic.session.payment"
    _description = "Take a Payment at the Desk"

    session_id = fields.Many2one(
        comodel_name="clinic.session",
        required=True,
        readonly=True,
        default=lambda self: self.env.context.get("active_id"),
    )
    method = fields.Selection(METHODS, string="Paid With", required=True, default="cash")
    amount_due = fields.Float(string="Due", compute="_compute_due", digits="Account")
    invoice_names = fields.Char(string="Invoices", compute="_compute_due")
    card_name = fields.Char(string="Saved Card", compute="_compute_due")
    summary = fields.Char(
        string="This Session",
        compute="_compute_due",
        help="What the patient owes for this session by the clinic's charge rule: the invoice "
        "that covers it (its own, its plan's pre-paid period or package) and whether it is paid.",
    )

    def _open_invoices(self):
        """The posted, unpaid customer invoices of the session: its own, and the plan's
        invoice that covers it (pre-paid period or package: ``clinic.charge.rule``), less
        those whose payment is under way at the provider (a deposit paid online and not
        settled yet): collecting them at the desk would make the patient pay twice."""
        self.ensure_one()
        self.session_id.check_access("read")
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("clinic_session_id", "=", self.session_id.id),
                    ("move_id.move_type", "=", "out_invoice"),
                    ("parent_state", "=", "posted"),
                ]
            )
        )
        invoices = lines.move_id | self.env["clinic.charge.rule"]._checkout_invoices(
            self.session_id
        )
        return invoices.filtered(
            lambda move: (
                move.state == "posted"
                and move.payment_state in ("not_paid", "partial")
                and not move.transaction_ids.filtered(lambda t: t.state in UNDER_WAY)
            )
        )

    def _under_way(self):
        """The session's invoices whose payment the provider has accepted and not settled."""
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [("clinic_session_id", "=", self.session_id.id), ("parent_state", "=", "posted")]
            )
        )
        return lines.move_id.filtered(
            lambda move: (
                move.payment_state in ("not_paid", "partial")
                and move.transaction_ids.filtered(lambda t: t.state in UNDER_WAY)
            )
        )

    @api.depends("session_id")
    def _compute_due(self):
        for wizard in self:
            invoices = wizard._open_invoices() if wizard.session_id else self.env["account.move"]
            wizard.amount_due = sum(invoices.mapped("amount_residual"))
            wizard.summary = (
                self.env["clinic.charge.rule"]._checkout_text(wizard.session_id)
                if wizard.session_id
                else False
            )
            wizard.invoice_names = ", ".join(invoices.mapped("name"))
            tokens = invoices._clinic_saved_tokens()
            wizard.card_name = (tokens and next(iter(tokens.values())).display_name) or False

    def action_pay(self):
        self.ensure_one()
        invoices = self._open_invoices()
        pending = self._under_way()
        if not invoices and pending:
            raise UserError(
                self.env._(
                    "Session: %(session)s: the payment of %(invoices)s is pending at the "
                    "provider. Nothing to collect at the desk; it is booked once the provider "
                    "confirms it.",
                    session=self.session_id.display_name,
                    invoices=", ".join(pending.mapped("name")),
                )
            )
        if not invoices:
            raise UserError(
                self.env._(
                    "Session: %(session)s has no open invoice to pay. It is paid already, or "
                    "not billed yet: the billing run invoices it.",
                    session=self.session_id.display_name,
                )
            )
        if self.method == "saved_card":
            return self._pay_with_saved_card(invoices)
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [
                    ("type", "=", "cash" if self.method == "cash" else "bank"),
                    ("company_id", "=", invoices[0].company_id.id),
                ],
                limit=1,
            )
        )
        if not journal:
            raise UserError(
                self.env._(
                    "Paid With: the clinic has no %(kind)s journal; a manager adds one in "
                    "Invoicing's configuration.",
                    kind="cash" if self.method == "cash" else "bank",
                )
            )
        self.env["account.payment.register"].sudo().with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"journal_id": journal.id, "group_payment": True})._create_payments()
        return {"type": "ir.actions.act_window_close"}

    def _pay_with_saved_card(self, invoices):
        invoices = invoices.sudo()
        tokens = invoices._clinic_saved_tokens()
        if len(tokens) != len(invoices):
            raise UserError(
                self.env._(
                    "Paid With: the patient has no saved card they authorised. Take cash or the "
                    "card terminal, or ask the patient to save a card on their portal."
                )
            )
        transactions = invoices._clinic_create_transactions(
            [invoice._clinic_charge_values(tokens[invoice.id]) for invoice in invoices]
        )
        for transaction in transactions:
            transaction._charge_with_token()
        failed = transactions.filtered(lambda t: t.state in ("error", "cancel"))
        if failed or len(transactions) != len(invoices):
            raise UserError(
                self.env._(
                    "Paid With: the saved card was declined (%(reason)s). Take cash or the card "
                    "terminal.",
                    reason=failed[:1].state_message or self.env._("being charged already"),
                )
            )
        transactions._clinic_after_charge()
        return {"type": "ir.actions.act_window_close"}
