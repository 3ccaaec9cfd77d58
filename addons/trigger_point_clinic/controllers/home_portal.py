"""Today on the patient's phone: the practices of the home programme due today, each with its
instructions, pressure and a body diagram of where; one tap logs a practice done with the pain
felt there; the daily check; the reminder times.

Logged in, at /my/clinic/today, the patient is the portal user's (``_patient_of``). From the
reminder e-mail, /clinic/today/<reminder>?access_token=... opens the same page once the
patient proved it is them with a one-time code e-mailed to the address on their file
(``clinic.intake.code`` scoped to the reminder), as the intake and questionnaire links do: the
link alone shows and logs nothing. A wrong token answers 404, and so does a practice that is not
in the patient's own programme. Bad input answers 400 with the message, and stores nothing."""

import time

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..models.clinic_contraindication import PRESSURE_LEVELS
from ..models.clinic_intake_code import CODE_DIGITS, PROOF_HOURS, mask_email
from ..models.clinic_values import same_token, valid_id

PROOFS = "clinic_today_proofs"
PAIN_VALUES = [str(value) for value in range(11)]


class HomePortal(http.Controller):
    # ------------------------------------------------------------------ who

    def _patient(self):
        return request.env["clinic.online.booking"].sudo()._patient_of(request.env.user)

    def _from_token(self, reminder_id, access_token):
        Reminder = request.env["clinic.home.reminder"].sudo()
        reminder = Reminder.browse(valid_id(reminder_id) or []).exists()
        if not reminder or not same_token(reminder.access_token, access_token):
            return Reminder.browse()
        return reminder

    def _proven(self, reminder, access_token):
        """Whether this browser gave the code e-mailed for this link (within PROOF_HOURS), or
        is logged in as the patient."""
        user = request.env.user
        partner = reminder.patient_id.partner_id
        if partner and not user._is_public() and user.partner_id == partner:
            return True
        entry = (request.session.get(PROOFS) or {}).get(str(reminder.id))
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            return False
        proof, when = entry
        if not isinstance(when, int) or when + PROOF_HOURS * 3600 < time.time():
            return False
        expected = request.env["clinic.intake.code"]._proof(reminder, access_token)
        return same_token(expected, proof)

    def _not_found(self):
        return request.render(
            "trigger_point_clinic.portal_today_not_found",
            {"company": request.env.company.sudo()},
            status=404,
        )

    # ------------------------------------------------------------------ the page

    def _render(self, patient, reminder=None, access_token=None, status=200, **values):
        env = request.env
        public = access_token is not None
        programme = env["clinic.home.programme"]._for_patient(patient)
        company = patient.company_id or env.company
        today = company._clinic_local_date(fields.Datetime.now())
        done = {
            item.id: count
            for item, count in env["clinic.home.log"]
            .sudo()
            ._read_group(
                [("patient_id", "=", patient.id), ("day", "=", today)],
                ["homecare_item_id"],
                ["__count"],
            )
        }
        regions = env["clinic.body.region"].sudo()
        practices = [
            dict(
                practice,
                done=done.get(practice["item"].id, 0),
                body_map=regions._body_map(
                    practice["region"],
                    {
                        practice["region"].id: [
                            (
                                practice["side"]
                                if practice["side"] in ("left", "right")
                                else "bilateral",
                                None,
                            )
                        ]
                    },
                ),
            )
            for practice in programme["practices"]
        ]
        checks = env["clinic.home.check"].sudo()
        checked_today = checks.search(
            [
                ("patient_id", "=", patient.id),
                ("date", ">=", fields.Datetime.subtract(fields.Datetime.now(), days=2)),
            ]
        ).filtered(lambda check: company._clinic_local_date(check.date) == today)[:1]
        reminder = reminder or env["clinic.home.reminder"].sudo().search(
            [("patient_id", "=", patient.id)], limit=1
        )
        if public:
            base = f"/clinic/today/{reminder.id}"
            query = f"?access_token={access_token}"
        else:
            base, query = "/my/clinic/today", ""
        proven = not public or self._proven(reminder, access_token)
        return request.render(
            "trigger_point_clinic.portal_today",
            {
                "patient": patient,
                "programme": programme,
                "practices": practices if proven else [],
                "pressure_labels": dict(PRESSURE_LEVELS),
                "pain_values": PAIN_VALUES,
                "questions": env["clinic.home.check"]._daily_questions(),
                "checked_today": checked_today,
                "emergency": any(programme["paused"].mapped("emergency")),
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
        programme = request.env["clinic.home.programme"]._for_patient(patient)
        item_id = valid_id(post.get("item_id"))
        practice = next((p for p in programme["practices"] if p["item"].id == item_id), None)
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
                request.env["clinic.home.log"]._log_practice(
                    patient, practice, int(raw.strip()), comment
                )
        except ValidationError as exc:
            return self._bad(patient, exc.args[0], post, reminder, access_token)
        return self._back(reminder, access_token, f"#practice_{practice['item'].id}")

    def _check(self, patient, post, reminder=None, access_token=None):
        """The daily check: yes or no to each of the catalogue's daily questions."""
        checks = request.env["clinic.home.check"]
        answers = {}
        for entry in checks._daily_questions():
            raw = post.get(f"check_{entry.id}")
            if raw in ("yes", "no"):
                answers[entry] = raw == "yes"
        try:
            with request.env.cr.savepoint():
                checks._answer(patient, answers)
        except ValidationError as exc:
            return self._bad(patient, exc.args[0], post, reminder, access_token)
        return self._back(reminder, access_token, "#daily_check")

    def _remind(self, patient, post, reminder=None, access_token=None):
        reminder = reminder or request.env["clinic.home.reminder"]._ensure_for(patient)
        try:
            with request.env.cr.savepoint():
                reminder._choose(post.get("email") == "on", post.get("times") or "")
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

    def _logged_in(self):
        patient = self._patient()
        if not patient:
            return None, request.render(
                "trigger_point_clinic.portal_clinic_not_patient", {"error": False}, status=404
            )
        return patient, None

    @http.route(
        "/my/clinic/today",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
        website=True,
        sitemap=False,
    )
    def portal_today(self, **kwargs):
        patient, refused = self._logged_in()
        return refused or self._render(patient)

    @http.route(
        "/my/clinic/today/<string:what>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_today_post(self, what, **post):
        patient, refused = self._logged_in()
        if refused:
            return refused
        handler = {"log": self._log, "check": self._check, "reminders": self._remind}.get(what)
        answer = handler and handler(patient, post)
        return answer or self._not_found()

    # ------------------------------------------------------------------ the e-mailed link

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
        codes = request.env["clinic.intake.code"]
        proven = self._proven(reminder, access_token)
        if what == "code":
            if proven:
                return self._back(reminder, access_token)
            refused = codes._send(reminder, access_token)
            if refused:
                message, status = refused
                return self._render(
                    patient, reminder, access_token, status=status, errors=[message]
                )
            return self._render(patient, reminder, access_token, code_just_sent=True)
        if what == "verify":
            if proven:
                return self._back(reminder, access_token)
            right, message = codes._check(reminder, access_token, code)
            if not right:
                return self._render(patient, reminder, access_token, status=400, errors=[message])
            proofs = dict(request.session.get(PROOFS) or {})
            proofs[str(reminder.id)] = [codes._proof(reminder, access_token), int(time.time())]
            request.session[PROOFS] = proofs
            return self._back(reminder, access_token)
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
