"""Clinic records over HTTP JSON-RPC, as each role's client sends them: the users of the
roles, records built as the clinic builds them, and one call helper."""

import base64
import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase

from ..models.clinic_access_log import FOLD_MINUTES
from .common import ScheduleCase, new_test_user


def call_kw(case, model, method, args=(), kwargs=None, context=None):
    """``model.method`` over HTTP JSON-RPC (``/web/dataset/call_kw``), as the user logged in to
    ``case``'s browser session: the decoded answer (``result`` or ``error``)."""
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {
            "model": model,
            "method": method,
            "args": list(args),
            "kwargs": {**(kwargs or {}), "context": context or {}},
        },
    }
    response = case.url_open(
        f"/web/dataset/call_kw/{model}/{method}",
        data=json.dumps(payload),
        headers={"Content-Type": "application/json"},
    )
    case.assertEqual(response.status_code, 200, response.text[:500])
    return response.json()


class RpcCase(ScheduleCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_marco = cls._make_user("therapist", login="clinic_marco", name="Marco Therapist")
        cls.therapist_2.user_id = cls.user_marco
        cls.user_portal = new_test_user(
            cls.env, login="clinic_portal", groups="base.group_portal", name="Pat Portal"
        )
        cls.users = {
            "therapist": cls.user_therapist,
            "front_desk": cls.user_front_desk,
            "manager": cls.user_manager,
            "administrator": cls.user_administrator,
            "portal": cls.user_portal,
        }
        cls.nadia = cls._make_patient("Nadia Benali")
        cls._submit_intake(cls.nadia, yes=["dvt"])
        # Sol is in Tess's care, Tom in Marco's: each has a session booked with them.
        cls.slot = 0
        cls._draft(cls.patient)
        cls._draft(cls.patient_2, therapist=cls.therapist_2)
        cls.physician = cls.env["res.partner"].create({"name": "Dr. Gate"})
        cls.other_company = cls.env["res.company"].create({"name": "Other Clinic"})

    # ------------------------------------------------------------------ fixtures

    @classmethod
    def _draft(cls, patient=None, therapist=None, past=False):
        """A draft session in a free slot of the clinic's hours (next weeks, or past ones)."""
        cls.slot += 1
        week, rest = divmod(cls.slot, 50)
        weekday, hour_index = divmod(rest, 10)
        hour = (8, 9, 10, 11, 13, 14, 15, 16, 17, 18)[hour_index]
        weeks = -(week + 2) if past else week + 2
        return cls._book(
            cls._next_weekday(weekday, hour, weeks_ahead=weeks),
            patient_id=(patient or cls.patient).id,
            therapist_id=(therapist or cls.therapist).id,
            room_id=cls.room.id if cls.slot % 2 else cls.room_2.id,
        )

    def _session(self, state="draft", patient=None, past=None, party="patient"):
        past = state in ("done", "no_show", "in_progress") if past is None else past
        session = self._draft(patient, past=past)
        return self._walk(session, state, party)

    def _free_slot(self, hour=None):
        """Values of a session at a time nobody booked (``hour``: at that local hour)."""
        session = self._draft()
        values = session.copy_data()[0]
        session.unlink()
        if hour is not None:
            local = self._local(values["start"]).replace(hour=hour)
            values["start"] = self._utc(local)
            values["stop"] = values["start"] + timedelta(hours=1)
        return {
            key: fields.Datetime.to_string(value) if key in ("start", "stop") else value
            for key, value in values.items()
            if key in ("patient_id", "therapist_id", "room_id", "start", "stop")
        }

    def _signed_note(self, note=None):
        """A note of a past session of Tess's (or ``note``), with one treated region, signed."""
        note = note or (
            self.env["clinic.treatment.note"]
            .with_user(self.user_therapist)
            .create({"session_id": self._session("done").id})
        )
        note.line_ids.create(
            {
                "note_id": note.id,
                "region_id": self._region("upper_trapezius").id,
                "technique": "pressure_release",
                "minutes": 10,
                "pain_before": 6,
                "pain_after": 3,
            }
        )
        note.with_user(self.user_therapist).action_sign()
        return note

    def _draft_note(self):
        session = self._session("done")
        return (
            self.env["clinic.treatment.note"]
            .with_user(self.user_therapist)
            .create(
                {
                    "session_id": session.id,
                    "homecare_ids": [
                        fields.Command.create({"region_id": self._region("upper_trapezius").id})
                    ],
                }
            )
        )

    def _env_of(self, role, roles=None):
        """The environment in which ``role`` makes its own wizard (a wizard is its creator's):
        that of its user when it may, else the superuser's."""
        if role in self.users and role != "portal" and (roles is None or role in roles):
            return self.env(user=self.users[role])
        return self.env

    def _intake(self, state="submitted", patient=None):
        patient = patient or self.patient
        intake = self.env["clinic.intake"].create({"patient_id": patient.id})
        intake.answer_ids.write({"answer": "no"})
        intake.write(
            {
                "consent": True,
                "signer_name": patient.name,
                "signature": base64.b64encode(self._signature_png()),
            }
        )
        if state in ("submitted", "reviewed"):
            intake.action_submit()
        if state == "reviewed":
            intake.action_review()
        return intake

    def _override(self):
        return self.env["clinic.screening.override"].create(
            {"patient_id": self.nadia.id, "reason": "Physician on the phone agreed to it."}
        )

    def _plan(self, state="draft"):
        plan = self.env["clinic.plan"].create(
            {
                "patient_id": self.patient_2.id,
                "therapist_id": self.therapist_2.id,
                "room_id": self.room_2.id,
                "friday": True,
                "hour": 18.0,
                "date_start": fields.Date.today() + timedelta(weeks=30),
            }
        )
        if state == "active":
            plan.action_activate()
        return plan

    def _billing_run(self):
        today = fields.Date.today()
        return self.env["clinic.billing.run"].create(
            {"date_from": today - timedelta(days=7), "date_to": today}
        )

    # ------------------------------------------------------------------ JSON-RPC

    def rpc(self, role, model, method, args=(), kwargs=None, context=None):
        """Call ``model.method`` over HTTP JSON-RPC as ``role``. Returns (True, result) or
        (False, the error message the client receives)."""
        self.env.flush_all()
        if getattr(self, "_logged_in", None) != role:
            if role == "public":
                self.logout()
            else:
                self.authenticate(self.users[role].login, self.users[role].login)
            self._logged_in = role
        body = call_kw(self, model, method, args, kwargs, context)
        self.env.invalidate_all()
        if "error" in body:
            return False, body["error"]["data"]["message"]
        return True, body["result"]

    def assertRpc(self, role, outcome, model, method, args=(), kwargs=None, context=None):
        ok, result = self.rpc(role, model, method, args, kwargs, context)
        call = f"{role}: {model}.{method}"
        if outcome is True:
            self.assertTrue(ok, f"{call} was refused: {result}")
        else:
            self.assertFalse(ok, f"{call} was allowed")
            self.assertRegex(result, outcome, call)
        return result


class AccessLogCase(RpcCase):
    """Reads over HTTP and the access log entries they leave; the therapist may export."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["clinic.access.log"].sudo()
        # Odoo lets only users with the export right export.
        cls.user_therapist.group_ids += cls.env.ref("base.group_allow_export")

    def _last_id(self):
        self.env.flush_all()
        return self.Log.search([], order="id desc", limit=1).id or 0

    def _slot(self):
        """The FOLD_MINUTES slot of now: reads in one slot the same way are one entry."""
        return int(fields.Datetime.now().timestamp()) // (FOLD_MINUTES * 60)
