"""The front desk's and the manager's day over JSON-RPC, as their clients call it: arrival and
departure, what a session costs, what the desk and the therapist may see, the schedule's move
check, the unbilled sessions, the cancel dialog's fee and the names in the access log."""

import ast

from odoo import fields
from odoo.tests import tagged

from .rpc_common import RpcCase, call_kw


@tagged("post_install", "-at_install")
class TestDesk(RpcCase):
    def _call(self, user, model, method, args=(), kwargs=None, context=None):
        self.authenticate(user.login, user.login)
        return call_kw(self, model, method, args, kwargs, context)

    def _ok(self, body):
        self.assertNotIn("error", body, body.get("error"))
        return body["result"]

    def _refused(self, body, pattern):
        self.assertIn("error", body, body)
        self.assertRegex(body["error"]["data"]["message"], pattern)

    def test_the_desk_checks_in_and_out_in_order(self):
        session = self._session("confirmed")
        self._refused(
            self._call(self.user_front_desk, "clinic.session", "action_check_out", [session.ids]),
            r"Left is recorded only when it is In Progress / Done",
        )
        self._refused(
            self._call(self.user_therapist, "clinic.session", "action_check_in", [session.ids]),
            r"Only the front desk checks patients in and out",
        )
        self._ok(
            self._call(self.user_front_desk, "clinic.session", "action_check_in", [session.ids])
        )
        self.assertTrue(session.arrived_at)
        # The markers are the desk's buttons', never written directly.
        self._refused(
            self._call(
                self.user_front_desk,
                "clinic.session",
                "write",
                [session.ids, {"left_at": fields.Datetime.to_string(fields.Datetime.now())}],
            ),
            r"cannot be written directly",
        )

    def test_the_desk_sees_the_price_and_balance_the_therapist_does_not(self):
        session = self._session("confirmed")
        fields_ = ["session_price", "patient_balance_owed", "charge_amount"]
        row = self._ok(
            self._call(self.user_front_desk, "clinic.session", "read", [session.ids, fields_])
        )[0]
        self.assertGreater(row["session_price"], 0)
        self._refused(
            self._call(self.user_therapist, "clinic.session", "read", [session.ids, fields_]),
            r"not allowed to|access",
        )

    def test_the_desk_reads_no_clinical_content_of_the_session(self):
        session = self._session(patient=self.nadia)
        row = self._ok(
            self._call(
                self.user_front_desk,
                "clinic.session",
                "read",
                [
                    session.ids,
                    [
                        "patient_booking_status",
                        "patient_screening_verdict",
                        "patient_excluded_region_ids",
                    ],
                ],
            )
        )[0]
        self.assertEqual(row["patient_booking_status"], "ask_therapist")
        self.assertFalse(row["patient_screening_verdict"])
        self.assertFalse(row["patient_excluded_region_ids"])

    def test_a_move_onto_a_busy_therapist_is_refused_before_it_is_written(self):
        session = self._session()
        other = self._draft(self.patient_2, therapist=self.therapist_2)
        vals = {
            "therapist_id": self.therapist_2.id,
            "start": fields.Datetime.to_string(other.start),
            "stop": fields.Datetime.to_string(other.stop),
        }
        if other.room_id == session.room_id:
            vals["room_id"] = (self.room | self.room_2 - session.room_id)[:1].id
        message = self._ok(
            self._call(
                self.user_front_desk, "clinic.session", "check_schedule_move", [session.ids, vals]
            )
        )
        self.assertIn("Theo Therapist is already booked at that time", message)
        self.env.invalidate_all()
        self.assertEqual(session.therapist_id, self.therapist, "the trial move was kept")
        free = self._ok(
            self._call(
                self.user_front_desk,
                "clinic.session",
                "check_schedule_move",
                [session.ids, {"therapist_id": self.therapist_2.id}],
            )
        )
        self.assertFalse(free)
        self.env.invalidate_all()
        self.assertEqual(session.therapist_id, self.therapist)

    def test_sessions_not_yet_billed_leave_out_free_cancellations(self):
        free = self._session("cancelled")  # in time: more notice than the policy asks
        by_clinic = self._session("cancelled", past=True, party="clinic")
        done = self._session("done")
        action = self.env.ref("trigger_point_clinic.clinic_session_action_to_invoice")
        found = self._ok(
            self._call(
                self.user_manager,
                "clinic.session",
                "search",
                [ast.literal_eval(action.domain)],
            )
        )
        self.assertIn(done.id, found)
        self.assertNotIn(free.id, found)
        self.assertNotIn(by_clinic.id, found)

    def test_the_cancel_dialog_shows_the_fee(self):
        self.company.write({"clinic_late_cancel_fee": 20.0, "clinic_late_cancel_fee_type": "fixed"})
        session = self._book(
            self._local(fields.Datetime.now()).replace(second=0, microsecond=0),
            patient_id=self.patient.id,
            therapist_id=self.therapist.id,
            room_id=self.room.id,
            forced_schedule=True,
        )
        self.authenticate(self.user_front_desk.login, self.user_front_desk.login)
        wizard_id = self._ok(
            call_kw(
                self,
                "clinic.session.cancel",
                "create",
                [{"session_ids": [(6, 0, session.ids)], "reason": "Stuck in traffic"}],
            )
        )
        wizard_id = wizard_id[0] if isinstance(wizard_id, list) else wizard_id
        row = self._ok(
            call_kw(self, "clinic.session.cancel", "read", [[wizard_id], ["fee_summary"]])
        )
        self.assertIn("a fee of", row[0]["fee_summary"])
        # Tax included, as the invoice will say (the fee's product is taxed at 15 %).
        self.assertIn("23.00", row[0]["fee_summary"])

    def test_an_override_is_named_after_its_session(self):
        session = self._session(patient=self.nadia)
        override = (
            self.env["clinic.screening.override"]
            .with_user(self.user_manager)
            .create(
                {
                    "patient_id": self.nadia.id,
                    "session_id": session.id,
                    "reason": "Her physician confirmed the clot has resolved.",
                }
            )
        )
        row = self._ok(
            self._call(
                self.user_manager,
                "clinic.screening.override",
                "read",
                [override.ids, ["display_name"]],
            )
        )[0]
        self.assertNotIn("clinic.screening.override,", row["display_name"])
        self.assertIn("Nadia Benali", row["display_name"])

    def test_a_manager_refused_by_the_screening_gets_the_override_button(self):
        session = self._session(patient=self.nadia)
        body = self._call(self.user_manager, "clinic.session", "action_confirm", [session.ids])
        self._refused(body, r"ask a manager to override the screening")
        _message, action, button, _context = body["error"]["data"]["arguments"]
        self.assertEqual(button, "Override")
        self.assertEqual(action["res_model"], "clinic.screening.override")
        self.assertEqual(action["context"]["default_session_id"], session.id)
        # The front desk is told to ask a manager, without a button or the clinical reasons.
        body = self._call(self.user_front_desk, "clinic.session", "action_confirm", [session.ids])
        self._refused(body, r"ask a manager")
        self.assertEqual(len(body["error"]["data"]["arguments"]), 1)
        self.assertNotIn("thrombosis", body["error"]["data"]["message"].lower())
