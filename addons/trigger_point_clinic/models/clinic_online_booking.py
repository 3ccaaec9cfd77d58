"""The patient's side of the schedule: what a patient logged in to the portal may see, book,
cancel and move. Portal users have no access right on any clinic model, so nothing here is
reachable over JSON-RPC: the portal's pages call these private methods, which find the patient
from the logged-in user (never from what the browser sends) and apply the clinic's rules.

``clinic.online.booking`` is the one service of the patient's side, split by concern: this
file (who the patient is, the booking rules, free times, booking, cancelling, moving),
``_payment`` (paying at booking), ``_pages`` (what /my/clinic shows besides booking),
``_chart`` (pain over time) and ``_links`` (the e-mailed links, questionnaires, Today). The
portal's pages find the patient once, by ``_patient_of``, in their one guard
(``controllers/patient_guard.py``)."""

from datetime import timedelta

import psycopg2
from psycopg2 import errorcodes

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_availability import Availability
from .clinic_charge_rule import PREPAID, worth_saying
from .clinic_dates import utc_bounds
from .clinic_intake import TREATABLE_VERDICTS
from .clinic_session import default_service_product
from .clinic_values import valid_id

# Free times start on this grid (minutes past the hour) and this long after now at the earliest.
SLOT_STEP = timedelta(minutes=30)
MIN_LEAD = timedelta(hours=2)
# A patient cancels or moves online a booked session that has not started yet.
PORTAL_CANCELLABLE = ("draft", "confirmed")


