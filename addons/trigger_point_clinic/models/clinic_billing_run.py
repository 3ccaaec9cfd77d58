from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_cron import lock_free, single_run
from .clinic_dates import check_period, utc_bounds
from .clinic_workflow import MANAGER, check_access_first

PREPAID = ("weekly", "monthly")
CREDITS = ("credit", "deposit_credit")


class ClinicBillingRun(models.Model):
    """One billing run over a period: the invoices it created and the sessions it left out,
    with the reason. Runs are safe to repeat: what is billed is never billed again."""

    _name = "clinic.billing.run"
    _description = "Billing Run"
    _inherit = ["clinic.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _workflow_fields = ("state", "move_ids", "user_id", "name")
    _workflow_transitions = {("draft", "done"): MANAGER}

    name = fields.Char(compute="_compute_name", store=True)
    date_from = fields.Date(string="From", required=True, default=lambda self: self._last_week()[0])
    date_to = fields.Date(string="To", required=True, default=lambda self: self._last_week()[1])
    patient_ids = fields.Many2many(
        comodel_name="clinic.patient",
        string="Only These Patients",
        help="Empty: every patient.",
        check_company=True,
    )
    plan_ids = fields.Many2many(
        comodel_name="clinic.plan",
        string="Only These Plans",
        help="Empty: every session.",
        check_company=True,
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    user_id = fields.Many2one(
        comodel_name="res.users", default=lambda self: self.env.user, readonly=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    move_ids = fields.Many2many(comodel_name="account.move", string="Invoices", readonly=True)
    skip_ids = fields.One2many(
        comodel_name="clinic.billing.skip", inverse_name="run_id", string="Not Billed"
    )
    move_count = fields.Integer(compute="_compute_counts")
    line_count = fields.Integer(compute="_compute_counts", string="Lines Billed")
    skip_count = fields.Integer(compute="_compute_counts")

    @api.depends("date_from", "date_to")
    def _compute_name(self):
        for run in self:
            if run.date_from and run.date_to:
                run.name = self.env._(
                    "Billing %(start)s to %(stop)s", start=run.date_from, stop=run.date_to
                )
            else:
                run.name = self.env._("New Billing Run")

    @api.model
    def _last_week(self):
        """Monday and Sunday of the week before this one, in the clinic's time: what a run
        bills by default."""
        today = fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday(), weeks=1)
        return monday, monday + timedelta(days=6)

    @api.depends("move_ids", "skip_ids")
    def _compute_counts(self):
        for run in self:
            run.move_count = len(run.move_ids)
            run.line_count = len(run.move_ids.invoice_line_ids.filtered("clinic_charge"))
            run.skip_count = len(run.skip_ids)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for run in self:
            check_period(self.env, run.date_from, run.date_to)

    def write(self, vals):
        check_access_first(self, "write")
        if set(vals) & {"date_from", "date_to", "patient_ids", "plan_ids", "company_id"} and (
            self.filtered(lambda run: run.state == "done")
        ):
            raise UserError(
                self.env._("A billing run that has run does not change: start a new one.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def action_run(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("This billing run is done: start a new one."))
        # The role check first: nothing is billed (as the clinic) for someone who may not.
        self.check_access("write")
        self._check_transition("done")
        self.with_company(self.company_id)._run()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_invoices(self):
        self.ensure_one()
        self.check_access("read")
        return self.move_ids._clinic_action()

    # ------------------------------------------------------------------ business

    def _run(self):
        """Bill the period: lock the sessions in reach, work out what each owes by the one
        billing rule (``clinic.session._billing_due``), and create one customer invoice per
        billing partner (and a credit note where credits outweigh charges)."""
        self.ensure_one()
        company = self.company_id
        sessions = self._sessions_in_reach()
        locked = self._lock(sessions)
        skips = [
            {
                "run_id": self.id,
                "session_id": session.id,
                "reason": self.env._(
                    "Being changed by someone else right now: the next run bills it"
                ),
            }
            for session in sessions - locked
        ]
        sessions = locked
        billed = sessions._billed_charges()
        charges = []
        for session in sessions:
            due, reason = session._billing_due(billed[session.id])
            if reason:
                skips.append({"run_id": self.id, "session_id": session.id, "reason": reason})
            charges += [(session.patient_id, session, None, kind) for kind in due]
        plans = self._package_plans(sessions)
        self.env["clinic.charge.rule"]._touch_plans(plans)
        charges += [(plan.patient_id, None, plan, "package") for plan in plans]
        moves = self._create_moves(charges)
        if company.clinic_invoice_post and moves:
            moves.action_post()
        self.env["clinic.billing.skip"].sudo().create(skips)
        sessions.sudo()._workflow_write({"billing_run_id": self.id})
        self._workflow_write({"state": "done", "move_ids": [fields.Command.set(moves.ids)]})
        moves._clinic_charge_saved_cards()
        return moves

    def _sessions_in_reach(self):
        """The period's sessions, and the cancelled sessions billed in advance or with a deposit
        (the charge rule may credit them, whatever their date), within the run's filters."""
        start, stop = utc_bounds(self.company_id._clinic_tz(), self.date_from, self.date_to)
        scope = [("company_id", "=", self.company_id.id)]
        if self.patient_ids:
            scope.append(("patient_id", "in", self.patient_ids.ids))
        if self.plan_ids:
            scope.append(("plan_id", "in", self.plan_ids.ids))
        sessions = self.env["clinic.session"].sudo()
        in_period = sessions.search([*scope, ("start", ">=", start), ("start", "<", stop)])
        to_credit = sessions.search(
            [
                *scope,
                ("state", "=", "cancelled"),
                ("invoice_line_ids.clinic_charge", "in", ("session", "deposit")),
                ("invoice_line_ids.parent_state", "!=", "cancel"),
            ]
        )
        return (in_period | to_credit).sorted(lambda s: (s.start, s.id))

    def _lock(self, sessions):
        """Lock the sessions to bill and return those locked: a session locked by a concurrent
        run (or being saved by someone) is left for the next run instead of stopping this one,
        so a concurrent run never waits and never bills a session twice. A session changed and
        committed by another transaction since this one began raises PostgreSQL's
        serialization failure, which Odoo answers by running the request again."""
        return lock_free(sessions)

    def _package_plans(self, sessions):
        """Package plans with a session in the period and no session left on their package,
        locked like the sessions: a plan another run is billing is left to the next run."""
        plans = sessions.filtered(lambda s: s.state != "cancelled").plan_id
        if self.plan_ids:
            plans &= self.plan_ids
        plans = plans.filtered(lambda p: p.billing_mode == "package")
        return lock_free(plans).filtered(lambda p: p.package_balance <= 0)

    def _create_moves(self, charges):
        """One invoice per billing partner for what is owed, and one credit note per billing
        partner and credited invoice for what is given back (reversing that invoice): credits
        are never negative lines of an invoice."""
        debits = defaultdict(list)
        credits = defaultdict(list)
        for patient, session, plan, kind in charges:
            partner = patient._billing_partner()
            line = self._line_values(patient, session, plan, kind)
            if kind in CREDITS:
                origin = self._credited_move(session, kind)
                credits[partner, origin].append(line)
            else:
                debits[partner].append(line)
        vals_list = [
            self._move_values(partner, lines, "out_invoice") for partner, lines in debits.items()
        ]
        for (partner, origin), lines in credits.items():
            vals = self._move_values(partner, lines, "out_refund")
            if origin:
                vals["reversed_entry_id"] = origin.id
                vals["ref"] = self.env._("Reversal of: %(move)s", move=origin.name)
            vals_list.append(vals)
        return self.env["account.move"].sudo().create(vals_list)

    @api.model
    def _credited_move(self, session, kind):
        """The posted invoice a credit of ``kind`` gives back from, if any."""
        charge = "deposit" if kind == "deposit_credit" else "session"
        return (
            session._billed_lines(charge)
            .filtered(lambda line: line.move_id.move_type == "out_invoice")
            .move_id.filtered(lambda move: move.state == "posted")[:1]
        )

    def _move_values(self, partner, lines, move_type):
        return {
            "move_type": move_type,
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "invoice_date": fields.Date.context_today(self),
            "invoice_origin": self.name,
            "invoice_line_ids": [fields.Command.create(line) for line in lines],
        }

    def _line_values(self, patient, session, plan, kind):
        if kind == "package":
            price = patient._clinic_price(plan.product_id, self.date_from)
            bought = plan.sudo().invoice_line_ids.filtered(
                lambda line: line.clinic_charge == "package" and line.parent_state != "cancel"
            )
            return {
                "product_id": plan.product_id.id,
                "name": self.env._(
                    "Package of %(count)s sessions: %(plan)s",
                    count=plan.package_size,
                    plan=plan.display_name,
                ),
                "quantity": plan.package_size,
                "price_unit": price,
                "clinic_plan_id": plan.id,
                "clinic_charge": kind,
                "clinic_package_size": plan.package_size,
                "clinic_package_number": len(bought) + 1,
            }
        rule = self.env["clinic.charge.rule"]
        label = session._billing_label()
        quantity = 1
        if kind in ("deposit_deduction", "deposit_credit"):
            charge = rule._charge(session)
            deposit = rule._deposit_lines(session)
            part = (
                charge.deposit_kept
                if kind == "deposit_deduction"
                else (charge.deposit - charge.deposit_kept)
            )
            product = deposit[:1].product_id
            price = sum(deposit.mapped("price_subtotal")) * part / charge.deposit
            if kind == "deposit_deduction":
                quantity = -1
                label = self.env._("Deposit paid: %(session)s", session=label)
            else:
                label = self.env._("Deposit credited: %(session)s", session=label)
        else:
            product, price = rule._line_price(session, "session" if kind == "credit" else kind)
            labels = {
                "no_show_fee": self.env._("No-show fee: %(session)s", session=label),
                "late_cancel_fee": self.env._("Late cancellation fee: %(session)s", session=label),
                "credit": self.env._("Credit, cancelled session: %(session)s", session=label),
            }
            label = labels.get(kind, label)
        return {
            "product_id": product.id,
            "name": label,
            "quantity": quantity,
            "price_unit": self.company_id.currency_id.round(price),
            "clinic_session_id": session.id,
            "clinic_plan_id": session.plan_id.id,
            "clinic_charge": kind,
        }

    @api.model
    @single_run
    def _cron_bill(self):
        """Daily: bill attended sessions up to yesterday (post-paid), the current week of
        weekly plans and the current month of monthly plans (pre-paid). Re-running the same
        period bills only what is new."""
        today = fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday())
        month_start = today.replace(day=1)
        month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        done = self.browse()
        for company in self.env["res.company"].search([]):
            runs = self.with_company(company)
            plans = runs.env["clinic.plan"].search([("company_id", "=", company.id)])
            for date_from, date_to, mode_plans in (
                (today - timedelta(days=31), today - timedelta(days=1), None),
                (
                    monday,
                    monday + timedelta(days=6),
                    plans.filtered(lambda p: p.billing_mode == "weekly"),
                ),
                (month_start, month_end, plans.filtered(lambda p: p.billing_mode == "monthly")),
                (
                    monday,
                    monday + timedelta(days=6),
                    plans.filtered(lambda p: p.billing_mode == "package"),
                ),
            ):
                if mode_plans is not None and not mode_plans:
                    continue
                run = runs.create(
                    {
                        "date_from": date_from,
                        "date_to": date_to,
                        "company_id": company.id,
                        "plan_ids": [fields.Command.set(mode_plans.ids)] if mode_plans else [],
                    }
                )
                run._run()
                done |= run
        return done
