from math import ceil

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .clinic_dates import check_date

FREQUENCIES = [
    ("twice_weekly", "Twice a week"),
    ("weekly", "Weekly"),
    ("fortnightly", "Every two weeks"),
    ("monthly", "Monthly"),
]
DISCHARGE_REASONS = [
    ("goals_met", "Goals met"),
    ("plateau", "No further improvement"),
    ("patient_choice", "Patient's choice"),
    ("referred", "Referred on"),
    ("lost", "Lost to follow-up"),
    ("other", "Other"),
]
# A plan of care longer than a year of weekly sessions is a typing mistake.
MAX_PLANNED_SESSIONS = 52
REASSESS_TYPE = "trigger_point_clinic.mail_activity_type_reassess"


class ClinicEpisode(models.Model):
    """An episode of care: one complaint of a patient, from the first visit to discharge. It
    holds the plan of care (regions, the patient's goals, planned sessions and their
    frequency), the reassessments and the discharge; the sessions and treatment notes of the
    patient belong to it while it is open."""

    _name = "clinic.episode"
    _description = "Episode of Care"
    _inherit = [
        "clinic.patient.record",
        "clinic.workflow.mixin",
        "clinic.audited.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_start desc, id desc"
    # The reassessment prompts are the workflow's: a client cannot mark them given.
    # The prompts and the flag of no important change (clinic_episode_outcome.py) are the
    # workflow's: a client cannot mark them given.
    _workflow_fields = ("reassess_half_prompted", "reassess_end_prompted", "no_change_flagged")

    complaint = fields.Text(required=True, help="The patient's complaint, in a sentence or two.")
    region_ids = fields.Many2many(comodel_name="clinic.body.region", string="Regions")
    goal_ids = fields.One2many(
        comodel_name="clinic.episode.goal",
        inverse_name="episode_id",
        string="Goals",
        copy=True,
        help="Activities the patient cannot do, or finds hard, in their own words: the items "
        "of their Patient-Specific Functional Scale.",
    )
    planned_sessions = fields.Integer(required=True, default=6)
    frequency = fields.Selection(FREQUENCIES, required=True, default="weekly")
    date_start = fields.Date(string="Start", required=True, default=fields.Date.context_today)
    session_ids = fields.One2many(
        comodel_name="clinic.session", inverse_name="episode_id", string="Sessions"
    )
    done_session_count = fields.Integer(
        string="Sessions Done", compute="_compute_done_session_count"
    )
    reassessment_ids = fields.One2many(
        comodel_name="clinic.episode.reassessment",
        inverse_name="episode_id",
        string="Reassessments",
    )
    date_discharge = fields.Date(string="Discharged on", tracking=True)
    discharge_reason = fields.Selection(DISCHARGE_REASONS, tracking=True)
    discharge_note = fields.Text()
    state = fields.Selection(
        [("open", "Open"), ("discharged", "Discharged")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    reassess_half_prompted = fields.Boolean(readonly=True, copy=False)
    reassess_end_prompted = fields.Boolean(readonly=True, copy=False)
    no_change_flagged = fields.Boolean(readonly=True, copy=False)

    _one_open_episode_per_patient = models.UniqueIndex(
        "(patient_id) WHERE date_discharge IS NULL",
        "A patient has one open episode of care at a time: discharge the open one (Discharged "
        "on and its reason) before starting another.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # A discharge written earlier in the transaction frees the patient for a new episode
        # (the unique index of open episodes reads the table).
        self.flush_model(["date_discharge"])
        episodes = super().create(vals_list)
        episodes._attach_sessions()
        return episodes

    @api.depends("date_start", "patient_id.name")
    def _compute_display_name(self):
        # Who and since when, never the complaint: the name shows wherever the episode is
        # linked from.
        for episode in self:
            episode.display_name = self.env._(
                "%(patient)s, episode of %(date)s",
                patient=episode.sudo().patient_id.name or "",
                date=episode.date_start or "",
            )

    @api.depends("session_ids.state")
    def _compute_done_session_count(self):
        for episode in self:
            episode.done_session_count = len(
                episode.sudo().session_ids.filtered(lambda s: s.state == "done")
            )

    @api.depends("date_discharge")
    def _compute_state(self):
        for episode in self:
            episode.state = "discharged" if episode.date_discharge else "open"

    @api.constrains("planned_sessions")
    def _check_planned_sessions(self):
        for episode in self:
            if not 1 <= episode.planned_sessions <= MAX_PLANNED_SESSIONS:
                raise ValidationError(
                    self.env._(
                        "Planned sessions must be between 1 and %(max)s (it is %(value)s): "
                        "plan the sessions of this episode, and reassess to plan more.",
                        max=MAX_PLANNED_SESSIONS,
                        value=episode.planned_sessions,
                    )
                )

    @api.constrains("date_start", "date_discharge", "discharge_reason")
    def _check_discharge(self):
        """A discharge has a date, not before the start, and a reason."""
        for episode in self:
            check_date(self.env, self.env._("Start"), episode.date_start)
            if not episode.date_discharge:
                if episode.discharge_reason:
                    raise ValidationError(
                        self.env._(
                            "Discharge reason is set but Discharged on is empty: enter the "
                            "date of the discharge, or clear the reason."
                        )
                    )
                continue
            check_date(self.env, self.env._("Discharged on"), episode.date_discharge)
            if episode.date_discharge < episode.date_start:
                raise ValidationError(
                    self.env._(
                        "Discharged on (%(discharge)s) is before the start of the episode "
                        "(%(start)s): enter a date on or after the start.",
                        discharge=episode.date_discharge,
                        start=episode.date_start,
                    )
                )
            if not episode.discharge_reason:
                raise ValidationError(
                    self.env._(
                        "Discharge reason is missing: say why the episode ends (goals met, no "
                        "further improvement, ...)."
                    )
                )

    # ------------------------------------------------------------------ sessions

    @api.private
    def _attach_sessions(self):
        """The front desk books before the therapist opens the episode: the patient's sessions
        from the episode's start on that belong to no episode join it."""
        for episode in self.sudo():
            episode.env["clinic.session"].search(
                [
                    ("patient_id", "=", episode.patient_id.id),
                    ("episode_id", "=", False),
                    ("local_date", ">=", episode.date_start),
                    ("state", "!=", "cancelled"),
                ]
            ).write({"episode_id": episode.id})

    # ------------------------------------------------------------------ reassessment

    def _reassessment_points(self):
        """The numbers of done sessions at which the therapist reassesses: half the planned
        sessions (rounded up) and the last planned one."""
        self.ensure_one()
        return ceil(self.planned_sessions / 2), self.planned_sessions

    @api.private
    def _prompt_reassessment(self, therapist_user):
        """The one rule of reassessment prompts: when the done sessions of an open episode
        reach half, then all, of the planned sessions, the therapist of the session gets a
        "Reassess" activity on the episode, once per point."""
        activity_type = self.env.ref(REASSESS_TYPE)
        for episode in self.sudo():
            if episode.state != "open":
                continue
            done = episode.done_session_count
            half, end = episode._reassessment_points()
            prompts = {}
            if done >= end and not episode.reassess_end_prompted:
                prompts = {"reassess_end_prompted": True, "reassess_half_prompted": True}
                summary = self.env._("Reassess: last planned session (%(n)s)", n=end)
            elif done >= half and not episode.reassess_half_prompted:
                prompts = {"reassess_half_prompted": True}
                summary = self.env._("Reassess: half of the planned sessions (%(n)s)", n=half)
            if not prompts:
                continue
            episode._workflow_write(prompts)
            user = therapist_user if therapist_user and not therapist_user.share else None
            episode.activity_schedule(
                activity_type_id=activity_type.id,
                summary=summary,
                user_id=(user or episode.create_uid).id,
            )


class ClinicEpisodeGoal(models.Model):
    """A goal in the patient's words: an activity of their Patient-Specific Functional Scale."""

    _name = "clinic.episode.goal"
    _description = "Episode Goal"
    _inherit = ["clinic.audited.mixin"]
    _order = "sequence, id"
    _clinic_audit_patient = "episode_id.patient_id"
    _clinic_audit_parent = "episode_id"

    episode_id = fields.Many2one(
        comodel_name="clinic.episode", required=True, index=True, ondelete="cascade"
    )
    patient_id = fields.Many2one(related="episode_id.patient_id")
    sequence = fields.Integer(default=10)
    activity = fields.Char(
        required=True, help="In the patient's words, e.g. 'carry my daughter upstairs'."
    )


class ClinicEpisodeReassessment(models.Model):
    """A reassessment of the episode: what the therapist found and decided."""

    _name = "clinic.episode.reassessment"
    _description = "Episode Reassessment"
    _inherit = ["clinic.audited.mixin"]
    _order = "date desc, id desc"
    _clinic_audit_patient = "episode_id.patient_id"
    _clinic_audit_parent = "episode_id"

    episode_id = fields.Many2one(
        comodel_name="clinic.episode", required=True, index=True, ondelete="cascade"
    )
    patient_id = fields.Many2one(related="episode_id.patient_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    findings = fields.Text(required=True)
    decision = fields.Selection(
        [
            ("continue", "Continue as planned"),
            ("change", "Change the plan"),
            ("discharge", "Discharge"),
        ],
        required=True,
        default="continue",
    )
