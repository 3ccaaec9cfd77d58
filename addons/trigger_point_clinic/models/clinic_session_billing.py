"""What a session owes, and what it was billed: the session asks the clinic's one charge rule
(``clinic.charge.rule``) and holds no price of its own; it keeps its invoice lines, its billing
status for the billing run and the desk, and how it reads on an invoice."""

from collections import defaultdict

from odoo import api, fields, models

from .clinic_workflow import FRONT_DESK, MANAGER


class ClinicSession(models.Model):
    _inherit = "clinic.session"
    # The billing run records itself on the sessions it bills.
    _workflow_fields = ("billing_run_id",)

    billing_run_id = fields.Many2one(
        comodel_name="clinic.billing.run", readonly=True, copy=False, string="Last Billing Run"
    )
    invoice_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="clinic_session_id",
        string="Invoice Lines",
        groups=MANAGER,
    )
    invoice_status = fields.Selection(
        [
            ("nothing", "Nothing to Bill"),
            ("to_invoice", "To Invoice"),
            ("blocked", "Blocked"),
            ("invoiced", "Invoiced"),
            ("credited", "Credited"),
            ("package", "Covered by Package"),
        ],
        compute="_compute_invoice_status",
        compute_sudo=True,
    )
    invoice_blocked_reason = fields.Char(compute="_compute_invoice_status", compute_sudo=True)
    amount_due = fields.Monetary(
        compute="_compute_invoice_status", compute_sudo=True, currency_field="currency_id"
    )
    charge_amount = fields.Monetary(
        string="What Cancelling Now Costs",
        compute="_compute_charge",
        compute_sudo=True,
        currency_field="currency_id",
        groups=f"{MANAGER},{FRONT_DESK}",
        help="Open session: what the patient pays if they cancel now. Closed session: what "
        "its outcome costs (the clinic's charge rule, tax included as invoiced).",
    )
    charge_summary = fields.Char(
        string="Charge",
        compute="_compute_charge",
        compute_sudo=True,
        groups=f"{MANAGER},{FRONT_DESK}",
    )

    @api.depends(
        "state",
        "late_cancel",
        "cancel_party",
        "treatment_note_state",
        "invoice_line_ids.parent_state",
        "invoice_line_ids.move_id.amount_residual",
    )
    def _compute_invoice_status(self):
        billed = self._billed_charges()
        for session in self:
            kinds = billed[session.id]
            due, reason = session._billing_due(kinds)
            if "credit" in kinds:
                status = "credited"
            elif due:
                status = "to_invoice"
            elif reason:
                status = "blocked"
            elif kinds:
                status = "invoiced"
            elif session._billing_mode() == "package" and session.state in ("done", "no_show"):
                status = "package"
            else:
                status = "nothing"
            session.invoice_status = status
            session.invoice_blocked_reason = reason
            session.amount_due = session._billed_lines().move_id._clinic_amount_due()

    @api.depends("state", "late_cancel", "cancel_party", "start", "plan_id", "product_id")
    def _compute_charge(self):
        rule = self.env["clinic.charge.rule"]
        for session in self:
            if not (session.id and session.start and session.patient_id and session.product_id):
                session.charge_amount = 0.0
                session.charge_summary = False
                continue
            charge = rule._charge_now(session)
            session.charge_amount = charge.amount
            session.charge_summary = rule._summary(charge) if charge.event else False

    # ------------------------------------------------------------------ actions

    def action_view_invoices(self):
        self.ensure_one()
        self.check_access("read")
        return self._billed_lines().move_id._clinic_action()

    # ------------------------------------------------------------------ business

    def _billing_mode(self):
        self.ensure_one()
        return self.plan_id.billing_mode if self.plan_id else "per_session"

    def _billing_due(self, billed):
        """What this session owes now, given the charges ``billed`` already (kinds on
        invoices that count): (kinds due, reason it is held back or None), as the clinic's
        charge rule says (``clinic.charge.rule._owed``)."""
        self.ensure_one()
        return self.env["clinic.charge.rule"]._owed(self, billed)

    def _billed_charges(self):
        """{session id: set of charges} on the invoices that count (not cancelled)."""
        billed = defaultdict(set)
        if not self.ids:
            return billed
        rows = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [("clinic_session_id", "in", self.ids), ("parent_state", "!=", "cancel")],
                ["clinic_session_id", "clinic_charge"],
            )
        )
        for session, charge in rows:
            billed[session.id].add(charge)
        return billed

    def _billed_lines(self, charge=None):
        lines = self.sudo().invoice_line_ids.filtered(lambda line: line.parent_state != "cancel")
        return lines.filtered(lambda line: line.clinic_charge == charge) if charge else lines

    def _billing_label(self):
        """How the session reads on an invoice: service, local date and time, therapist and
        patient."""
        self.ensure_one()
        when = self.company_id._clinic_local_datetime(self.start).strftime("%a %d %b %Y %H:%M")
        return f"{self.product_id.name}, {when}, {self.therapist_id.name}, {self.patient_id.name}"
