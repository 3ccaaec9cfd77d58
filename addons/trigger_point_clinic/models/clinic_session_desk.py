"""The front desk's day: a patient arrives (checked in), is treated, and leaves (checked out,
paying at the desk); what the session costs, and what the patient owes, are in sight.

Arrival and departure are markers of the session, not states: the session's clinical states
(confirmed, in progress, done) and every rule built on them (billing, screening, reports) stay
as they are. Which marker the desk may set, in which session states, lives in one table."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_workflow import FRONT_DESK, MANAGER, check_access_first

# marker -> (the session states in which the desk may set it, the marker it needs first)
DESK_MARKERS = {
    "arrived_at": (("confirmed", "in_progress"), None),
    "left_at": (("in_progress", "done"), "arrived_at"),
}


class ClinicSession(models.Model):
    _inherit = "clinic.session"
    _workflow_fields = tuple(DESK_MARKERS)

    arrived_at = fields.Datetime(
        string="Arrived", readonly=True, copy=False, help="When the desk checked the patient in."
    )
    left_at = fields.Datetime(
        string="Left", readonly=True, copy=False, help="When the desk checked the patient out."
    )
    session_price = fields.Monetary(
        string="Price",
        compute="_compute_session_price",
        compute_sudo=True,
        currency_field="currency_id",
        groups=f"{MANAGER},{FRONT_DESK}",
        help="What the session costs when attended, tax included as invoiced (the clinic's "
        "charge rule; a plan's package or pre-paid period may already cover it).",
    )
    patient_balance_owed = fields.Monetary(
        related="patient_id.balance_owed",
        string="Patient Owes",
        currency_field="currency_id",
        groups=FRONT_DESK,
    )

    desk_payment = fields.Selection(
        [("nothing", "Nothing to Pay"), ("due", "To Pay"), ("paid", "Paid")],
        string="Payment",
        compute="_compute_desk_payment",
        compute_sudo=True,
        groups=f"{MANAGER},{FRONT_DESK}",
        help="Whether the posted invoices that cover the session (its own, its plan's pre-paid "
        "period or package) are paid, as the desk sees it at checkout.",
    )

    patient_booking_status = fields.Selection(
        related="patient_id.booking_status", string="Booking Status"
    )

    @api.depends("patient_id", "product_id", "start", "plan_id")
    def _compute_session_price(self):
        rule = self.env["clinic.charge.rule"]
        for session in self:
            if not (session.id and session.start and session.patient_id and session.product_id):
                session.session_price = 0.0
                continue
            session.session_price = rule._charge(session, "attended").amount

    def _compute_desk_payment(self):
        rule = self.env["clinic.charge.rule"]
        for session in self:
            # Its own invoices, or its plan's pre-paid period or package that covers it.
            invoices = rule._checkout_invoices(session).filtered(
                lambda move: move.state == "posted"
            )
            if not invoices:
                session.desk_payment = "nothing"
            elif session.currency_id.compare_amounts(invoices._clinic_amount_due(), 0) > 0:
                session.desk_payment = "due"
            else:
                session.desk_payment = "paid"

    # ------------------------------------------------------------------ actions

    def action_open_patient(self):
        """The session's patient, from the session form."""
        self.ensure_one()
        self.patient_id.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "clinic.patient",
            "res_id": self.patient_id.id,
            "view_mode": "form",
            "views": [[False, "form"]],
        }

    def action_check_in(self):
        """The patient is at the desk."""
        self._desk_mark("arrived_at")
        return True

    def action_check_out(self):
        """The patient leaves: recorded, the session billed by its mode if the charge rule says
        it owes what no invoice holds yet (``_desk_invoice``), then the payment of what the
        invoices covering it (its own, its plan's pre-paid period or package) still wait for;
        or what covers it (which invoice, paid), or why it is not billed yet."""
        self.ensure_one()
        self._desk_mark("left_at")
        not_billed = self._desk_invoice()
        payment = self.env["clinic.session.payment"].new({"session_id": self.id})
        if not payment.amount_due:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning" if not_billed else "info",
                    "sticky": bool(not_billed),
                    "title": self.env._("Checked out, not billed yet")
                    if not_billed
                    else self.env._("Checked out"),
                    "message": self.env._(
                        "%(session)s: %(reason)s. Take the payment once it is billed.",
                        session=self.display_name,
                        reason=not_billed,
                    )
                    if not_billed
                    else self.env._(
                        "%(session)s: %(summary)s",
                        session=self.display_name,
                        summary=payment.summary,
                    ),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Take a Payment"),
            "res_model": "clinic.session.payment",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"active_id": self.id, "active_model": self._name},
        }

    # ------------------------------------------------------------------ business

    @api.private
    def _desk_invoice(self):
        """Bill the session at checkout what the clinic's charge rule says it owes now and no
        invoice holds yet, as the billing run would bill it (``_billing_due``, priced by
        ``clinic.charge.rule``; ``_checkout_due`` by mode): a session billed per session, a
        pre-paid session its plan's run has not billed yet, or the next package of a package
        plan when no package bought covers the session. The invoice is posted, so the price
        the desk showed is the price billed and the desk takes the payment before the patient
        leaves. Credits are left to the billing run.

        The session's row (and a package plan's) is locked first: a second checkout, or a
        billing run, of the same session at the same moment waits (the run skips it) and then
        bills nothing twice; the unique indexes on invoice lines
        (``account_move_line._clinic_session_charge_uniq``, ``_clinic_plan_package_uniq``)
        hold even without the lock. Returns why the session is not billed yet, or None."""
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(
            "SELECT id FROM clinic_session WHERE id = %s FOR NO KEY UPDATE", [self.id]
        )
        if self.plan_id and self._billing_mode() == "package":
            self.env.cr.execute(
                "SELECT id FROM clinic_plan WHERE id = %s FOR NO KEY UPDATE", [self.plan_id.id]
            )
        rule = self.env["clinic.charge.rule"]
        due, reason = rule._checkout_due(self)
        if reason or not due:
            return reason
        company = self.company_id
        day = company._clinic_local_date(self.start)
        run = (
            self.env["clinic.billing.run"]
            .sudo()
            .new({"company_id": company.id, "date_from": day, "date_to": day})
        )
        rule._touch_plans(self.env["clinic.plan"].union(*(plan for _kind, plan in due if plan)))
        lines = [
            run._line_values(self.patient_id, None if plan else self, plan, kind)
            for kind, plan in due
        ]
        values = run._move_values(self.patient_id._billing_partner(), lines, "out_invoice")
        values["invoice_origin"] = self.env._("Checkout: %(session)s", session=self.display_name)
        invoice = self.env["account.move"].sudo().create(values)
        invoice.action_post()
        return None

    @api.private
    def _desk_mark(self, marker):
        """Set ``marker`` (``DESK_MARKERS``) to now on the sessions, as the front desk."""
        check_access_first(self, "write")
        if not (self.env.su or self.env.user.has_group(FRONT_DESK)):
            raise UserError(self.env._("Only the front desk checks patients in and out."))
        states, needs = DESK_MARKERS[marker]
        labels = dict(self._fields["state"]._description_selection(self.env))
        for session in self:
            if session[marker]:
                continue
            if session.state not in states:
                raise UserError(
                    self.env._(
                        "Session %(session)s is %(state)s: %(marker)s is recorded only when it "
                        "is %(states)s.",
                        session=session.display_name,
                        state=labels[session.state],
                        marker=self._fields[marker].get_description(self.env)["string"],
                        states=" / ".join(labels[state] for state in states),
                    )
                )
            if needs and not session[needs]:
                raise UserError(
                    self.env._(
                        "Session %(session)s: check the patient in before checking them out.",
                        session=session.display_name,
                    )
                )
        self.filtered(lambda session: not session[marker])._workflow_write(
            {marker: fields.Datetime.now()}
        )
