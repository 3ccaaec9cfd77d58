"""Today on the patient's phone: the practices of the home programme due today, each with its
instructions, pressure and a body diagram of where; one tap logs a practice done with the pain
felt there; the daily check; the reminder times.

Logged in, at /my/clinic/today, the patient is the portal user's (the patient guard,
``patient_route``). From the
reminder e-mail, /clinic/today/<reminder>?access_token=... opens the same page once the
patient proved it is them with a one-time code e-mailed to the address on their file
(``clinic.intake.code`` scoped to the reminder), as the intake and questionnaire links do: the
link alone shows and logs nothing. A wrong token answers 404, and so does a practice that is not
in the patient's own programme. Bad input answers 400 with the message, and stores nothing.
What the page shows is read through the patient-side service (``clinic.online.booking``)."""

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..models.clinic_intake_code import CODE_DIGITS, mask_email
from .patient_guard import EmailedLinkCode, patient_route, patient_service

PROOFS = "clinic_today_proofs"
PAIN_VALUES = [str(value) for value in range(11)]


class HomePortal(EmailedLinkCode, http.Controller):
    _link_model = "clinic.home.reminder"
    _proofs = PROOFS

    # ------------------------------------------------------------------ who

    def _not_found(self):
        return request.render(
            "trigger_point_clinic.portal_today_not_found",
            {"company": patient_service()._link_company()},
            status=404,
        )

    # ------------------------------------------------------------------ the page

    def _render(self, patient, reminder=None, access_token=None, status=200, **values):
        env = request.env
        public = access_token is not None
        page = patient_service()._today(patient, reminder)
        reminder = page["reminder"]
        if public:
            base = f"/clinic/today/{reminder.id}"
            query = f"?access_token={access_token}"
        else:
            base, query = "/my/clinic/today", ""
        proven = not public or self._proven(reminder, access_token)
        pressures = dict(
            env["clinic.treatment.note.line"]._fields["pressure"]._description_selection(env)
        )
        return request.render(
            "trigger_point_clinic.portal_today",
            {
                "patient": patient,
                "programme": page["programme"],
                "practices": page["practices"] if proven else [],
                # The pressure's words in the page's language (the selection's translations).
                "pressure_labels": pressures,
                "pressure_phrases": {
                    level: env._("%(level)s pressure", level=label.lower())
                    for level, label in pressures.items()
                },
                "pain_values": PAIN_VALUES,
                "questions": env["clinic.home.check"]._daily_questions(),
                "checked_today": page["checked_today"],
                "emergency": any(page["programme"]["paused"].mapped("emergency")),
                "reminder": reminder,
                "public": public,
                "base": base,
                "query": query,
                "proven": proven,
                "code_digits": CODE_DIGITS,
                "masked_email": mask_email(patient.email),
                "code_sent": public
                and bool(env["clinic.intake.code"]._live(reminder, access_token)),
                "errors": values.pop("errors", []),
                "post": values.pop("post", {}),
                "page_name": "clinic_today",
                "now": fields.Datetime.now(),
                **values,
            },
            status=status,
        )

    def _bad(self, patient, message, post, reminder=None, access_token=None):
        return self._render(
            patient,
            reminder,
            access_token,
            status=400,
            errors=[message],
            post=post,
        )

    # ------------------------------------------------------------------ what the patient does

    def _log(self, patient, post, reminder=None, access_token=None):
        """One tap: the practice done, with the pain felt there and an optional note."""
        practice = patient_service()._today_practice(patient, post.get("item_id"))
        if not practice:
            return None
        raw = post.get("pain")
        if not isinstance(raw, str) or raw.strip() not in PAIN_VALUES:
            return self._bad(
                patient,
                request.env._(
                    "Pain for %(region)s: tap how much it hurt there, from 0 (none) to 10.",
                    region=practice["region"].name,
                ),
                post,
                reminder,
                access_token,
            )
        comment = post.get("note") if isinstance(post.get("note"), str) else ""
        try:
            with request.env.cr.savepoint():
                patient_service()._log_practice(patient, practice, int(raw.strip()), comment)
        except ValidationError as exc:
            return self._bad(patient, exc.args[0], post, reminder, access_token)
        return self._back(reminder, access_token, f"#practice_{practice['item'].id}")

    def _check(self, patient, post, reminder=None, access_token=None):
        """The daily check: yes or no to each of the catalogue's daily questions."""
        answers = {}
        for entry in request.env["clinic.home.check"]._daily_questions():
            raw = post.get(f"check_{entry.id}")
            if raw in ("yes", "no"):
                answers[entry] = raw == "yes"
        try:
            with request.env.cr.savepoint():
                patient_service()._answer_daily_check(patient, answers)
        except ValidationError as exc:
            return self._bad(patient, exc.args[0], post, reminder, access_token)
        return self._back(reminder, access_token, "#daily_check")

    def _remind(self, patient, post, reminder=None, access_token=None):
        try:
            reminder = patient_service()._choose_reminders(
                patient, reminder, post.get("email") == "on", post.get("times") or ""
            )
        except ValidationError as exc:
            return self._bad(patient, exc.args[0], post, reminder, access_token)
        return self._back(reminder if access_token else None, access_token, "#reminders")

    def _back(self, reminder, access_token, anchor=""):
        if access_token is not None:
            url = f"/clinic/today/{reminder.id}?access_token={access_token}{anchor}"
        else:
            url = f"/my/clinic/today{anchor}"
        return request.redirect(url, code=303, local=True)

    # ------------------------------------------------------------------ logged in

    @http.route(
        "/my/clinic/today",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
        website=True,
        sitemap=False,
    )
    @patient_route
    def portal_today(self, patient, **kwargs):
        return self._render(patient)

    @http.route(
        "/my/clinic/today/<string:what>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    @patient_route
    def portal_today_post(self, patient, what, **post):
        handler = {"log": self._log, "check": self._check, "reminders": self._remind}.get(what)
        answer = handler and handler(patient, post)
        return answer or self._not_found()

    # ------------------------------------------------------------------ the e-mailed link

    def _code_page(self, reminder, access_token, **values):
        return self._render(reminder.patient_id, reminder, access_token, **values)

    def _proven_page(self, reminder, access_token):
        return self._back(reminder, access_token)

    @http.route(
        "/clinic/today/<int:reminder_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def today_link(self, reminder_id, access_token=None, **kwargs):
        reminder = self._from_token(reminder_id, access_token)
        if not reminder:
            return self._not_found()
        return self._render(reminder.patient_id, reminder, access_token)

    @http.route(
        "/clinic/today/<int:reminder_id>/<string:what>",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def today_link_post(self, reminder_id, what, access_token=None, code=None, **post):
        reminder = self._from_token(reminder_id, access_token)
        if not reminder:
            return self._not_found()
        patient = reminder.patient_id
        proven = self._proven(reminder, access_token)
        if what in ("code", "verify") and proven:
            return self._back(reminder, access_token)
        if what == "code":
            return self._send_code(reminder, access_token)
        if what == "verify":
            return self._verify_code(reminder, access_token, code)
        handler = {"log": self._log, "check": self._check, "reminders": self._remind}.get(what)
        if not handler:
            return self._not_found()
        if not proven:
            return self._render(
                patient,
                reminder,
                access_token,
                status=403,
                errors=[
                    request.env._(
                        "Nothing was saved: first show it is you with the code we e-mail to you."
                    )
                ],
            )
        return handler(patient, post, reminder, access_token) or self._not_found()
