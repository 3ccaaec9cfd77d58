from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .clinic_workflow import THERAPIST, check_access_first

ACTIVITY_TYPE = "trigger_point_clinic.mail_activity_type_home_rescreen"


class ClinicContraindication(models.Model):
    """The entries of the catalogue the patient is asked about every day of a home programme,
    each in the patient's words."""

    _inherit = "clinic.contraindication"

    daily_question = fields.Char(
        translate=True,
        help="Asked every day with the home programme, in the patient's words; a yes pauses "
        "the programme until a therapist re-screens. Empty: not part of the daily check.",
    )
    daily_emergency = fields.Boolean(
        string="Emergency Sign",
        help="A yes is an emergency sign: the patient is told to call emergency services.",
    )


class ClinicHomeCheck(models.Model):
    """One daily check of a patient on a home programme: the catalogue's daily questions and
    the entries the patient said yes to. The one rule of red flags: every daily question asks
    about something new since the screening, so a yes would change the screening; it pauses
    the programme (``clinic.home.programme._for_patient``) and opens a re-screening for the
    therapist, until a therapist says the patient was re-screened. A no never relaxes
    anything, and no answer of the patient's clears a pause.

    A check is closed when nothing is left to happen to it: at once without a red flag, at the
    re-screening otherwise (``date_closed``). A closed check is frozen, the whole row and its
    questions and answers, by the ORM and by PostgreSQL (``clinic.frozen.mixin``); nothing of
    it still changes."""

    _name = "clinic.home.check"
    _description = "Home Programme Daily Check"
    _inherit = [
        "clinic.patient.record",
        "clinic.audited.mixin",
        "clinic.frozen.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date desc, id desc"
    _rec_name = "date"
    # Closed, not a state: a check without a red flag is made closed, and its questions and
    # answers (many2many rows) are inserted after its row, so the row closes once they are in.
    _frozen_domain = [("date_closed", "!=", False)]
    _frozen_sql = "date_closed IS NOT NULL"

    date = fields.Datetime(string="Answered At", required=True, readonly=True)
    asked_ids = fields.Many2many(
        comodel_name="clinic.contraindication",
        relation="clinic_home_check_asked_rel",
        readonly=True,
    )
    flagged_ids = fields.Many2many(
        comodel_name="clinic.contraindication",
        relation="clinic_home_check_flagged_rel",
        string="Answered Yes",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("clear", "No red flag"),
            ("paused", "Paused: re-screen"),
            ("rescreened", "Re-screened"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    emergency = fields.Boolean(string="Emergency Sign", readonly=True)
    rescreened_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    date_rescreened = fields.Datetime(readonly=True)
    date_closed = fields.Datetime(
        string="Closed At",
        readonly=True,
        help="When nothing was left to happen to the check: when it was answered without a red "
        "flag, or when the patient was re-screened. A closed check cannot change.",
    )

    _patient_paused_idx = models.Index("(patient_id) WHERE state = 'paused'")

    @api.model
    def _daily_questions(self):
        return (
            self.env["clinic.contraindication"]
            .sudo()
            .search([("daily_question", "!=", False)], order="sequence, id")
        )

    @api.private
    def _pausing(self, patient):
        """The checks that keep ``patient``'s programme paused (red flags not re-screened)."""
        return self.sudo().search([("patient_id", "=", patient.id), ("state", "=", "paused")])

    @api.private
    def _answer(self, patient, answers):
        """Record ``patient``'s daily check. ``answers`` maps each daily question (a catalogue
        entry) to True (yes) or False (no); every question must be answered. Returns the
        check (superuser)."""
        questions = self._daily_questions()
        missing = questions.filtered(lambda entry: answers.get(entry) not in (True, False))
        if missing:
            raise ValidationError(
                self.env._(
                    "Answer yes or no to: %(questions)s",
                    questions="; ".join(missing.mapped("daily_question")),
                )
            )
        flagged = questions.filtered(lambda entry: answers[entry])
        check = self.sudo().create(
            {
                "patient_id": patient.id,
                "date": fields.Datetime.now(),
                "asked_ids": [fields.Command.set(questions.ids)],
                "flagged_ids": [fields.Command.set(flagged.ids)],
                "state": "paused" if flagged else "clear",
                "emergency": any(flagged.mapped("daily_emergency")),
            }
        )
        if flagged:
            check._open_rescreening()
        else:
            check.write({"date_closed": check.date})
        return check

    def _open_rescreening(self):
        """The re-screening the therapist of the programme's note does (else the patient's
        care team): an activity on the check, which only the care team can read."""
        self.ensure_one()
        patient = self.patient_id
        note = self.env["clinic.home.programme"]._latest_signed_notes(patient).get(patient.id)
        user = (note and note.therapist_id.user_id) or patient.care_user_ids[:1]
        self.activity_schedule(
            ACTIVITY_TYPE,
            summary=self.env._(
                "Re-screen %(patient)s before home practice resumes", patient=patient.name
            ),
            note=self.env._(
                "Daily check of the home programme, yes to: %(answers)s",
                answers="; ".join(self.flagged_ids.mapped("name")),
            ),
            user_id=(user or self.env.ref("base.user_root")).id,
        )

    def action_rescreened(self):
        """A therapist of the patient's care team re-screened the patient: the pause ends (the
        screening itself still decides whether the patient may practise)."""
        check_access_first(self, "read")
        if not self.env.user.has_group(THERAPIST):
            raise AccessError(self.env._("Only a therapist can end a pause after re-screening."))
        for check in self:
            if check.state != "paused":
                raise UserError(
                    self.env._(
                        "The check of %(date)s is not waiting for a re-screening.",
                        date=check.date,
                    )
                )
        checks = self.sudo()
        now = fields.Datetime.now()
        checks.write(
            {
                "state": "rescreened",
                "rescreened_by_id": self.env.uid,
                "date_rescreened": now,
                "date_closed": now,
            }
        )
        checks.activity_feedback([ACTIVITY_TYPE])
        screenings = self.env["clinic.patient.screening"]._ensure_for(checks.patient_id)
        self.env.add_to_compute(screenings._fields["verdict"], screenings)
        screenings._recompute_recordset()
        return True
