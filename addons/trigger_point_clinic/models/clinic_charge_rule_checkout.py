"""The desk's checkout, by the clinic's one charge rule: what the patient owes for THIS session
in its billing mode, which invoice covers it (the session's own, or its plan's pre-paid period
or package), whether that invoice is paid, and what to collect now.

- per session: the session's invoice (billed now if not billed yet), or why it is held back;
- weekly / monthly pre-paid: the plan's invoice of the session, paid or to collect (billed now,
  as the plan's run would bill it, when the run has not yet);
- package: the package invoice the session draws on, paid or to collect (the next package sold
  now, as the run would sell it, when no package bought covers the session).
"""

from odoo import api, models

from .clinic_billing_run import CREDITS, PREPAID
from .clinic_plan import _uses_package

# A payment the provider has accepted and not settled yet (``clinic_online_booking_payment``'s
# UNDER_WAY; not imported: that module's model is built after this one).
UNDER_WAY = ("pending", "authorized")


class ClinicChargeRule(models.AbstractModel):
    _inherit = "clinic.charge.rule"

    @api.model
    def _package_covering(self, session):
        """The package number of its plan that ``session`` draws on, counting it as used (it
        is being checked out): the plan's sessions that use a package, in time order, fill
        package 1, then 2, ..."""
        session = session.sudo()
        plan = session.plan_id
        using = plan.session_ids.filtered(_uses_package) | session
        ordered = using.sorted(lambda s: (s.start, s.id))
        return ordered.ids.index(session.id) // max(plan.package_size, 1) + 1

    @api.model
    def _touch_plans(self, plans):
        """A new version of the rows of ``plans``, in the transaction that sells them a
        package: a checkout or billing run that began before it commits and then locks the
        plan fails to serialize and runs again, seeing the package sold (a lock alone would
        let it sell the same package from its older snapshot, which the unique index then
        refuses)."""
        if plans.ids:
            self.env.cr.execute(
                "UPDATE clinic_plan SET write_date = write_date WHERE id = ANY(%s)", [plans.ids]
            )

    @api.model
    def _package_lines(self, plan):
        return plan.sudo().invoice_line_ids.filtered(
            lambda line: line.clinic_charge == "package" and line.parent_state != "cancel"
        )

    @api.model
    def _checkout_due(self, session):
        """What checking ``session`` out bills now, by its mode: [(kind, plan or None)], and
        why it is not billed yet (or None). Credits are left to the billing run."""
        session = session.sudo()
        mode = session._billing_mode()
        if mode == "package":
            plan = session.plan_id
            number = self._package_covering(session)
            bought = len(self._package_lines(plan))
            return ([("package", plan)] if number > bought else []), None
        due, reason = session._billing_due(session._billed_charges()[session.id])
        if mode in PREPAID and reason:
            reason = None
        return [(kind, None) for kind in due if kind not in CREDITS], reason

    @api.model
    def _checkout_invoices(self, session):
        """The posted customer invoices that cover ``session``: its own (per session, and the
        pre-paid plan's invoice of it) or the package it draws on."""
        session = session.sudo()
        if not session.id:
            return self.env["account.move"]
        if session._billing_mode() == "package":
            if session.state not in ("in_progress", "done") and not _uses_package(session):
                return self.env["account.move"]
            number = self._package_covering(session)
            lines = self._package_lines(session.plan_id).filtered(
                lambda line: line.clinic_package_number == number
            )
        else:
            lines = session._billed_lines().filtered(lambda line: line.clinic_charge not in CREDITS)
        return lines.move_id.filtered(lambda move: move.move_type == "out_invoice")

    @api.model
    def _checkout_text(self, session):
        """One sentence for the desk: what the patient owes for ``session`` now, which invoice
        covers it and whether it is paid."""
        session = session.sudo()
        _ = self.env._
        mode = session._billing_mode()
        invoices = self._checkout_invoices(session)
        posted = invoices.filtered(lambda move: move.state == "posted")
        pending = posted.filtered(
            lambda move: (
                move.payment_state in ("not_paid", "partial")
                and move.transaction_ids.filtered(lambda t: t.state in UNDER_WAY)
            )
        )
        due = (posted - pending)._clinic_amount_due()
        currency = session.company_id.currency_id
        names = ", ".join(posted.mapped("name"))
        if mode == "package":
            what = _("One session of the package (%(invoices)s)", invoices=names or "-")
        elif mode in PREPAID:
            what = _("Paid in advance with the plan (%(invoices)s)", invoices=names or "-")
        else:
            what = _("Billed per session (%(invoices)s)", invoices=names or "-")
        if invoices and not posted:
            return _(
                "%(what)s: the invoice is a draft; a manager posts it, then the desk collects it.",
                what=what,
            )
        if not posted:
            reason = self._checkout_due(session)[1]
            return _("Not billed yet: %(reason)s.", reason=reason or _("the billing run bills it"))
        if currency.compare_amounts(due, 0) > 0:
            text = _(
                "%(what)s: not paid, %(due)s to collect.",
                what=what,
                due=self._money(due, currency),
            )
        elif pending:
            text = _("%(what)s: nothing to collect here.", what=what)
        else:
            text = _("%(what)s: paid. Nothing more to pay.", what=what)
        if pending:
            text += " " + _(
                "The payment of %(invoices)s is pending at the provider: not collected here.",
                invoices=", ".join(pending.mapped("name")),
            )
        return text
