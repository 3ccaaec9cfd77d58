"""The patient's side on the portal (/my/clinic): their sessions, booking, cancelling and
moving them, the waiting list, home-care sheets, intakes and pain over time.

Portal users have no access right on any clinic model: every page finds the patient from the
logged-in user and reads through the private methods of ``clinic.online.booking``, which check
that what is asked for is the patient's own. Another patient's record answers 404, like one that
does not exist. Refusals answer 400 with the message, and change nothing."""

from collections import defaultdict
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import format_date

from ..models.clinic_intake import SUBMITTED
from ..models.clinic_values import in_calendar, valid_id
from .calendar_feed import ics_response
from .questionnaire_portal import waiting_domain

RENEW_DAYS = 30
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 320, 120, 18
# At most this many dates under a chart's axis, at least this far apart (SVG units).
CHART_DATES, CHART_DATE_GAP = 5, 44


class ClinicPatientPortal(CustomerPortal):
    # ------------------------------------------------------------------ helpers

    def _booking(self):
        return request.env["clinic.online.booking"].sudo()

    def _patient(self):
        return self._booking()._patient_of(request.env.user)

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["clinic_patient"] = self._patient()
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "clinic_session_count" in counters:
            patient = self._patient()
            values["clinic_session_count"] = (
                request.env["clinic.session"].sudo().search_count(self._upcoming_domain(patient))
                if patient
                else 0
            )
        if "clinic_questionnaire_count" in counters:
            patient = self._patient()
            values["clinic_questionnaire_count"] = (
                request.env["clinic.questionnaire.response"]
                .sudo()
                .search_count(waiting_domain(patient))
                if patient
                else 0
            )
        return values

    def _upcoming_domain(self, patient):
        return [
            ("patient_id", "=", patient.id),
            ("state", "in", ("draft", "confirmed", "in_progress")),
            ("stop", ">=", fields.Datetime.now()),
        ]

    def _local(self, patient, when):
        return (patient.company_id or request.env.company)._clinic_local_datetime(when)

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

    @http.route(
        "/my/clinic",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
        sitemap=False,
        website=True,
    )
    def clinic_home(self, message=None, therapist_id=None, **kwargs):
        patient = self._patient()
        if not patient:
            return self._not_a_patient()
        return self._render(
            "trigger_point_clinic.portal_clinic_home",
            self._values(
                patient,
                "clinic",
                message=self._message(patient, message, therapist_id),
                upcoming=self._sessions(patient, upcoming=True),
                homecare_notes=self._homecare_notes(patient),
                intakes=self._intake_rows(patient),
                charts=self._pain_charts(patient),
                waitlist=self._waitlist(patient),
                therapists=self._booking()._therapists_for(patient, None),
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

    def _not_a_patient(self):
        return self._render(
            "trigger_point_clinic.portal_clinic_not_patient",
            {**self._prepare_portal_layout_values(), "page_name": "clinic"},
            status=404,
        )

    def _sessions(self, patient, upcoming):
        sessions = request.env["clinic.session"].sudo()
        if upcoming:
            return sessions.search(self._upcoming_domain(patient), order="start")
        return sessions.search(
            [("patient_id", "=", patient.id), "!", *self._upcoming_domain(patient)[1:]],
            order="start desc",
            limit=50,
        )

    def _homecare_notes(self, patient):
        """Signed notes of the patient that give home care: the sheets they may download."""
        return (
            request.env["clinic.treatment.note"]
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

    def _intake_rows(self, patient):
        """The patient's intakes with their validity; ``renew``: the current one is missing,
        expired or expires within RENEW_DAYS days; ``pending``: a form to fill in."""
        patient = patient.sudo()
        company = patient.company_id or request.env.company
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
        pending = patient.intake_ids.filtered(lambda i: i.state in ("draft", "sent"))[:1]
        pending_url = pending and (
            f"/clinic/intake/{pending.id}?access_token={pending._portal_ensure_token()}"
        )
        return {
            "pending_url": pending_url,
            "rows": rows,
            "renew": not current or current["expiry"] <= today + timedelta(days=RENEW_DAYS),
            "pending": pending,
        }

    def _pain_charts(self, patient):
        """Pain before treatment (NRS 0 to 10) per region over the signed notes, as SVG
        polylines: one small chart per region, oldest session on the left."""
        lines = (
            request.env["clinic.treatment.note.line"]
            .sudo()
            .search(
                [
                    ("note_id.patient_id", "=", patient.id),
                    ("note_id.state", "=", "signed"),
                    ("pain_before", "!=", False),  # a score not entered is not a 0
                ],
            )
        )
        series = defaultdict(list)
        for line in lines:
            series[line.region_id].append((line.note_id.date, line.pain_before, line.pain_after))
        charts = []
        for region, points in sorted(series.items(), key=lambda item: item[0].name):
            points.sort(key=lambda point: point[0])
            count = len(points)
            inner_w = CHART_WIDTH - 2 * CHART_PAD
            inner_h = CHART_HEIGHT - 2 * CHART_PAD

            def xy(index, value, count=count, inner_w=inner_w, inner_h=inner_h):
                x = CHART_PAD + (inner_w * index / (count - 1) if count > 1 else inner_w / 2)
                y = CHART_PAD + inner_h * (10 - value) / 10
                return round(x, 1), round(y, 1)

            dots = [xy(i, before) for i, (_date, before, _after) in enumerate(points)]
            # Dates under the axis: the first and the last, and between them as many as fit.
            every = max(1, -(-count // CHART_DATES))
            ticks = [
                (dots[i][0], self._short_date(patient, points[i][0]))
                for i in range(count)
                if i % every == 0 or i == count - 1
            ]
            if len(ticks) > 1 and ticks[-1][0] - ticks[-2][0] < CHART_DATE_GAP:
                del ticks[-2]
            charts.append(
                {
                    "region": region.name,
                    "dots": dots,
                    "ticks": ticks,
                    "polyline": " ".join(f"{x},{y}" for x, y in dots),
                    "first": points[0][1],
                    "latest": points[-1][1],
                    "first_date": self._local(patient, points[0][0]).date(),
                    "latest_date": self._local(patient, points[-1][0]).date(),
                    "count": count,
                }
            )
        return charts

    def _short_date(self, patient, when):
        return format_date(request.env, self._local(patient, when).date(), date_format="d MMM")

    def _waitlist(self, patient):
        return (
            request.env["clinic.waitlist"]
            .sudo()
            .search([("patient_id", "=", patient.id), ("state", "=", "waiting")])
        )

    # ------------------------------------------------------------------ sessions

    @http.route(
        "/my/clinic/sessions",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
        sitemap=False,
        website=True,
    )
    def clinic_sessions(self, **kwargs):
        patient = self._patient()
        if not patient:
            return self._not_a_patient()
        return self._render(
            "trigger_point_clinic.portal_clinic_sessions",
            self._values(
                patient,
                "clinic_sessions",
                upcoming=self._sessions(patient, upcoming=True),
                past=self._sessions(patient, upcoming=False),
            ),
        )

    @http.route(
        "/my/clinic/sessions/<int:session_id>",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
        sitemap=False,
        website=True,
    )
    def clinic_session(self, session_id, message=None, **kwargs):
        patient = self._patient()
        session = self._booking()._own_session(patient, session_id)
        if not session:
            return request.not_found()
        return self._session_page(patient, session, message=message)

    def _session_page(self, patient, session, error=None, message=None, status=200):
        booking = self._booking()
        movable = session.state in ("draft", "confirmed") and session.start > fields.Datetime.now()
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
    def clinic_session_ics(self, session_id, **kwargs):
        """The session as a calendar file, for the patient's own calendar."""
        patient = self._patient()
        session = self._booking()._own_session(patient, session_id)
        if not session:
            return request.not_found()
        filename = f"session-{self._local(patient, session.start):%Y-%m-%d-%H%M}.ics"
        return ics_response(request.env["clinic.calendar.feed"]._ics(session), filename)

    @http.route(
        "/my/clinic/sessions/<int:session_id>/cancel",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        sitemap=False,
        website=True,
    )
    def clinic_session_cancel(self, session_id, **post):
        """GET: what cancelling costs, and the button to confirm; POST: cancel."""
        patient = self._patient()
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
        try:
            therapist_id = int(raw) if raw and str(raw).isascii() else None
        except ValueError:
            therapist_id = None
        if not therapist_id:
            return request.env["clinic.therapist"].sudo()
        return (
            self._booking()._therapists_for(patient, None).filtered(lambda t: t.id == therapist_id)
        )

    @http.route(
        "/my/clinic/book",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
        sitemap=False,
        website=True,
    )
    def clinic_book(self, therapist_id=None, start=None, session_id=None, day=None, **kwargs):
        """Free times to book (or to move ``session_id`` to); ``start``: the time a waiting-list
        e-mail offered, shown first when it is still free; ``day``: the day to show (the first
        with free times by default) when the patient takes any therapist or picks a day."""
        patient = self._patient()
        if not patient:
            return self._not_a_patient()
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

    @http.route(
        "/my/clinic/book", type="http", auth="user", methods=["POST"], sitemap=False, website=True
    )
    def clinic_book_post(self, therapist_id=None, start=None, session_id=None, **post):
        patient = self._patient()
        if not patient:
            return self._not_a_patient()
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

    @http.route(
        "/my/clinic/waitlist",
        type="http",
        auth="user",
        methods=["POST"],
        sitemap=False,
        website=True,
    )
    def clinic_waitlist_join(self, therapist_id=None, **post):
        patient = self._patient()
        if not patient:
            return self._not_a_patient()
        therapist = self._therapist(patient, therapist_id)
        if not therapist:
            return request.not_found()
        waitlist = request.env["clinic.waitlist"].sudo()
        # Two joins at once: the second one counts the first (and adds nothing).
        self._booking()._lock_patient(patient)
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
                    "company_id": (patient.company_id or request.env.company).id,
                }
            )
        return request.redirect(
            f"/my/clinic?message=waitlist_joined&therapist_id={therapist.id}#waitlist"
        )

    @http.route(
        "/my/clinic/waitlist/<int:entry_id>/leave",
        type="http",
        auth="user",
        methods=["POST"],
        sitemap=False,
        website=True,
    )
    def clinic_waitlist_leave(self, entry_id, **post):
        patient = self._patient()
        entry = request.env["clinic.waitlist"].sudo().browse(valid_id(entry_id) or []).exists()
        if not patient or entry.patient_id != patient:
            return request.not_found()
        therapist = entry.therapist_id
        entry._withdraw()
        return request.redirect(
            f"/my/clinic?message=waitlist_left&therapist_id={therapist.id}#waitlist"
        )

    # ------------------------------------------------------------------ documents

    @http.route(
        "/my/clinic/homecare/<int:note_id>",
        type="http",
        auth="user",
        methods=["GET"],
        sitemap=False,
        website=True,
    )
    def clinic_homecare_pdf(self, note_id, **kwargs):
        """The home-care sheet of one of the patient's signed notes: the exercises and the
        after-care advice, never the note's clinical text."""
        patient = self._patient()
        note = request.env["clinic.treatment.note"].sudo().browse(valid_id(note_id) or []).exists()
        if not patient or note.patient_id != patient or note.state != "signed":
            return request.not_found()
        pdf, _kind = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("trigger_point_clinic.report_homecare_sheet", note.ids)
        )
        filename = f"home-care-{self._local(patient, note.date).date()}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )

    @http.route(
        "/my/clinic/intake/renew",
        type="http",
        auth="user",
        methods=["POST"],
        sitemap=False,
        website=True,
    )
    def clinic_intake_renew(self, **post):
        """A new intake, as the clinic's Send Intake makes it (and e-mails its link), opened
        at once for the patient to fill in."""
        patient = self._patient()
        if not patient:
            return self._not_a_patient()
        patient = patient.sudo()
        try:
            with request.env.cr.savepoint():
                patient.action_send_intake()
        except UserError as exc:
            return self._render(
                "trigger_point_clinic.portal_clinic_not_patient",
                {
                    **self._prepare_portal_layout_values(),
                    "page_name": "clinic",
                    "error": exc.args[0],
                },
                status=400,
            )
        intake = patient.intake_ids.filtered(lambda i: i.state in ("draft", "sent"))[:1]
        intake._portal_ensure_token()
        return request.redirect(
            f"/clinic/intake/{intake.id}?access_token={intake.access_token}&renewed=1"
        )
