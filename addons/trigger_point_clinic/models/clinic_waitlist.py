from urllib.parse import urlencode

from odoo import api, fields, models

WAITLIST_STATES = [("waiting", "Waiting"), ("booked", "Booked"), ("withdrawn", "Withdrawn")]


class ClinicWaitlist(models.Model):
    """A patient waiting for an earlier time with a therapist. When a future session of that
    therapist is cancelled, every patient waiting for them is e-mailed a link to book the freed
    time; the first to book it gets it (the booking rule decides), the others find it taken
    and see the free times left."""

    _name = "clinic.waitlist"
    _description = "Waiting List Entry"
    _order = "create_date, id"
    _check_company_auto = True

    patient_id = fields.Many2one(
        comodel_name="clinic.patient", required=True, index=True, check_company=True
    )
    therapist_id = fields.Many2one(
        comodel_name="clinic.therapist", required=True, index=True, check_company=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(WAITLIST_STATES, default="waiting", required=True, index=True)
    offer_start = fields.Datetime(
        string="Last Time Offered", readonly=True, help="The freed time last e-mailed (UTC)."
    )
    date_offered = fields.Datetime(readonly=True)
    offer_url = fields.Char(compute="_compute_offer_url")
    offer_local = fields.Char(
        string="Time Offered", compute="_compute_offer_url", help="In the clinic's local time."
    )

    _patient_therapist_waiting_uniq = models.UniqueIndex(
        "(patient_id, therapist_id) WHERE state = 'waiting'",
        "The patient is already on this therapist's waiting list.",
    )

    @api.depends("offer_start", "therapist_id")
    def _compute_offer_url(self):
        for entry in self:
            # In the clinic's time and the patient's language ("mardi 8 décembre 2026, 10:00"),
            # not the server's locale.
            entry.offer_local = entry.offer_start and entry.patient_id._when(entry.offer_start)
            entry.offer_url = entry.offer_start and (
                entry.get_base_url()
                + "/my/clinic/book?"
                + urlencode(
                    {
                        "therapist_id": entry.therapist_id.id,
                        "start": fields.Datetime.to_string(entry.offer_start),
                    }
                )
            )

    @api.depends("patient_id", "therapist_id")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = f"{entry.patient_id.name} · {entry.therapist_id.name}"

    @api.model
    def _offer_freed_slots(self, sessions):
        """E-mail the patients waiting for the therapist of each cancelled future session a
        link to book its time (the patient who cancelled is not told about their own time)."""
        now = fields.Datetime.now()
        template = self.env.ref("trigger_point_clinic.mail_template_clinic_waitlist_offer").sudo()
        for session in sessions.sudo().filtered(lambda s: s.start > now):
            entries = self.sudo().search(
                [
                    ("state", "=", "waiting"),
                    ("therapist_id", "=", session.therapist_id.id),
                    ("patient_id", "!=", session.patient_id.id),
                ]
            )
            for entry in entries:
                entry.write({"offer_start": session.start, "date_offered": now})
                template.send_mail(entry.id)

    @api.model
    def _mark_booked(self, session):
        """The patient booked with the therapist they waited for: they wait no more."""
        self.sudo().search(
            [
                ("state", "=", "waiting"),
                ("patient_id", "=", session.patient_id.id),
                ("therapist_id", "=", session.therapist_id.id),
            ]
        ).write({"state": "booked"})

    def _withdraw(self):
        """The patient leaves the waiting list; an entry that already got them a time stays
        booked."""
        self.filtered(lambda entry: entry.state == "waiting").write({"state": "withdrawn"})
