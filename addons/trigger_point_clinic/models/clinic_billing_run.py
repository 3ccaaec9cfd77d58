from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .clinic_cron import single_run
from .clinic_dates import check_period, utc_bounds
from .clinic_workflow import MANAGER, check_access_first

PREPAID = ("weekly", "monthly")


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
        for plan in self._package_plans(sessions):
            charges.append((plan.patient_id, None, plan, "package"))
        moves = self._create_moves(charges)
        if company.clinic_invoice_post and moves:
            moves.action_post()
        self.env["clinic.billing.skip"].sudo().create(skips)
        sessions.sudo()._workflow_write({"billing_run_id": self.id})
        self._workflow_write({"state": "done", "move_ids": [fields.Command.set(moves.ids)]})
        moves._clinic_charge_saved_cards()
        return moves

    def _sessions_in_reach(self):
        """The period's sessions, and the billed sessions the clinic cancelled since (they are
        credited whatever their date), within the run's filters."""
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
                ("cancel_party", "=", "clinic"),
                ("invoice_line_ids.clinic_charge", "=", "session"),
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
        if not sessions:
            return sessions
        sessions.flush_recordset()
        self.env.cr.execute(
            "SELECT id FROM clinic_session WHERE id = ANY(%s) FOR NO KEY UPDATE SKIP LOCKED",
            [sessions.ids],
        )
        locked_ids = {row[0] for row in self.env.cr.fetchall()}
        return sessions.filtered(lambda session: session.id in locked_ids)

    def _package_plans(self, sessions):
        """Package plans with a session in the period and no session left on their package,
        locked like the sessions: a plan another run is billing is left to the next run."""
        plans = sessions.filtered(lambda s: s.state != "cancelled").plan_id
        if self.plan_ids:
            plans &= self.plan_ids
        plans = plans.filtered(lambda p: p.billing_mode == "package")
        if not plans:
            return plans
        self.env.cr.execute(
            "SELECT id FROM clinic_plan WHERE id = ANY(%s) FOR NO KEY UPDATE SKIP LOCKED",
            [plans.ids],
        )
        locked_ids = {row[0] for row in self.env.cr.fetchall()}
        return plans.filtered(lambda p: p.id in locked_ids and p.package_balance <= 0)

    def _create_moves(self, charges):
        """One invoice per billing partner; credits go on it, or on a credit note of their own
        when they outweigh the charges (an invoice never totals below zero)."""
        by_partner = defaultdict(list)
        for patient, session, plan, kind in charges:
            by_partner[patient._billing_partner()].append(
                self._line_values(patient, session, plan, kind)
            )
        vals_list = []
        currency = self.company_id.currency_id
        for partner, lines in by_partner.items():
            credits = [line for line in lines if line["clinic_charge"] == "credit"]
            debits = [line for line in lines if line["clinic_charge"] != "credit"]
            net = sum(line["price_unit"] * line["quantity"] for line in lines)
            if credits and float_compare(net, 0, precision_rounding=currency.rounding) < 0:
                vals_list.append(self._move_values(partner, debits, "out_invoice"))
                for line in credits:
                    line["quantity"] = -line["quantity"]
                vals_list.append(self._move_values(partner, credits, "out_refund"))
            else:
                vals_list.append(self._move_values(partner, lines, "out_invoice"))
        vals_list = [vals for vals in vals_list if vals["invoice_line_ids"]]
        return self.env["account.move"].sudo().create(vals_list)

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
        company = self.company_id
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
        price = patient._clinic_price(session.product_id, session.start.date())
        product = session.product_id
        label = session._billing_label()
        quantity = 1
        if kind == "no_show_fee":
            product = self.env.ref("trigger_point_clinic.product_clinic_no_show_fee")
            price = _fee(company.clinic_no_show_fee_type, company.clinic_no_show_fee, price)
            label = self.env._("No-show fee: %(session)s", session=label)
        elif kind == "late_cancel_fee":
            product = self.env.ref("trigger_point_clinic.product_clinic_late_cancel_fee")
            price = company._clinic_late_cancel_fee_amount(price)
            label = self.env._("Late cancellation fee: %(session)s", session=label)
        elif kind == "credit":
            billed = session._billed_lines("session")
            price = billed[:1].price_unit if billed else price
            quantity = -1
            label = self.env._("Credit, cancelled by the clinic: %(session)s", session=label)
        return {
            "product_id": product.id,
            "name": label,
            "quantity": quantity,
            "price_unit": price,
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


def _fee(kind, amount, session_price):
    if kind == "percent":
        return session_price * amount / 100
    return amount
