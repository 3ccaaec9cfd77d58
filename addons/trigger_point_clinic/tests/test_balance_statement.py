"""A patient's balance (owed, credited, paid in advance) and statement: read by the front desk
and managers over HTTP, by the patient on the portal for their own, never by therapists."""

import json
from datetime import timedelta
from urllib.parse import quote

from odoo import fields
from odoo.tests import tagged

from .rpc_common import RpcCase
from .test_charge_rule import _amounts, _text

STATEMENT = "trigger_point_clinic.report_clinic_statement"


@tagged("post_install", "-at_install")
class TestBalanceAndStatement(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env.ref("trigger_point_clinic.product_trigger_point_session")
        cls.product.write({"lst_price": 70.0, "taxes_id": [fields.Command.clear()]})
        cls.company.write({"clinic_invoice_post": True, "clinic_require_signed_note": False})
        cls.sol = cls.patient
        cls.user_sol = cls._portal_user(cls.sol, "sol_balance")
        cls.user_tom = cls._portal_user(cls.patient_2, "tom_balance")

    def _run(self, date_from, date_to):
        run = self.env["clinic.billing.run"].create(
            {
                "date_from": date_from,
                "date_to": date_to,
                "patient_ids": [fields.Command.set(self.sol.ids)],
            }
        )
        run.action_run()
        return run.move_ids

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()

    def _history(self):
        """Two sessions of a weekly plan billed in advance (140.00) and paid; the clinic
        cancels one (credit note 70.00); an attended session billed per session (70.00),
        unpaid."""
        plan = self.env["clinic.plan"].create(
            {
                "patient_id": self.sol.id,
                "therapist_id": self.therapist.id,
                "room_id": self.room.id,
                "monday": True,
                "hour": 10.0,
                "billing_mode": "weekly",
                "date_start": fields.Date.today(),
            }
        )
        first, second = (
            self._book(
                self._next_weekday(2, 10, weeks_ahead=1),
                plan_id=plan.id,
                plan_slot_date=self._next_weekday(2, 10, weeks_ahead=1).date(),
                forced_schedule=True,
            ),
            self._book(
                self._next_weekday(3, 10, weeks_ahead=1),
                plan_id=plan.id,
                plan_slot_date=self._next_weekday(3, 10, weeks_ahead=1).date(),
                forced_schedule=True,
            ),
        )
        days = sorted((first.start.date(), second.start.date()))
        week = days[0] - timedelta(days=1), days[1] + timedelta(days=1)
        prepaid = self._run(*week)
        self.assertAlmostEqual(prepaid.amount_total, 140.0)
        self._pay(prepaid)
        second._cancel("Therapist ill", "clinic")
        refund = self._run(*week)
        self.assertEqual(refund.move_type, "out_refund")
        past = self._book(
            self._next_weekday(1, 10, weeks_ahead=-1), state="done", forced_schedule=True
        )
        owed = self._run(past.start.date(), past.start.date())
        self.assertAlmostEqual(owed.amount_total, 70.0)
        return prepaid, refund, owed

    def test_balance_on_the_patient_form_for_the_front_desk_not_therapists(self):
        self._history()
        fields_ = ["balance_owed", "balance_credited", "balance_prepaid"]
        for role in ("front_desk", "manager"):
            with self.subTest(role=role):
                (values,) = self.assertRpc(
                    role, True, "clinic.patient", "read", [self.sol.ids, fields_]
                )
                self.assertEqual(
                    (values["balance_owed"], values["balance_credited"], values["balance_prepaid"]),
                    (70.0, 70.0, 70.0),
                    "owed: the unpaid session; credited: the credit note; in advance: the paid "
                    "session still to come",
                )
        self.assertRpc(
            "therapist",
            r"balance|not allowed|access",
            "clinic.patient",
            "read",
            [self.sol.ids, fields_],
        )

    def test_statement_over_the_route(self):
        prepaid, refund, owed = self._history()
        today = fields.Date.today()
        options = quote(
            json.dumps(
                {
                    "date_from": fields.Date.to_string(today - timedelta(days=1)),
                    "date_to": fields.Date.to_string(today + timedelta(days=1)),
                }
            )
        )
        url = f"/report/html/{STATEMENT}/{self.sol.id}?options={options}"
        self.authenticate(self.user_manager.login, self.user_manager.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        page = response.text
        for name in (prepaid.name, refund.name, owed.name):
            self.assertIn(name, page)
        text = _text(page[page.index("o_clinic_opening") :])
        amounts = _amounts(text)
        self.assertEqual(amounts[0], 0.0, "opening balance")
        # invoices 140 + 70, credit note -70, payment -140: closing 0 + 70 - ... = 0.00 owed net
        self.assertAlmostEqual(amounts[-1], 140.0 + 70.0 - 70.0 - 140.0)
        self.assertIn("Payment", text)

        self.authenticate(self.user_therapist.login, self.user_therapist.login)
        refused = self.url_open(url)
        self.assertNotEqual(refused.status_code, 200)
        self.assertNotIn(owed.name, refused.text)

        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "ok":
            self.authenticate(self.user_front_desk.login, self.user_front_desk.login)
            pdf = self.url_open(f"/report/pdf/{STATEMENT}/{self.sol.id}?options={options}")
            self.assertEqual(pdf.status_code, 200)
            self.assertEqual(pdf.headers["Content-Type"], "application/pdf")

    def test_the_patient_reads_their_own_on_the_portal_only(self):
        _prepaid, _refund, owed = self._history()
        self.authenticate("sol_balance", "sol_balance")
        page = self.url_open("/my/clinic/balance")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(_amounts(_text(page.text.split("o_clinic_balance", 1)[1]))[:3], [70.0] * 3)
        statement = self.url_open("/my/clinic/statement")
        self.assertEqual(statement.status_code, 200)
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "ok":
            self.assertEqual(statement.headers["Content-Type"], "application/pdf")
        else:
            self.assertIn(owed.name, statement.text)
        bad = self.url_open("/my/clinic/statement?date_from=2026-12-31&date_to=2026-01-01")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("before it starts", bad.text)
        self.assertRpc(
            "portal",
            r"not allowed|access",
            "clinic.patient",
            "read",
            [self.sol.ids, ["balance_owed"]],
        )

        self.authenticate("tom_balance", "tom_balance")
        other = self.url_open(f"/report/html/{STATEMENT}/{self.sol.id}")
        self.assertNotEqual(other.status_code, 200)
        self.assertNotIn(owed.name, other.text)
        own = self.url_open("/my/clinic/balance")
        self.assertEqual(_amounts(_text(own.text.split("o_clinic_balance", 1)[1]))[:3], [0.0] * 3)
