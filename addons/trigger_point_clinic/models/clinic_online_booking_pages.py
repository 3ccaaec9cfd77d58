"""What the patient's own pages (/my/clinic) read and change besides booking: their sessions,
the home-care sheets of their signed notes, their intakes and their renewal, the waiting list,
and the counts on the portal's home page.

Every method takes the patient the portal's guard found from the logged-in user
(``_patient_of``, ``controllers/patient_guard.py``) and reads or writes only that patient's
records: another patient's record is answered as one that does not exist (an empty
recordset), so the page answers 404 alike."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .clinic_intake import SUBMITTED
from .clinic_online_booking import PORTAL_CANCELLABLE
from .clinic_values import valid_id

# The patient is asked to renew an intake that expires within this many days.
RENEW_DAYS = 30
# The sessions still ahead of the patient: booked, not over.
UPCOMING = ("draft", "confirmed", "in_progress")


class ClinicOnlineBooking(models.AbstractModel):
    _inherit = "clinic.online.booking"

    # ------------------------------------------------------------------ sessions

    @api.model
    def _upcoming_domain(self, patient):
        return [
            ("patient_id", "=", patient.id),
            ("state", "in", UPCOMING),
            ("stop", ">=", fields.Datetime.now()),
        ]

    @api.model
    def _sessions(self, patient, upcoming):
        """``patient``'s sessions to come (soonest first), or the others: past and cancelled
        ones, the latest 50 first."""
        sessions = self.env["clinic.session"].sudo()
        if upcoming:
            return sessions.search(self._upcoming_domain(patient), order="start")
        return sessions.search(
            [("patient_id", "=", patient.id), "!", *self._upcoming_domain(patient)[1:]],
            order="start desc",
            limit=50,
        )

    @api.model
    def _session_count(self, patient):
        """The count on the portal's home card *My sessions*: the sessions to come."""
        if not patient:
            return 0
        return self.env["clinic.session"].sudo().search_count(self._upcoming_domain(patient))

    @api.model
    def _movable(self, session):
        """Whether the patient may still cancel or move ``session`` online: booked, not
        started."""
        return session.state in PORTAL_CANCELLABLE and session.start > fields.Datetime.now()

    @api.model
    def _local(self, patient, when):
        """``when`` (naive UTC) in the clinic's timezone, as the patient's pages show it."""
        return (patient.company_id or self.env.company)._clinic_local_datetime(when)

    # ------------------------------------------------------------------ therapists

    @api.model
    def _own_therapist(self, patient, therapist_id):
        """The therapist ``therapist_id`` names when ``patient`` may book them, else an empty
        recordset (an id that is not a number names none)."""
        therapist_id = valid_id(therapist_id)
        therapists = self._therapists_for(patient, None)
        return (
            therapists.filtered(lambda t: t.id == therapist_id)
            if therapist_id
            else (therapists.browse())
        )

    # ------------------------------------------------------------------ waiting list

    @api.model
    def _waitlist(self, patient):
        return (
            self.env["clinic.waitlist"]
            .sudo()
            .search([("patient_id", "=", patient.id), ("state", "=", "waiting")])
        )

    @api.model
    def _join_waitlist(self, patient, therapist):
        """``patient`` waits for an earlier time with ``therapist`` (once: joining again adds
        nothing). Two joins at once: the second one counts the first (``_lock_patient``)."""
        waitlist = self.env["clinic.waitlist"].sudo()
        self._lock_patient(patient)
        if not waitlist.search_count(
            [
                ("patient_id", "=", patient.id),
                ("therapist_id", "=", therapist.id),
                ("state", "=", "waiting"),
            ]
        ):
            waitlist.create(
                {
                    "patient_id": patient.id,
                    "therapist_id": therapist.id,
                    "company_id": (patient.company_id or self.env.company).id,
                }
            )

    @api.model
    def _leave_waitlist(self, patient, entry_id):
        """``patient`` leaves the waiting-list entry ``entry_id``; returns its therapist, or an
        empty recordset when the entry is not the patient's (nothing changes)."""
        entry = self.env["clinic.waitlist"].sudo().browse(valid_id(entry_id) or []).exists()
        if not patient or entry.patient_id != patient:
            return self.env["clinic.therapist"].sudo()
        therapist = entry.therapist_id
        entry._withdraw()
        return therapist

    # ------------------------------------------------------------------ home care

    @api.model
    def _homecare_notes(self, patient):
        """Signed notes of the patient that give home care: the sheets they may download."""
        return (
            self.env["clinic.treatment.note"]
            .sudo()
            .search(
                [
                    ("patient_id", "=", patient.id),
                    ("state", "=", "signed"),
                    ("homecare_ids", "!=", False),
                ],
                order="date desc",
            )
        )

    @api.model
    def _homecare_sheet(self, patient, note_id):
        """(the note, the PDF of its home-care sheet) for one of ``patient``'s signed notes:
        the exercises and the after-care advice, never the note's clinical text; (empty
        recordset, None) for any other note."""
        note = self.env["clinic.treatment.note"].sudo().browse(valid_id(note_id) or []).exists()
        if not patient or note.patient_id != patient or note.state != "signed":
            return note.browse(), None
        pdf, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("trigger_point_clinic.report_homecare_sheet", note.ids)
        )
        return note, pdf

    # ------------------------------------------------------------------ intakes

    @api.model
    def _intake_rows(self, patient):
        """The patient's intakes with their validity; ``renew``: the current one is missing,
        expired or expires within RENEW_DAYS days; ``pending``: a form to fill in."""
        patient = patient.sudo()
        company = patient.company_id or self.env.company
        today = fields.Date.context_today(patient)
        rows = []
        newer = None
        for intake in patient.intake_ids.filtered(lambda i: i.state in SUBMITTED).sorted(
            lambda i: (i.version, i.date_submitted), reverse=True
        ):
            submitted = fields.Date.to_date(intake.date_submitted)
            expiry = submitted + relativedelta(months=company.clinic_intake_validity_months)
            rows.append(
                {
                    "intake": intake,
                    "version": intake.version,
                    "submitted": submitted,
                    "expiry": expiry,
                    "current": intake == patient.current_intake_id,
                    "expired": expiry <= today,
                    "replaced_by": newer,
                }
            )
            newer = intake.version
        current = next((row for row in rows if row["current"]), None)
        pending = self._pending_intake(patient)
        pending_url = pending and (
            f"/clinic/intake/{pending.id}?access_token={pending._portal_ensure_token()}"
        )
        return {
            "pending_url": pending_url,
            "rows": rows,
            "renew": not current or current["expiry"] <= today + timedelta(days=RENEW_DAYS),
            "pending": pending,
        }

    @api.model
    def _pending_intake(self, patient):
        """The intake waiting for ``patient`` to fill it in, or an empty recordset."""
        return patient.sudo().intake_ids.filtered(lambda i: i.state in ("draft", "sent"))[:1]

    @api.model
    def _renew_intake(self, patient):
        """A new intake for ``patient``, as the clinic's *Send Intake* makes it (and e-mails
        its link), with the token that opens it at once; the clinic's refusals are
        UserErrors."""
        patient.sudo().action_send_intake()
        intake = self._pending_intake(patient)
        intake._portal_ensure_token()
        return intake
