"""Two transactions charging the same invoice to the saved card at the same moment: one
transaction of the payment framework per invoice and attempt, whatever the timing."""

import base64
from datetime import datetime, timedelta

import pytz

from odoo import fields
from odoo.tests import tagged

from .common import ClinicCase, CommittedCase


class BillingRaceCase(CommittedCase):
    """The committed patient and attended sessions of test_concurrent_billing."""

    def setUp(self):
        super().setUp()
        env = self._env()
        self.therapist = env["clinic.therapist"].create({"name": "Card Race Therapist"})
        self.room = env["clinic.room"].create({"name": "Card Race Room"})
        self.patient = env["clinic.patient"].create({"name": "Card Race Patient"})
        intake = env["clinic.intake"].create({"patient_id": self.patient.id})
        intake.answer_ids.write({"answer": "no"})
        intake.write(
            {
                "consent": True,
                "signer_name": self.patient.name,
                "signature": base64.b64encode(ClinicCase._signature_png()),
            }
        )
        intake.action_submit()
        today = fields.Date.today()
        self.monday = today - timedelta(days=today.weekday(), weeks=2)
        tz = env.company._clinic_tz()
        sessions = env["clinic.session"].create(
            [
                {
                    "patient_id": self.patient.id,
                    "therapist_id": self.therapist.id,
                    "room_id": self.room.id,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                }
                for day in range(3)
                for start in [
                    tz.localize(
                        datetime.combine(self.monday + timedelta(days=day), datetime.min.time())
                        + timedelta(hours=10)
                    )
                    .astimezone(pytz.utc)
                    .replace(tzinfo=None)
                ]
            ]
        )
        sessions.action_confirm()
        sessions.action_start()
        sessions.action_done()
        self.session_ids = sessions.ids
        # Attended sessions are billed at once (the demo clinic waits for signed notes).
        self.required_note = env.company.clinic_require_signed_note
        env.company.clinic_require_signed_note = False
        env.cr.commit()
        self.addCleanup(self._remove)

    def _remove(self):
        env = self._env()
        lines = env["account.move.line"].search([("clinic_session_id", "in", self.session_ids)])
        runs = env["clinic.billing.run"].search([("patient_ids", "in", self.patient.ids)])
        moves = lines.move_id | runs.move_ids
        moves.filtered(lambda m: m.state == "posted").button_draft()
        moves.unlink()
        runs.unlink()
        env["clinic.session"].browse(self.session_ids).unlink()
        # A patient with a submitted intake is archived, never deleted: the record is kept.
        self.patient.with_env(env).action_archive()
        self.therapist.with_env(env).unlink()
        self.room.with_env(env).unlink()
        env.company.clinic_require_signed_note = self.required_note
        env.cr.commit()

    def _run(self, env):
        run = env["clinic.billing.run"].create(
            {
                "date_from": self.monday,
                "date_to": self.monday + timedelta(days=6),
                "patient_ids": [fields.Command.set(self.patient.ids)],
            }
        )
        return run._run()


@tagged("post_install", "-at_install")
class TestConcurrentCardCharges(BillingRaceCase):
    """The committed patient and sessions of the concurrent billing test, with a saved card
    that declines (so that the invoice stays open for a second charge to try)."""

    def setUp(self):
        super().setUp()
        env = self._env()
        self.posted = env.company.clinic_invoice_post
        env.company.clinic_invoice_post = True
        token = env["payment.token"].create(
            {
                "provider_id": env.ref("payment.payment_provider_demo").id,
                "payment_method_id": env.ref("payment_demo.payment_method_demo").id,
                "partner_id": self.patient.partner_id.id,
                "payment_details": "0002",
                "provider_ref": "demo-declined",
                "demo_simulated_state": "error",
            }
        )
        env["clinic.card.authorisation"]._clinic_authorise(
            self.patient.with_env(env), token, env.company._clinic_card_authorisation()
        )
        self.token_id = token.id
        invoice = self._run(env)
        self.invoice_id = invoice.id
        env.cr.commit()
        self.addCleanup(self._remove_cards)

    def _remove_cards(self):
        env = self._env()
        env["payment.transaction"].search([("clinic_invoice_id", "=", self.invoice_id)]).unlink()
        env["clinic.card.authorisation"].with_context(active_test=False).search(
            [("patient_id", "=", self.patient.id)]
        ).unlink()
        env["payment.token"].browse(self.token_id).unlink()
        env.company.clinic_invoice_post = self.posted
        env.cr.commit()

    def _attempts(self):
        check = self._env()
        check.cr.execute(
            "SELECT clinic_attempt, count(*) FROM payment_transaction "
            "WHERE clinic_invoice_id = %s GROUP BY clinic_attempt ORDER BY 1",
            [self.invoice_id],
        )
        return check.cr.fetchall()

    def _due_today(self, env):
        invoice = env["account.move"].browse(self.invoice_id)
        invoice.clinic_card_retry_date = fields.Date.today()
        env.cr.commit()
        return invoice

    def test_two_transactions_charge_an_invoice_once(self):
        # The run charged (and the card declined) once.
        self.assertEqual(self._attempts(), [(1, 1)])
        self._due_today(self._env())
        env_a, env_b = self._env(), self._env()
        invoice_a = env_a["account.move"].browse(self.invoice_id)
        invoice_b = env_b["account.move"].browse(self.invoice_id)
        # B takes its snapshot: it sees the invoice due for its second try.
        self.assertEqual(invoice_b.clinic_card_attempts, 1)
        values_b = invoice_b._clinic_charge_values(env_b["payment.token"].browse(self.token_id))
        # A charges (not committed yet); B, at the same moment, leaves the invoice to A
        # instead of waiting for it or charging it too.
        self.assertEqual(len(invoice_a._clinic_charge_saved_cards()), 1)
        self.assertFalse(invoice_b._clinic_charge_saved_cards())
        env_a.cr.commit()
        # B still sees the invoice as A found it: its charge of the same attempt, made past
        # the lock, is refused by the database and left out.
        self.assertEqual(values_b["clinic_attempt"], 2)
        self.assertFalse(env_b["account.move"]._clinic_create_transactions([values_b]))
        env_b.cr.commit()
        self.assertEqual(self._attempts(), [(1, 1), (2, 1)])
