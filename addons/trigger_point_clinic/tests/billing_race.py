"""The committed fixture of the tests that bill (and charge) the same sessions from two
transactions at once."""

import base64
from datetime import datetime, timedelta

import pytz

from odoo import fields

from .common import ClinicCase, CommittedCase


class BillingRaceCase(CommittedCase):
    """A committed patient with three attended sessions two weeks ago, billed by ``_run`` in
    the transaction of the environment given; works on committed data with connections of its
    own, and removes what it made (the patient, whose submitted intake is part of the health
    record, is archived). ``race_name`` names the records."""

    race_name = "Billing Race"

    def setUp(self):
        super().setUp()
        env = self._env()
        self.therapist = env["clinic.therapist"].create({"name": f"{self.race_name} Therapist"})
        self.room = env["clinic.room"].create({"name": f"{self.race_name} Room"})
        self.patient = env["clinic.patient"].create({"name": f"{self.race_name} Patient"})
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
