"""The clinic's one charge rule: what a session costs or gives back, by billing mode and event.

Everyone asks it: the billing run (what to invoice and what to credit), the portal's cancel
terms, the reminder's policy text, the session form and the patient's balance. A patient is
never shown a figure other than the one billed.
"""

from collections import namedtuple
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import float_is_zero, format_amount

PREPAID = ("weekly", "monthly")
MODES = ("per_session", "weekly", "monthly", "package")
EVENTS = (
    "attended",
    "no_show",
    "late_cancel",
    "cancel_in_time",
    "clinic_cancel",
    "rescheduled",
)

# mode x event -> what the session owes: "session" (its price, billed once: after it for
# per-session billing, in advance for pre-paid plans), a fee ("no_show_fee",
# "late_cancel_fee"), "credit" (a session billed in advance is given back on a credit note),
# "package" (one session of the plan's package is used, no money) or None (nothing).
CHARGE_TABLE = {
    ("per_session", "attended"): "session",
    ("per_session", "no_show"): "no_show_fee",
    ("per_session", "late_cancel"): "late_cancel_fee",
    ("per_session", "cancel_in_time"): None,
    ("per_session", "clinic_cancel"): None,
    ("per_session", "rescheduled"): None,
    **{
        (mode, event): outcome
        for mode in PREPAID
        for event, outcome in (
            ("attended", "session"),
            # Missed or cancelled late: the session paid in advance is kept, no fee on top.
            ("no_show", "session"),
            ("late_cancel", "session"),
            ("cancel_in_time", "credit"),
            ("clinic_cancel", "credit"),
            ("rescheduled", None),
        )
    },
    ("package", "attended"): "package",
    ("package", "no_show"): "package",
    ("package", "late_cancel"): "package",
    ("package", "cancel_in_time"): None,
    ("package", "clinic_cancel"): None,
    ("package", "rescheduled"): None,
}

# A paid deposit, by event: deducted from the session's own invoice when the session is owed,
# kept against the fee (the rest credited) when a fee is owed, credited otherwise.
FEES = ("no_show_fee", "late_cancel_fee")

Charge = namedtuple(
    "Charge",
    [
        "mode",
        "event",
        "outcome",  # a CHARGE_TABLE value
        "amount",  # what the event costs the patient, tax included as invoiced (>= 0)
        "credit",  # what the patient gets back on a credit note, tax included (>= 0)
        "deposit",  # the paid deposit of the session, tax included
        "deposit_kept",  # the part of the deposit that pays ``amount``
        "currency",
    ],
)


def table_outcome(mode, event):
    """The pure table: mode x event -> outcome."""
    return CHARGE_TABLE[(mode if mode in MODES else "per_session", event)]


def costs(charge):
    """Whether the patient loses something by ``charge``: a fee, a pre-paid session kept, or a
    session of their package."""
    if charge.outcome in FEES:
        return bool(charge.amount)
    return charge.outcome == "package" or (charge.outcome == "session" and charge.mode in PREPAID)


def worth_saying(charge):
    """Whether ``charge`` is worth a sentence to the patient: it costs or gives back."""
    return costs(charge) or bool(charge.credit)


def fee_amount(kind, amount, session_price):
    """A clinic fee: ``amount`` fixed, or ``amount`` percent of the session's price."""
    if not amount or amount != amount or amount in (float("inf"), float("-inf")):
        return 0.0
    if kind == "percent":
        return session_price * amount / 100
    return amount


