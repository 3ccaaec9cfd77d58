"""Signing a treatment note: the session's therapist signs, the note's content is hashed
(who, when, the SOAP text, the lines and the home-care plan) and sealed in the chain of clinical
records; from then on the note and its parts are frozen. A daily reminder chases the notes left
unsigned."""

import hashlib
import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_cron import single_run
from .clinic_treatment_note import HASH_VERSION, by_sequence, hash_version

# What a signature covers: these columns are hashed at signing. From then on the whole note, its
# lines and home-care items are frozen (clinic.frozen.mixin), by the ORM (a readable message)
# and by database triggers (also against sudo and raw SQL).
NOTE_CONTENT = (
    "session_id",
    "patient_id",
    "therapist_id",
    "date",
    "subjective",
    "objective",
    "assessment",
    "treatment_plan",
)
LINE_CONTENT = (
    "note_id",
    "sequence",
    "region_id",
    "side",
    "trigger_point",
    "referral_noted",
    "technique",
    "pressure",
    "minutes",
    "pain_before",
    "pain_after",
    "ppt_measured",
    "ppt",
)
HOMECARE_CONTENT = (
    "note_id",
    "sequence",
    "region_id",
    "kind",
    "instructions",
    "times_per_day",
    "minutes",
)
# The to-do's activity type (data/clinic_activity_data.xml).
SIGN_NOTE = "trigger_point_clinic.mail_activity_type_sign_note"


def _values(record, names):
    """The values of ``record`` for ``names``, as plain data (ids for relations)."""
    return [
        record[name].id if isinstance(record[name], models.BaseModel) else record[name]
        for name in names
    ]


class ClinicTreatmentNote(models.Model):
    _inherit = "clinic.treatment.note"

    hash_verified = fields.Boolean(
        compute="_compute_hash_verified",
        help="The content still matches the hash taken at signing.",
    )

    @api.depends(
        "state",
        "content_hash",
        "patient_id",
        "therapist_id",
        "date",
        "signed_by_id",
        "date_signed",
        "line_ids",
        "homecare_ids",
    )
    def _compute_hash_verified(self):
        Seal = self.env["clinic.record.seal"].sudo()
        for note in self:
            verified = bool(
                note.state == "signed"
                and note.content_hash
                == note._content_digest(
                    note.signed_by_id, note.date_signed, hash_version(note.content_hash)
                )
            )
            if not verified and note.state == "signed" and hash_version(note.content_hash) == 1:
                # Signed with the first recipe: sealed again with the current one on upgrade
                # (clinic.record.seal._reseal_version_1), the content still matches that seal.
                newest = Seal.search(
                    [("res_model", "=", note._name), ("res_id", "=", note.id)],
                    order="id desc",
                    limit=1,
                )
                version = hash_version(newest.content_hash)
                verified = bool(
                    version >= 2 and newest.content_hash == note._clinic_seal_digest(version)
                )
            note.hash_verified = verified

    # ------------------------------------------------------------------ actions

    def action_sign(self):
        """The session's therapist signs the note: who, when and a hash of its content; from
        then on it is locked."""
        for note in self:
            note._check_unsigned({"sign"})
            therapist_user = note.session_id.therapist_id.user_id
            if not self.env.su and not note._is_signer():
                raise UserError(
                    self.env._(
                        "Only %(therapist)s, the session's therapist, can sign this note.",
                        therapist=note.session_id.therapist_id.name,
                    )
                )
            if note.session_id.state not in ("in_progress", "done"):
                raise UserError(
                    self.env._(
                        "Session %(session)s has not taken place yet: sign its note once the "
                        "session is in progress or done.",
                        session=note.session_id.display_name,
                    )
                )
            if not note.line_ids:
                raise UserError(
                    self.env._(
                        "Add at least one treated region to the note before signing it.",
                    )
                )
            unfinished = note.line_ids.filtered(lambda line: not line.technique)
            if unfinished:
                raise UserError(
                    self.env._(
                        "Set the Technique on %(region)s before signing the note.",
                        region=unfinished[0].region_id.display_name,
                    )
                )
            # Pending edits of the content reach the database before the lock does.
            self.env.flush_all()
            signer = therapist_user if self.env.su else self.env.user
            date_signed = fields.Datetime.now()
            note._workflow_write(
                {
                    "state": "signed",
                    "signed_by_id": signer.id,
                    "date_signed": date_signed,
                    "content_hash": note._content_digest(
                        signer, date_signed, self.env["clinic.record.seal"]._clinic_hash_version()
                    ),
                }
            )
            self.env["clinic.record.seal"]._seal(note)
            note._clinic_reminded(SIGN_NOTE)
            note.session_id._clinic_reminded(SIGN_NOTE)
        return True

    @api.model
    @single_run
    def _cron_remind_unsigned(self):
        """Daily: the therapist of a session that ended more than a day ago without a signed
        note gets a to-do on the note (written or not yet)."""
        ended = fields.Datetime.now() - timedelta(days=1)
        sessions = self.env["clinic.session"].search(
            [
                ("state", "in", ("in_progress", "done")),
                ("stop", "<", ended),
                ("treatment_note_state", "!=", "signed"),
            ]
        )
        for session in sessions:
            target = session.treatment_note_ids[:1] or session
            target._clinic_remind(
                session.therapist_id.user_id,
                SIGN_NOTE,
                self.env._("Write and sign the treatment note of this session."),
            )
        return sessions

    # ------------------------------------------------------------------ business

    def _clinic_seal_digest(self, version=HASH_VERSION):
        """What the chain of clinical records seals: the content as signed."""
        return self._content_digest(self.signed_by_id, self.date_signed, version)

    def _content_digest(self, signer, date_signed, version=HASH_VERSION):
        """SHA-256 of what the signature covers: who was treated, when and by whom, who signed
        and when, the SOAP text, the lines and the home-care plan, in a canonical form.
        Version 2 (``$2$`` prefix): identifiers only, so renaming a region or muscle in the
        catalogue changes no hash; version 1 also carried each region's display name."""
        self.ensure_one()
        if version >= 2:
            content = {
                "note": _values(self, NOTE_CONTENT),
                "signed_by": signer.id,
                "date_signed": fields.Datetime.to_string(date_signed),
                "lines": [
                    _values(line, LINE_CONTENT) for line in self.line_ids.sorted(by_sequence)
                ],
                "homecare": [
                    _values(item, HOMECARE_CONTENT)
                    for item in self.homecare_ids.sorted(by_sequence)
                ],
            }
            payload = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
            return f"${version}${hashlib.sha256(payload.encode()).hexdigest()}"
        content = {
            "note": _values(self, NOTE_CONTENT),
            "signed_by": signer.id,
            "date_signed": fields.Datetime.to_string(date_signed),
            "lines": [
                [*_values(line, LINE_CONTENT), line.region_id.display_name]
                for line in self.line_ids.sorted(by_sequence)
            ],
            "homecare": [
                [*_values(item, HOMECARE_CONTENT), item.region_id.display_name]
                for item in self.homecare_ids.sorted(by_sequence)
            ],
        }
        payload = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()
