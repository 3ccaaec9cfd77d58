"""The patient's side on the portal (/my/clinic): their sessions, booking, cancelling and
moving them, the waiting list, home-care sheets, intakes and pain over time.

Every page wears the patient guard (``patient_route``, ``patient_guard.py``): the patient comes
from the logged-in user, found once. The pages parse the request, call the patient-side service
(``clinic.online.booking``, ``models/clinic_online_booking*.py``), which reads and writes only the
patient's own records, and render. Another patient's record answers 404, like one that does not
exist. Refusals answer 400 with the message, and change nothing."""

from collections import defaultdict
from datetime import datetime

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import format_date

from ..models.clinic_values import in_calendar
from .calendar_feed import ics_response
from .patient_guard import not_a_patient, patient_route, patient_service

# What every page of the patient's side is: a logged-in page of the portal, out of the sitemap.
PAGE = {"type": "http", "auth": "user", "sitemap": False, "website": True}


class ClinicPatientPortal(CustomerPortal):
    # ------------------------------------------------------------------ helpers

    def _booking(self):
        return patient_service()

    def _patient(self):
        return self._booking()._patient_of(request.env.user)

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["clinic_patient"] = self._patient()
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "clinic_session_count" in counters:
            values["clinic_session_count"] = self._booking()._session_count(self._patient())
        if "clinic_questionnaire_count" in counters:
            values["clinic_questionnaire_count"] = self._booking()._questionnaire_count(
                self._patient()
            )
        return values

    def _local(self, patient, when):
        return self._booking()._local(patient, when)

    def _render(self, template, values, status=200):
        response = request.render(template, values)

        response.status_code = status
        return response

    def _values(self, patient, page_name, **values):
        return {
            **self._prepare_portal_layout_values(),
            "page_name": page_name,
            "patient": patient,
            "local": lambda when: self._local(patient, when),
            **values,
        }

    # ------------------------------------------------------------------ overview

    @http.route("/my/clinic", methods=["GET"], readonly=True, **PAGE)
    @patient_route
    def clinic_home(self, patient, message=None, therapist_id=None, **kwargs):
        booking = self._booking()
        return self._render(
            "trigger_point_clinic.portal_clinic_home",
            self._values(
                patient,
                "clinic",
                message=self._message(patient, message, therapist_id),
                upcoming=booking._sessions(patient, upcoming=True),
                homecare_notes=booking._homecare_notes(patient),
                intakes=booking._intake_rows(patient),
                charts=booking._pain_charts(patient),
                waitlist=booking._waitlist(patient),
                therapists=booking._therapists_for(patient, None),
            ),
        )

    def _message(self, patient, message, therapist_id):
        """The sentence that confirms what the patient just did, from the word a redirect
        carries (nothing else is read from it: an unknown word says nothing)."""
        _ = request.env._
        therapist = self._therapist(patient, therapist_id) if therapist_id else None
        name = therapist.name if therapist else _("your therapist")
        return {
            "waitlist_joined": _(
                "You are on the waiting list of %(therapist)s: we e-mail you when an earlier "
                "time is free.",
                therapist=name,
            ),
            "waitlist_left": _("You left the waiting list of %(therapist)s.", therapist=name),
        }.get(message)

    # ------------------------------------------------------------------ sessions

    @http.route("/my/clinic/sessions", methods=["GET"], readonly=True, **PAGE)
    @patient_route
    def clinic_sessions(self, patient, **kwargs):
        booking = self._booking()
        return self._render(
            "trigger_point_clinic.portal_clinic_sessions",
            self._values(
                patient,
                "clinic_sessions",
                upcoming=booking._sessions(patient, upcoming=True),
                past=booking._sessions(patient, upcoming=False),
            ),
        )

    @http.route("/my/clinic/sessions/<int:session_id>", methods=["GET"], readonly=True, **PAGE)
    @patient_route
    def clinic_session(self, patient, session_id, message=None, **kwargs):
        session = self._booking()._own_session(patient, session_id)
        if not session:
            return request.not_found()
        return self._session_page(patient, session, message=message)

    def _session_page(self, patient, session, error=None, message=None, status=200):
        booking = self._booking()
        movable = booking._movable(session)
        return self._render(
            "trigger_point_clinic.portal_clinic_session",
            self._values(
                patient,
                "clinic_session",
                session=session,
                movable=movable,
                terms=booking._cancel_terms(session) if movable else None,
                price=booking._session_price(session) if session.state != "cancelled" else None,
                error=error,
                message=message,
            ),
            status=status,
        )

    @http.route(
        "/my/clinic/sessions/<int:session_id>/calendar.ics",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
        sitemap=False,
    )
    @patient_route
    def clinic_session_ics(self, patient, session_id, **kwargs):
        """The session as a calendar file, for the patient's own calendar."""
        session = self._booking()._own_session(patient, session_id)
        if not session:
            return request.not_found()
        filename = f"session-{self._local(patient, session.start):%Y-%m-%d-%H%M}.ics"
        return ics_response(request.env["clinic.calendar.feed"]._ics(session), filename)

    @http.route("/my/clinic/sessions/<int:session_id>/cancel", methods=["GET", "POST"], **PAGE)
    @patient_route
    def clinic_session_cancel(self, patient, session_id, **post):
        """GET: what cancelling costs, and the button to confirm; POST: cancel."""
        booking = self._booking()
        session = booking._own_session(patient, session_id)
        if not session:
            return request.not_found()
        if request.httprequest.method == "GET":
            if session.state not in ("draft", "confirmed"):
                return self._session_page(patient, session)
            return self._render(
                "trigger_point_clinic.portal_clinic_cancel",
                self._values(
                    patient,
                    "clinic_session",
                    session=session,
                    terms=booking._cancel_terms(session),
                ),
            )
        try:
            with request.env.cr.savepoint():
                reason = (post.get("reason") or "").strip()[:500]
                booking._cancel(patient, session, reason or None)
        except UserError as exc:
            return self._session_page(patient, session, error=exc.args[0], status=400)
        return request.redirect(f"/my/clinic/sessions/{session.id}?message=cancelled")

    # ------------------------------------------------------------------ booking

    def _parse_start(self, raw):
        """The time a form or link names, or None when it names none the clinic could book
        (not a date and time, or outside the calendar the clinic deals in)."""
        try:
            when = fields.Datetime.to_datetime(raw)
        except (TypeError, ValueError, OverflowError):
            return None
        if not isinstance(when, datetime) or not in_calendar(when):
            return None
        return when.replace(second=0, microsecond=0)

    def _therapist(self, patient, raw):
        return self._booking()._own_therapist(patient, raw)

    @http.route("/my/clinic/book", methods=["GET"], readonly=True, **PAGE)
    @patient_route
    def clinic_book(
        self, patient, therapist_id=None, start=None, session_id=None, day=None, **kwargs
    ):
        """Free times to book (or to move ``session_id`` to); ``start``: the time a waiting-list
        e-mail offered, shown first when it is still free; ``day``: the day to show (the first
        with free times by default) when the patient takes any therapist or picks a day."""
        moving = self._booking()._own_session(patient, session_id) if session_id else None
        if session_id and not moving:
            return request.not_found()
        therapist = self._therapist(patient, therapist_id)
        picked, error = self._parse_day(patient, day) if day else (None, None)
        if error:
            return self._book_page(patient, therapist, moving=moving, error=error, status=400)
        return self._book_page(
            patient,
            therapist,
            offered=self._parse_start(start) if start else None,
            moving=moving,
            day=picked,
        )

    def _parse_day(self, patient, raw):
        """(the day ``raw`` names, None) or (None, the message saying which days to pick)."""
        _ = request.env._
        first, last = self._booking()._bookable_days(patient)
        try:
            day = fields.Date.to_date(raw) if len(str(raw)) == 10 else None
        except (TypeError, ValueError, OverflowError):
            day = None
        if not day:
            return None, _(
                "“%(day)s” is not a day: pick one in the calendar (year-month-day).",
                day=str(raw)[:20],
            )
        if not first <= day <= last:
            return None, _(
                "Choose a day between %(first)s and %(last)s: online booking opens that far ahead.",
                first=format_date(request.env, first),
                last=format_date(request.env, last),
            )
        return day, None

    def _book_page(
        self, patient, therapist, offered=None, moving=None, error=None, status=200, day=None
    ):
        booking = self._booking()
        company = patient.company_id or request.env.company
        refusal = booking._screening_refusal(
            patient, company._clinic_local_date(fields.Datetime.now())
        )
        slots = [] if refusal else booking._free_slots(patient, therapist or None)
        offered_slot = None
        taken = False
        if offered and not refusal:
            offered_slot = next(
                (
                    s
                    for s in slots
                    if s["start"] == offered and (not therapist or s["therapist"] == therapist)
                ),
                None,
            )
            taken = not offered_slot
        days = defaultdict(list)
        for slot in slots:
            days[self._local(patient, slot["start"]).date()].append(slot)
        free_days = sorted(days)
        first, last = booking._bookable_days(patient)
        # Any therapist offers every therapist's times: a day at a time, with a date picker.
        per_day = bool(day) or not therapist
        if refusal or not (free_days or day):
            shown = []
        elif per_day:
            day = day or free_days[0]
            shown = [(day, days.get(day, []))]
        else:
            shown = sorted(days.items())
        return self._render(
            "trigger_point_clinic.portal_clinic_book",
            self._values(
                patient,
                "clinic_book",
                therapist=therapist,
                therapists=booking._therapists_for(patient, None),
                days=shown,
                any_free=bool(free_days),
                per_day=per_day,
                day=day,
                first_day=first,
                last_day=last,
                prev_day=next((d for d in reversed(free_days) if day and d < day), None),
                next_day=next((d for d in free_days if day and d > day), None),
                offered_slot=offered_slot,
                taken=taken,
                moving=moving,
                terms=booking._cancel_terms(moving) if moving else None,
                refusal=refusal,
                error=error,
                is_verified=request.env.user._is_portal(),
            ),
            status=status,
        )

    @http.route("/my/clinic/book", methods=["POST"], **PAGE)
    @patient_route
    def clinic_book_post(self, patient, therapist_id=None, start=None, session_id=None, **post):
        booking = self._booking()
        therapist = self._therapist(patient, therapist_id)
        when = self._parse_start(start)
        moving = booking._own_session(patient, session_id) if session_id else None
        if session_id and not moving:
            return request.not_found()
        try:
            if not therapist or not when:
                raise UserError(request.env._("Choose one of the free times below."))
            with request.env.cr.savepoint():
                if not moving:
                    # With the payment the clinic asks at booking (booking_payment.py).
                    return self._book_new(
                        patient, therapist, when, use_card=post.get("use_card") != "0"
                    )
                session = booking._reschedule(patient, moving, therapist, when)
        except UserError as exc:
            return self._book_page(patient, therapist, moving=moving, error=exc.args[0], status=400)
        return request.redirect(f"/my/clinic/sessions/{session.id}?message=moved")

    # ------------------------------------------------------------------ waiting list

    @http.route("/my/clinic/waitlist", methods=["POST"], **PAGE)
    @patient_route
    def clinic_waitlist_join(self, patient, therapist_id=None, **post):
        therapist = self._therapist(patient, therapist_id)
        if not therapist:
            return request.not_found()
        self._booking()._join_waitlist(patient, therapist)
        return request.redirect(
            f"/my/clinic?message=waitlist_joined&therapist_id={therapist.id}#waitlist"
        )

    @http.route("/my/clinic/waitlist/<int:entry_id>/leave", methods=["POST"], **PAGE)
    @patient_route
    def clinic_waitlist_leave(self, patient, entry_id, **post):
        therapist = self._booking()._leave_waitlist(patient, entry_id)
        if not therapist:
            return request.not_found()
        return request.redirect(
            f"/my/clinic?message=waitlist_left&therapist_id={therapist.id}#waitlist"
        )

    # ------------------------------------------------------------------ documents

    @http.route("/my/clinic/homecare/<int:note_id>", methods=["GET"], **PAGE)
    @patient_route
    def clinic_homecare_pdf(self, patient, note_id, **kwargs):
        """The home-care sheet of one of the patient's signed notes: the exercises and the
        after-care advice, never the note's clinical text."""
        note, pdf = self._booking()._homecare_sheet(patient, note_id)
        if not note:
            return request.not_found()
        filename = f"home-care-{self._local(patient, note.date).date()}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )

    @http.route("/my/clinic/intake/renew", methods=["POST"], **PAGE)
    @patient_route
    def clinic_intake_renew(self, patient, **post):
        """A new intake, as the clinic's Send Intake makes it (and e-mails its link), opened
        at once for the patient to fill in."""
        try:
            with request.env.cr.savepoint():
                intake = self._booking()._renew_intake(patient)
        except UserError as exc:
            return not_a_patient(self, error=exc.args[0], status=400)
        return request.redirect(
            f"/clinic/intake/{intake.id}?access_token={intake.access_token}&renewed=1"
        )