class ClinicOnlineBooking(models.AbstractModel):
    _name = "clinic.online.booking"
    _description = "Online Booking"

    # ------------------------------------------------------------------ who

    @api.model
    def _patient_of(self, user):
        """The patient ``user`` is, or an empty recordset: an active portal user whose partner
        is the patient's own partner (the account the clinic invited, verified by the link
        the patient followed to set their password)."""
        patients = self.env["clinic.patient"].sudo()
        if not user or not user.active or not user._is_portal():
            return patients.browse()
        return patients.search([("partner_id", "=", user.partner_id.id)], limit=1)

    @api.model
    def _own_session(self, patient, session_id):
        """The session ``session_id`` when it is ``patient``'s, else an empty recordset: the
        portal answers 404 alike for another patient's session and for no session at all."""
        session = self.env["clinic.session"].sudo().browse(valid_id(session_id) or []).exists()
        if not patient or session.patient_id != patient:
            return session.browse()
        return session

    # ------------------------------------------------------------------ rules

    @api.model
    def _screening_refusal(self, patient, day):
        """Why ``patient`` cannot book online for ``day``, in words for the patient (never the
        clinical reasons), or None. A missing or expired intake is theirs to renew; anything
        else needs the clinic."""
        verdict = patient.sudo().current_intake_id._screen(day)["verdict"]
        if verdict in TREATABLE_VERDICTS:
            return None
        company = patient.company_id
        if verdict in ("missing", "expired"):
            return self.env._(
                "Before you book, please fill in your health intake: yours is missing or out "
                "of date. Open My intakes and renew it; you can book as soon as it is submitted."
            )
        return self.env._(
            "Online booking is not available for you at the moment: please contact the clinic "
            "(%(phone)s, %(email)s) to book your next session.",
            phone=company.phone or "-",
            email=company.email or "-",
        )

    @api.model
    def _check_weekly_limit(self, patient, start, ignore=None):
        """A patient books online at most the clinic's limit of sessions per local week
        (Monday to Sunday). The patient is locked first (``_lock_patient``): two bookings of
        one patient at the same moment are counted one after the other."""
        company = patient.company_id
        self._lock_patient(patient)
        day = company._clinic_local_date(start)
        monday = day - timedelta(days=day.weekday())
        week_start, week_stop = utc_bounds(company._clinic_tz(), monday, monday + timedelta(6))
        sessions = self.env["clinic.session"].sudo()
        sessions.flush_model(["patient_id", "start", "state"])
        count = sessions.search_count(
            [
                ("patient_id", "=", patient.id),
                ("state", "!=", "cancelled"),
                ("start", ">=", week_start),
                ("start", "<", week_stop),
                ("id", "not in", (ignore or sessions).ids),
            ]
        )
        limit = company.clinic_online_weekly_limit
        if count >= limit:
            raise UserError(
                self.env._(
                    "You already have %(count)s sessions in the week of %(monday)s, the most "
                    "you can book online (%(limit)s per week). Choose another week, or call the "
                    "clinic.",
                    count=count,
                    monday=monday,
                    limit=limit,
                )
            )

    @api.model
    def _lock_patient(self, patient):
        """Take ``patient``'s row for the rest of the transaction, before counting what the
        patient has (sessions in a week, waiting-list entries): every count the patient's own
        requests make is then made one after the other.

        A lock alone is not enough: Odoo's transactions are REPEATABLE READ, so a request
        whose snapshot was taken before another request of the patient committed would wait
        for the lock and then count without the other's session. The row is therefore
        *updated* (to itself): PostgreSQL refuses a transaction the update of a row changed
        since its snapshot (a serialization failure), and Odoo runs the request again, in a
        new transaction that counts what the other committed."""
        self.env.cr.execute(
            "UPDATE clinic_patient SET write_date = write_date WHERE id = %s", [patient.id]
        )

    @api.model
    def _cancel_terms(self, session, now=None, moving=False):
        """What cancelling ``session`` now costs the patient, to show before they confirm, by
        the clinic's one charge rule: the notice the clinic asks, the moment it runs out,
        whether it is late, what it costs (``fee``, tax included as invoiced), what is
        credited, and the rule's sentence for it."""
        session = session.sudo()
        company = session.company_id
        now = now or fields.Datetime.now()
        rule = self.env["clinic.charge.rule"]
        charge = rule._cancel_charge(session, now=now, moving=moving)
        notice = timedelta(hours=company.clinic_late_cancel_hours)
        return {
            "notice_hours": company.clinic_late_cancel_hours,
            "deadline": company._clinic_local_datetime(session.start - notice),
            "late": charge.event == "late_cancel",
            "fee": charge.amount,
            "credit": charge.credit,
            "outcome": charge.outcome,
            "summary": rule._summary(charge) if worth_saying(charge) else "",
            "currency": company.currency_id,
        }

    @api.model
    def _session_price(self, session):
        """What ``session`` costs the patient when attended, in one sentence, by the clinic's
        one charge rule: its price tax included as the invoice will show it, or that it is paid
        by their plan or package."""
        rule = self.env["clinic.charge.rule"]
        charge = rule._charge(session, "attended")
        price = rule._money(charge.amount, charge.currency)
        if charge.outcome == "package":
            return self.env._("One session of your package")
        if charge.mode in PREPAID:
            return self.env._("%(price)s, paid in advance with your plan", price=price)
        return self.env._("%(price)s, tax included", price=price)

    @api.model
    def _bookable_days(self, patient):
        """The first and the last day (the clinic's local dates) a patient may book online."""
        company = patient.sudo().company_id or self.env.company
        now = fields.Datetime.now()
        return (
            company._clinic_local_date(now + MIN_LEAD),
            company._clinic_local_date(now + timedelta(weeks=company.clinic_online_booking_weeks)),
        )

    # ------------------------------------------------------------------ free times

    @api.model
    def _therapists_for(self, patient, product):
        """Therapists a patient may book: the clinic's, with a working calendar."""
        return (
            self.env["clinic.therapist"]
            .sudo()
            .search([("company_id", "in", [patient.company_id.id, False])])
            .filtered("calendar_id")
        )

    @api.model
    def _free_slots(self, patient, therapists=None, product=None, date_from=None, date_to=None):
        """The times ``patient`` can book online: on the SLOT_STEP grid, from MIN_LEAD after
        now to the clinic's online horizon, inside a therapist's working hours (leaves and
        closing days excluded), with the therapist and a room free for the whole session and
        the patient in no other session. Returns dicts (therapist, room, start, stop), naive
        UTC, by start then therapist. One query for the booked sessions of the window."""
        patient = patient.sudo()
        company = patient.company_id
        product = product or default_service_product(self)
        length = timedelta(hours=product.clinic_duration or 1.0)
        therapists = (therapists or self._therapists_for(patient, product)).sudo()
        rooms = self.env["clinic.room"].sudo().search([("company_id", "in", [company.id, False])])
        now = fields.Datetime.now()
        earliest = now + MIN_LEAD
        latest = now + timedelta(weeks=company.clinic_online_booking_weeks)
        date_from = max(date_from or earliest, earliest)
        date_to = min(date_to or latest, latest)
        if not therapists or not rooms or date_to <= date_from:
            return []
        availability = Availability(self.env, therapists, rooms, date_from, date_to)
        sessions = self.env["clinic.session"].sudo()
        sessions.flush_model(["therapist_id", "room_id", "patient_id", "start", "stop", "state"])
        self.env.cr.execute(
            """
            SELECT therapist_id, room_id, patient_id, start, stop FROM clinic_session
             WHERE state != 'cancelled' AND start < %s AND stop > %s
               AND (therapist_id = ANY(%s) OR room_id = ANY(%s) OR patient_id = %s)
            """,
            [date_to, date_from, therapists.ids, rooms.ids, patient.id],
        )
        busy = {"therapist": {}, "room": {}, "patient": []}
        for therapist_id, room_id, patient_id, start, stop in self.env.cr.fetchall():
            busy["therapist"].setdefault(therapist_id, []).append((start, stop))
            busy["room"].setdefault(room_id, []).append((start, stop))
            if patient_id == patient.id:
                busy["patient"].append((start, stop))

        def free(spans, start, stop):
            return not any(s < stop and start < e for s, e in spans)

        slots = []
        for therapist in therapists:
            for span_start, span_stop in availability.work.get(therapist.resource_id.id, []):
                span_start = span_start.replace(tzinfo=None)
                span_stop = span_stop.replace(tzinfo=None)
                start = max(span_start, date_from)
                # Round up to the grid, counted in UTC minutes (the clinic's offsets are whole
                # half hours or hours).
                minutes = start.hour * 60 + start.minute
                step = int(SLOT_STEP.total_seconds() // 60)
                start = start.replace(second=0, microsecond=0) + timedelta(
                    minutes=(-minutes) % step
                )
                while start + length <= min(span_stop, date_to):
                    stop = start + length
                    if free(busy["therapist"].get(therapist.id, []), start, stop) and free(
                        busy["patient"], start, stop
                    ):
                        room = next(
                            (
                                room
                                for room in rooms
                                if free(busy["room"].get(room.id, []), start, stop)
                                and availability.reason(therapist, room, start, stop) is None
                            ),
                            None,
                        )
                        if room:
                            slots.append(
                                {"therapist": therapist, "room": room, "start": start, "stop": stop}
                            )
                    start += SLOT_STEP
        slots.sort(key=lambda slot: (slot["start"], slot["therapist"].name))
        return slots

    # ------------------------------------------------------------------ booking

    @api.model
    def _book(self, patient, therapist, start, product=None, moving=None, hold=False):
        """Book ``patient`` with ``therapist`` at ``start`` (naive UTC), confirmed, in a room
        free for the whole session, if the time is one the portal offers. Refusals (screening,
        weekly limit, a time no longer free) are UserErrors with words for the patient; when
        two patients take the same time at once, PostgreSQL's exclusion constraint lets one
        through and the other is told the time was just taken. ``moving``: the session being
        moved, already cancelled in this transaction. ``hold``: left in draft, its time taken,
        until the payment the clinic asks at booking is made
        (``clinic_online_booking_payment.py``)."""
        patient = patient.sudo()
        therapist = therapist.sudo()
        product = product or default_service_product(self)
        company = patient.company_id
        refusal = self._screening_refusal(patient, company._clinic_local_date(start))
        if refusal:
            raise UserError(refusal)
        self._check_weekly_limit(patient, start, ignore=moving)
        if not moving:
            self._check_overdue(patient)
        slot = self._offered_slot(patient, therapist, product, start)
        try:
            with self.env.cr.savepoint():
                session = (
                    self.env["clinic.session"]
                    .sudo()
                    .create(
                        {
                            **self._slot_session_values(patient, therapist, product, slot),
                            "note": self.env._("Booked online by the patient."),
                        }
                    )
                )
                if not hold:
                    session.action_confirm()
                session.flush_recordset()
        except psycopg2.IntegrityError as exc:
            if exc.pgcode != errorcodes.EXCLUSION_VIOLATION:
                raise
            raise UserError(self._taken_message()) from None
        self.env["clinic.waitlist"].sudo()._mark_booked(session)
        return session

    @api.model
    def _offered_slot(self, patient, therapist, product, start):
        """The free time the portal offers ``patient`` with ``therapist`` at ``start`` (naive
        UTC) for ``product``; refused with the words of a taken time when there is none."""
        length = timedelta(hours=product.clinic_duration or 1.0)
        for slot in self._free_slots(
            patient, therapist, product, date_from=start, date_to=start + length
        ):
            if slot["start"] == start:
                return slot
        raise UserError(self._taken_message())

    @api.model
    def _slot_session_values(self, patient, therapist, product, slot):
        """The values of the session that ``slot`` (of ``_free_slots``) makes for ``patient``
        with ``therapist``."""
        return {
            "patient_id": patient.id,
            "therapist_id": therapist.id,
            "room_id": slot["room"].id,
            "product_id": product.id,
            "start": slot["start"],
            "stop": slot["stop"],
            "company_id": patient.company_id.id,
        }

    @api.model
    def _taken_message(self):
        return self.env._(
            "Sorry, this time has just been taken. Please choose another of the free times below."
        )

    @api.model
    def _cancel(self, patient, session, reason=None):
        """The patient cancels their own session: recorded as the patient's cancellation, late
        (and billed by the clinic's policy) when the notice has run out."""
        session = session.sudo()
        if session.patient_id != patient or session.state not in PORTAL_CANCELLABLE:
            raise UserError(self.env._("This session can no longer be cancelled online."))
        if session.start <= fields.Datetime.now():
            raise UserError(
                self.env._("This session has started: please call the clinic to change it.")
            )
        session._cancel(reason or self.env._("Cancelled online by the patient."), "patient")
        return session

    @api.model
    def _reschedule(self, patient, session, therapist, start, hold=False):
        """Move the patient's session to ``start`` with ``therapist``: the old session is
        cancelled by the patient and the new one booked in one step (``hold``: left in draft,
        held for its payment, as the old one was). If the new booking is refused, nothing
        changes: the old session stays booked."""
        with self.env.cr.savepoint():
            old = self._cancel(patient, session, self.env._("Moved online by the patient."))
            new = self._book(
                patient, therapist, start, session.sudo().product_id, moving=old, hold=hold
            )
        return new