class ClinicChargeRule(models.AbstractModel):
    _name = "clinic.charge.rule"
    _description = "Clinic Charge Rule"

    # ------------------------------------------------------------------ events

    @api.model
    def _event(self, session, cancel_at=None, moving=False):
        """The event a session's state stands for, or, with ``cancel_at``, the event a
        cancellation by the patient at that moment would be (``moving``: by moving it to
        another time; a time held for its payment and not paid yet moves without a fee,
        whenever). None while it is still open."""
        session = session.sudo()
        if cancel_at is not None:
            notice = timedelta(hours=session.company_id.clinic_late_cancel_hours)
            late = session.start - cancel_at < notice
            if late and moving and self._held_for_payment(session):
                late = False
            return "late_cancel" if late else "cancel_in_time"
        if session.state == "done":
            return "attended"
        if session.state == "no_show":
            return "no_show"
        if session.state == "cancelled":
            if session.cancel_party == "clinic":
                return "clinic_cancel"
            return "late_cancel" if session.late_cancel else "cancel_in_time"
        return None

    # ------------------------------------------------------------------ prices

    @api.model
    def _line_price(self, session, outcome):
        """(product, untaxed unit price) of an invoice line for ``outcome`` of ``session``:
        exactly what the billing run puts on the invoice."""
        session = session.sudo()
        company = session.company_id
        price = session.patient_id._clinic_price(session.product_id, session.start.date())
        if outcome in FEES:
            kind = outcome.removesuffix("_fee")
            product = self.env.ref(f"trigger_point_clinic.product_clinic_{outcome}")
            fee = fee_amount(
                company[f"clinic_{kind}_fee_type"], company[f"clinic_{kind}_fee"], price
            )
            return product, company.currency_id.round(fee)
        billed = session._billed_lines("session")[:1]
        if billed:
            return billed.product_id, billed.price_unit
        return session.product_id, price

    @api.model
    def _taxed(self, session, product, price_unit, quantity=1.0):
        """``price_unit`` x ``quantity`` of ``product`` tax included, as the invoice computes
        it (the product's taxes of the company, mapped by the partner's fiscal position)."""
        session = session.sudo()
        company = session.company_id
        partner = session.patient_id._billing_partner()
        taxes = product.taxes_id._filter_taxes_by_company(company)
        fiscal_position = (
            self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(partner)
        )
        taxes = fiscal_position.map_tax(taxes)
        if not taxes:
            return company.currency_id.round(price_unit * quantity)
        return taxes.compute_all(
            price_unit,
            currency=company.currency_id,
            quantity=quantity,
            product=product,
            partner=partner,
        )["total_included"]

    @api.model
    def _deposit_lines(self, session):
        """The session's deposit: deposit lines on posted invoices (paid or not)."""
        return session.sudo().invoice_line_ids.filtered(
            lambda line: line.clinic_charge == "deposit" and line.parent_state == "posted"
        )

    @api.model
    def _held_for_payment(self, session):
        """Whether ``session`` is a time held for the payment asked at online booking and not
        paid yet (draft, its deposit invoice posted and not paid, or its payment pending at
        the provider). Such a time is not booked yet: moving it is never a late cancellation,
        and the move carries the hold and the amount due to the new time."""
        session = session.sudo()
        if session.state != "draft":
            return False
        return any(
            line.move_id.payment_state not in ("paid", "in_payment")
            for line in self._deposit_lines(session)
        )

    # ------------------------------------------------------------------ the rule

    @api.model
    def _charge(self, session, event=None, mode=None):
        """What ``event`` (default: the session's current state's) costs the patient of
        ``session`` in billing ``mode`` (default: its plan's), as a ``Charge``."""
        session = session.sudo()
        session.ensure_one()
        currency = session.company_id.currency_id
        mode = mode or session._billing_mode()
        event = event or self._event(session)
        outcome = table_outcome(mode, event) if event else None
        amount = credit = 0.0
        if outcome in FEES or outcome == "session":
            amount = self._taxed(session, *self._line_price(session, outcome))
        elif outcome == "credit" and session._billed_lines("session"):
            line = session._billed_lines("session")[:1]
            credit = self._taxed(session, line.product_id, line.price_unit)
        deposit = sum(self._deposit_lines(session).mapped("price_total"))
        kept = 0.0
        if deposit:
            kept = min(deposit, amount) if outcome in (*FEES, "session") else 0.0
            # A pre-paid session billed in advance was paid by its invoice: its deposit is
            # given back in full.
            if outcome == "session" and mode in PREPAID:
                kept = 0.0
            credit += deposit - kept
        return Charge(
            mode,
            event,
            outcome,
            currency.round(amount),
            currency.round(credit),
            currency.round(deposit),
            currency.round(kept),
            currency,
        )

    @api.model
    def _cancel_charge(self, session, now=None, moving=False):
        """What cancelling ``session`` now (by the patient; ``moving``: to move it) costs."""
        now = now or fields.Datetime.now()
        return self._charge(session, self._event(session, cancel_at=now, moving=moving))

    @api.model
    def _due(self, session, billed):
        """The charge kinds the billing run owes for ``session`` now, given the kinds
        ``billed`` already on invoices that count: the table's outcome, plus the deposit's
        deduction and credit. Pre-paid sessions still open are billed in advance."""
        session = session.sudo()
        mode = session._billing_mode()
        event = self._event(session)
        if event is None:
            return ["session"] if mode in PREPAID and "session" not in billed else []
        charge = self._charge(session, event, mode)
        due = []
        if charge.outcome in ("session", *FEES) and charge.outcome not in billed:
            due.append(charge.outcome)
        if charge.outcome == "credit" and "session" in billed and "credit" not in billed:
            due.append("credit")
        if charge.deposit_kept and "deposit_deduction" not in billed:
            due.append("deposit_deduction")
        deposit_credit = charge.deposit - charge.deposit_kept
        if not float_is_zero(deposit_credit, precision_rounding=charge.currency.rounding) and (
            "deposit_credit" not in billed
        ):
            due.append("deposit_credit")
        return due

    @api.model
    def _owed(self, session, billed):
        """What ``session`` owes now, given the charge kinds ``billed`` already on invoices
        that count: (kinds due, the reason it is held back or None), what the billing run
        invoices and the session's billing status shows. On top of ``_due``: an attended
        session billed per session waits for its signed note when the clinic requires it, a
        fee of 0 is listed as not billed, and a past session still open is listed to be
        closed."""
        session = session.sudo()
        session.ensure_one()
        mode = session._billing_mode()
        event = self._event(session)
        due = self._due(session, billed)
        if (
            event == "attended"
            and mode == "per_session"
            and "session" in due
            and session.company_id.clinic_require_signed_note
            and session.treatment_note_state != "signed"
        ):
            return [], self.env._("Treatment note not signed")
        fees = [kind for kind in due if kind in FEES]
        if fees and not self._charge(session, event, mode).amount:
            due = [kind for kind in due if kind not in fees]
            if not due:
                return [], self.env._("The fee is 0 in the clinic's settings")
        if (
            event is None
            and mode not in PREPAID
            and session.start
            and session.start < fields.Datetime.now()
        ):
            return [], self.env._("Not closed: mark it done, no-show or cancelled")
        return due, None

    @api.model
    def _charge_now(self, session):
        """What ``session`` costs as it stands: for an open session, what cancelling it now
        would cost the patient; for a closed one, what its outcome costs."""
        if session.state in ("draft", "confirmed"):
            return self._cancel_charge(session)
        return self._charge(session)

    @api.model
    def _fee(self, session, kind):
        """The fee a late cancellation (``kind`` "late_cancel") or a no-show ("no_show") of
        ``session`` would cost the patient: 0 when its billing mode charges no fee (pre-paid
        and package sessions)."""
        charge = self._charge(session, kind)
        return charge.amount if charge.outcome in FEES else 0.0

    @api.model
    def _booking_payment(self, session):
        """What booking ``session`` online costs and asks to be paid now, by the clinic's
        setting: nothing, a deposit (a fixed amount before tax, or a percentage of the
        session's price; never more than the price) or the full price. The deposit is
        invoiced as a line of the session's product (kind ``deposit``), so the billing run
        deducts it from the session's invoice, or credits it, by this same rule.

        Returns a dict: ``price`` (the session, tax included as invoiced), ``due`` (to pay now,
        tax included), ``kind`` (none / deposit / full), ``product`` and ``price_unit`` (the
        deposit line, before tax), ``currency``."""
        session = session.sudo()
        company = session.company_id
        currency = company.currency_id
        product, price_unit = self._line_price(session, "session")
        kind = company.clinic_booking_payment or "none"
        if session._billing_mode() != "per_session":
            kind = "none"  # a plan's sessions are billed by the plan
        if kind == "full":
            deposit_unit = price_unit
        elif kind == "deposit":
            deposit_unit = min(
                price_unit,
                fee_amount(
                    company.clinic_booking_deposit_type,
                    company.clinic_booking_deposit,
                    price_unit,
                ),
            )
        else:
            deposit_unit = 0.0
        deposit_unit = currency.round(deposit_unit)
        if float_is_zero(deposit_unit, precision_rounding=currency.rounding):
            kind, deposit_unit = "none", 0.0
        return {
            "kind": kind,
            "price": currency.round(self._taxed(session, product, price_unit)),
            "due": currency.round(self._taxed(session, product, deposit_unit))
            if deposit_unit
            else 0.0,
            "product": product,
            "price_unit": deposit_unit,
            "currency": currency,
        }

    @api.model
    def _moved_deposit(self, session, now=None, party="patient"):
        """The paid deposit lines of ``session`` that follow it when it is moved now to another
        time, at the patient's request (``party``) or the clinic's. A move by the clinic, or
        by the patient with the notice the clinic asks, is the event "rescheduled": it costs
        nothing, so the deposit (or the full price) paid at booking is neither used nor
        credited and pays the new session instead. A patient's move with less notice is a
        late cancellation of the old session, as the move page says: the deposit stays with
        it, against its fee (the rest credited). A time held for its payment, not paid yet
        (``_held_for_payment``), was never booked: its deposit invoice, still to pay, follows
        it whoever moves it and whenever, and paying it books the new time."""
        session = session.sudo()
        lines = self._deposit_lines(session)
        now = now or fields.Datetime.now()
        if lines and self._held_for_payment(session):
            return lines
        if not lines or (
            party == "patient" and self._event(session, cancel_at=now) != "cancel_in_time"
        ):
            return lines.browse()
        charge = self._charge(session, "rescheduled")
        if charge.outcome is not None or charge.amount:
            return lines.browse()
        return lines

    # ------------------------------------------------------------------ words

    @api.model
    def _summary(self, charge):
        """``charge`` in one sentence, for the portal, the reminder and the session form."""
        _ = self.env._
        money = self._money
        outcome = charge.outcome
        if outcome in FEES:
            text = _("a fee of %(fee)s applies", fee=money(charge.amount, charge.currency))
        elif outcome == "session" and charge.mode in PREPAID:
            text = _(
                "the session paid in advance (%(price)s) is not credited",
                price=money(charge.amount, charge.currency),
            )
        elif outcome == "session":
            text = _("the session costs %(price)s", price=money(charge.amount, charge.currency))
        elif outcome == "package":
            text = _("it uses one session of your package")
        elif outcome == "credit" and charge.credit:
            text = _(
                "the session paid in advance is credited (%(credit)s)",
                credit=money(
                    charge.credit - (charge.deposit - charge.deposit_kept), charge.currency
                ),
            )
        else:
            text = _("it costs nothing")
        if charge.deposit_kept:
            text += _(
                "; your deposit pays %(kept)s of it",
                kept=money(charge.deposit_kept, charge.currency),
            )
        refund = charge.deposit - charge.deposit_kept
        if charge.deposit and refund > 0:
            text += _(
                "; your deposit of %(refund)s is credited", refund=money(refund, charge.currency)
            )
        return text

    @api.model
    def _money(self, amount, currency):
        return format_amount(self.env, amount, currency)
