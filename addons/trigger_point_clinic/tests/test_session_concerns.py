"""The session split by concern (booking, workflow, billing, reminders, My Day, the desk...):
the gate collects the workflow fields and transitions each file of ``clinic.session`` declares,
and a caller's write passes the gate once, whatever the number of files that override ``write``.
"""

from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..models.clinic_workflow import ClinicWorkflowMixin
from .rpc_common import RpcCase

MODELS = Path(__file__).resolve().parent.parent / "models"
# The files of the session's concerns, the gate and the charge rule: each short enough to read.
MAX_LINES = 450


@tagged("post_install", "-at_install")
class TestSessionConcerns(RpcCase):
    @contextmanager
    def _watched_gate(self):
        """The gate that checks a caller's values, its calls recorded (it still checks)."""
        with patch.object(
            ClinicWorkflowMixin,
            "_check_caller_values",
            autospec=True,
            side_effect=ClinicWorkflowMixin._check_caller_values,
        ) as gate:
            yield gate

    def _count_gate(self, role, method, args):
        """How many times the gate checked the caller's values during one JSON-RPC call."""
        with self._watched_gate() as gate:
            ok, result = self.rpc(role, "clinic.session", method, args)
        self.assertTrue(ok, result)
        return sum(1 for call in gate.call_args_list if call.args[0]._name == "clinic.session")

    def test_a_write_passes_the_gate_once(self):
        session = self._session()
        self.assertEqual(self._count_gate("front_desk", "write", [session.ids, {"note": "Hi"}]), 1)
        self.assertEqual(session.note, "Hi")

    def test_a_move_and_a_new_patient_pass_the_gate_once(self):
        session = self._session()
        # The reminder's own bookkeeping after a change of patient is the workflow's write.
        session._workflow_write({"reminder_sent_for": session.start})
        slot = self._free_slot()
        vals = {"patient_id": self.patient_2.id, "start": slot["start"], "stop": slot["stop"]}
        self.assertEqual(self._count_gate("front_desk", "write", [session.ids, vals]), 1)
        self.assertEqual(session.patient_id, self.patient_2)
        self.assertFalse(session.reminder_sent_for)

    def test_a_refused_workflow_field_is_refused_by_the_gate_once(self):
        session = self._session()
        with self._watched_gate() as gate:
            ok, message = self.rpc(
                "front_desk", "clinic.session", "write", [session.ids, {"state": "confirmed"}]
            )
        self.assertFalse(ok)
        self.assertRegex(message, "cannot be written directly")
        self.assertEqual(gate.call_count, 1)
        self.assertEqual(session.state, "draft")

    def test_the_gate_collects_the_fields_of_every_concern(self):
        session = self.env["clinic.session"]
        protected = set(session._get_workflow_fields())
        # The workflow's, the booking's, the billing's, the reminders' and the desk's.
        for name in (
            "state",
            "late_cancel",
            "plan_id",
            "billing_run_id",
            "reminder_sent_for",
            "patient_confirmation",
            "arrived_at",
            "left_at",
            "treatment_note_state",
        ):
            self.assertIn(name, protected)
        self.assertEqual(
            session._get_workflow_transitions()[("confirmed", "in_progress")],
            "trigger_point_clinic.group_clinic_therapist",
        )

    def test_each_concern_declares_only_its_own_fields(self):
        """No file of the session lists another file's workflow fields: a class that declares
        ``_workflow_fields`` defines each of them."""
        declaring = [
            cls
            for cls in type(self.env["clinic.session"]).mro()
            if getattr(cls, "pool", None) is None and "_workflow_fields" in vars(cls)
        ]
        self.assertGreater(len(declaring), 3)
        for cls in declaring:
            if cls is ClinicWorkflowMixin:
                continue
            for name in cls._workflow_fields:
                with self.subTest(cls=cls.__module__, field=name):
                    self.assertIsInstance(vars(cls).get(name), fields.Field)

    def test_the_other_models_keep_their_gate(self):
        intake = self.env["clinic.intake"]
        self.assertIn("state", intake._get_workflow_fields())
        self.assertTrue(intake._get_workflow_transitions())
        self.assertEqual(
            set(self.env["clinic.plan"]._get_workflow_fields()),
            set(type(self.env["clinic.plan"])._workflow_fields),
        )

    def test_the_session_files_stay_short(self):
        files = [
            *MODELS.glob("clinic_session*.py"),
            MODELS / "clinic_workflow.py",
            MODELS / "clinic_charge_rule.py",
        ]
        for path in files:
            with self.subTest(file=path.name):
                self.assertLessEqual(len(path.read_text().splitlines()), MAX_LINES)
