"""An intake's submission and review: complete, submitted (sealed, superseding the earlier
intakes unless it relaxes the screening), then reviewed by a therapist."""

import hashlib
import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_intake import INTAKE_COLUMNS, REVIEW_INTAKE, SUBMITTED
from .clinic_workflow import check_access_first


class ClinicIntake(models.Model):
    _inherit = "clinic.intake"

    def action_submit(self):
        """Record the submission: complete (every question answered, consent, signature and
        signer), it supersedes the patient's earlier intakes and so re-screens the patient.
        The patient submits through the link; in the clinic, only a therapist may."""
        check_access_first(self, "write")
        return self._submit()

    @api.private
    def _submit(self, when=None):
        """Submit as the patient did at ``when`` (now by default; the demo's history and tests
        give an earlier time)."""
        self._check_transition("submitted")
        for intake in self:
            intake._check_complete()
        when = when or fields.Datetime.now()
        # Pending answers reach the database before the lock does.
        self.env.flush_all()
        for intake in self:
            # A screening may become stricter at once; less strict only once a therapist has
            # reviewed the intake that relaxes it (a submission alone never clears anyone).
            applied = intake.patient_id.sudo().current_intake_id
            relaxes = bool(
                applied
                and applied._triggered_contraindications() - intake._triggered_contraindications()
            )
            if not relaxes:
                intake._supersede_previous()
            intake._workflow_write(
                {
                    "state": "submitted",
                    "date_submitted": when,
                    "date_signed": when,
                    "relaxes_screening": relaxes,
                }
            )
            self.env["clinic.record.seal"]._seal(intake)
            intake._clinic_remind(
                intake._reviewer(), REVIEW_INTAKE, self.env._("Read the answers before treating.")
            )
        return True

    def _clinic_seal_digest(self, version=2):
        """SHA-256 of what the patient submitted: the intake's columns, answers, pain map,
        medications and signature, in a canonical form (identifiers only in every version; from
        version 2 written "$2$<sha256>")."""
        self.ensure_one()
        intake = self.sudo()
        content = {
            "intake": [
                value.id if isinstance(value, models.BaseModel) else value
                for value in (intake[name] for name in INTAKE_COLUMNS)
            ],
            "answers": sorted(
                [a.contraindication_id.id, a.answer or "", a.detail or ""]
                for a in intake.answer_ids
            ),
            "pain": sorted([p.region_id.id, p.pain] for p in intake.pain_ids),
            "medications": sorted(intake.medication_ids.ids),
            "signature": hashlib.sha256(
                intake.with_context(bin_size=False).signature or b""
            ).hexdigest(),
        }
        payload = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        return f"${version}${digest}" if version >= 2 else digest

    def _reviewer(self):
        """Who reviews a submitted intake: the therapist of the patient's next session, else
        the one who sent it."""
        self.ensure_one()
        next_session = (
            self.env["clinic.session"]
            .sudo()
            .search(
                [
                    ("patient_id", "=", self.patient_id.id),
                    ("state", "in", ("draft", "confirmed")),
                    ("start", ">=", fields.Datetime.now()),
                ],
                order="start",
                limit=1,
            )
        )
        return next_session.therapist_id.user_id or self.sudo().create_uid

    def _supersede_previous(self):
        """This intake screens the patient from now on: the earlier ones stay readable."""
        for intake in self:
            previous = self.sudo().search(
                [
                    ("patient_id", "=", intake.patient_id.id),
                    ("id", "!=", intake.id),
                    ("state", "in", SUBMITTED),
                    ("superseded_by_id", "=", False),
                    ("date_submitted", "<=", intake.date_submitted or fields.Datetime.now()),
                ]
            )
            previous._workflow_write({"superseded_by_id": intake.id})

    def action_review(self):
        """A therapist read the answers. An intake that relaxes the screening applies now."""
        self._workflow_write(
            {
                "state": "reviewed",
                "reviewed_by_id": self.env.uid,
                "date_reviewed": fields.Datetime.now(),
            }
        )
        self.sudo().filtered("relaxes_screening").filtered(
            lambda i: not i.superseded_by_id
        )._supersede_previous()
        self._clinic_reminded(REVIEW_INTAKE)
        return True

    def action_new_intake(self):
        """Start the patient's next intake (after a change of health or at renewal)."""
        self.ensure_one()
        new = self.create({"patient_id": self.patient_id.id})
        return new._get_records_action()

    def _check_complete(self):
        """The one completeness rule of a submission, for the portal and the back office:
        every health question answered yes or no (unanswered is not "no"), consent, signature,
        signer, and the details the answers ask for."""
        self.ensure_one()
        intake = self.sudo()
        if intake.state in SUBMITTED:
            raise UserError(
                self.env._(
                    "Intake %(name)s was already submitted; it cannot be submitted again.",
                    name=intake.display_name,
                )
            )
        missing = []
        unanswered = intake.answer_ids.filtered(lambda answer: not answer.answer)
        if unanswered:
            missing.append(
                self.env._(
                    "answer yes or no to every health question (%(count)s unanswered, e.g. "
                    "%(question)s)",
                    count=len(unanswered),
                    question=unanswered[0].question,
                )
            )
        if not intake.consent:
            missing.append(self.env._("tick the consent to treatment"))
        if not intake.signature:
            missing.append(self.env._("sign the form"))
        if not (intake.signer_name or "").strip():
            missing.append(self.env._("type the signer's name"))
        if intake.pregnant and not intake.pregnancy_trimester:
            missing.append(self.env._("give the trimester of the pregnancy"))
        if intake.recent_surgery and not intake.surgery_date:
            missing.append(self.env._("give the date of the surgery or trauma"))
        if missing:
            raise UserError(
                self.env._(
                    "The intake cannot be submitted yet: %(missing)s.",
                    missing=", ".join(missing),
                )
            )
