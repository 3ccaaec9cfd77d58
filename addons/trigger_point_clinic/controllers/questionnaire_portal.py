"""Questionnaires on the patient portal: the logged-in patient sees the questionnaires waiting
for them (/my/questionnaires), fills one in on a phone (one screen, large radio buttons) and
submits it. The answers are scored on the server by the response's own submit method and the
response freezes.

The e-mailed link (/clinic/questionnaire/<id>?access_token=...) opens the same form without a
login once the patient proved it is them with a one-time code e-mailed to the address on their
file (``clinic.intake.code``, scoped to the response): the link alone shows and submits nothing.
A wrong token, another response's token and a missing one answer 404.

Portal users have no access right on any clinic model: the pages wear the patient guard
(``patient_route``) and read and write through the patient-side service
(``clinic.online.booking``), which answers only with the responses that are that patient's (or
the link's). Another patient's response answers 404, like one that does not exist. Bad or
missing answers answer 400 with the message, and store nothing."""

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.clinic_intake_code import CODE_DIGITS, mask_email
from ..models.clinic_outcome_measures import MEASURES
from .patient_guard import (
    patient_route,
    patient_service,
    proof_entry,
    remember_proof,
    speak_patient_language,
)

# The session key under which a browser keeps the responses it proved itself for.
PROOFS = "clinic_questionnaire_proofs"


class QuestionnairePortal(http.Controller):
    def _not_found(self):
        return request.render(
            "trigger_point_clinic.portal_questionnaire_not_found",
            {"company": patient_service()._link_company()},
            status=404,
        )

    def _items(self, response):
        """Per answer: (answer, [(value, label), ...]) in the order asked. Items with options
        (PGIC, NDI, ODI) offer their options scored from the scale's minimum; others offer
        each value of the scale."""
        measure = MEASURES[response.scoring]
        options = {
            item.sequence: [line.strip() for line in (item.options or "").splitlines()]
            for item in response.questionnaire_id.item_ids
        }
        items = []
        for answer in response.answer_ids.sorted(lambda a: (a.sequence, a.id)):
            labels = [label for label in options.get(answer.sequence, []) if label]
            if labels:
                choices = [
                    (str(measure.item_min + index), label) for index, label in enumerate(labels)
                ]
            else:
                choices = [
                    (str(value), str(value))
                    for value in range(measure.item_min, measure.item_max + 1)
                ]
            items.append((answer, choices))
        return items

    def _render(self, response, errors=None, post=None, status=200, access_token=None, **values):
        public = access_token is not None
        return request.render(
            "trigger_point_clinic.portal_questionnaire_form",
            {
                "response": response,
                "items": self._items(response),
                "errors": errors or [],
                "post": post or {},
                "page_name": "clinic_questionnaires",
                "public": public,
                "access_token": access_token,
                "action": f"/clinic/questionnaire/{response.id}/submit"
                if public
                else f"/my/questionnaires/{response.id}",
                "proven": not public or self._proven(response, access_token),
                "code_digits": CODE_DIGITS,
                "masked_email": mask_email(response.patient_id.email),
                "code_sent": public
                and bool(request.env["clinic.intake.code"]._live(response, access_token)),
                **values,
            },
            status=status,
        )

    @http.route(
        "/my/questionnaires",
        type="http",
        auth="user",
        methods=["GET"],
        sitemap=False,
        website=True,
    )
    @patient_route
    def portal_questionnaires(self, patient, **kwargs):
        pending = patient_service()._waiting_questionnaires(patient)
        return request.render(
            "trigger_point_clinic.portal_questionnaire_list",
            {"responses": pending, "page_name": "clinic_questionnaires"},
        )

    @http.route(
        "/my/questionnaires/<int:response_id>",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        sitemap=False,
        website=True,
    )
    @patient_route
    def portal_questionnaire(self, patient, response_id, **post):
        response = patient_service()._own_response(patient, response_id)
        if not response:
            return self._not_found()
        if request.httprequest.method != "POST":
            return self._render(response)
        return self._submit(response, post)

    def _submit(self, response, post, access_token=None):
        if response.state != "draft":
            return self._render(response, status=409, access_token=access_token)
        errors = []
        values = self._parse(response, post, errors)
        if not errors:
            try:
                patient_service()._submit_response(response, values)
            except (UserError, ValidationError) as exc:
                errors.append(exc.args[0])
        if errors:
            return self._render(
                response, errors=errors, post=post, status=400, access_token=access_token
            )
        return self._render(response, access_token=access_token)

    # ------------------------------------------------------------------ the e-mailed link

    def _from_token(self, response_id, access_token):
        """The response the token opens, or an empty recordset (a wrong token, another
        response's, a missing one)."""
        return speak_patient_language(
            patient_service()._from_link("clinic.questionnaire.response", response_id, access_token)
        )

    def _link_not_valid(self):
        return request.render(
            "trigger_point_clinic.intake_portal_link_not_valid",
            {"company": patient_service()._link_company()},
            status=404,
        )

    def _proven(self, response, access_token):
        """Whether this browser gave the code e-mailed to the patient for this response and
        this link (within PROOF_HOURS), or is logged in as the patient."""
        return patient_service()._proven(
            response, access_token, request.env.user, proof_entry(PROOFS, response)
        )

    def _redirect_to_form(self, response, access_token):
        return request.redirect(
            f"/clinic/questionnaire/{response.id}?access_token={access_token}",
            code=303,
            local=True,
        )

    @http.route(
        "/clinic/questionnaire/<int:response_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def questionnaire_link(self, response_id, access_token=None, **kwargs):
        response = self._from_token(response_id, access_token)
        if not response:
            return self._link_not_valid()
        return self._render(response, access_token=access_token)

    @http.route(
        "/clinic/questionnaire/<int:response_id>/code",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def questionnaire_send_code(self, response_id, access_token=None, **post):
        """The patient asks for a one-time code: e-mailed to the address on their file."""
        response = self._from_token(response_id, access_token)
        if not response:
            return self._link_not_valid()
        if response.state != "draft" or self._proven(response, access_token):
            return self._redirect_to_form(response, access_token)
        refused = request.env["clinic.intake.code"]._send(response, access_token)
        if refused:
            message, status = refused
            return self._render(
                response, errors=[message], status=status, access_token=access_token
            )
        return self._render(response, access_token=access_token, code_just_sent=True)

    @http.route(
        "/clinic/questionnaire/<int:response_id>/verify",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def questionnaire_verify_code(self, response_id, access_token=None, code=None, **post):
        """The patient types the code: the right one opens the form in this browser."""
        response = self._from_token(response_id, access_token)
        if not response:
            return self._link_not_valid()
        if response.state != "draft" or self._proven(response, access_token):
            return self._redirect_to_form(response, access_token)
        codes = request.env["clinic.intake.code"]
        right, message = codes._check(response, access_token, code)
        if not right:
            return self._render(response, errors=[message], status=400, access_token=access_token)
        remember_proof(PROOFS, response, access_token)
        return self._redirect_to_form(response, access_token)

    @http.route(
        "/clinic/questionnaire/<int:response_id>/submit",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def questionnaire_submit(self, response_id, access_token=None, **post):
        response = self._from_token(response_id, access_token)
        if not response:
            return self._link_not_valid()
        if response.state == "draft" and not self._proven(response, access_token):
            # Nothing posted is read: the link alone submits nothing.
            return self._render(
                response,
                errors=[
                    request.env._(
                        "Nothing was saved: first show it is you with the code we e-mail to "
                        "you, then answer."
                    )
                ],
                status=403,
                access_token=access_token,
            )
        return self._submit(response, post, access_token=access_token)

    def _parse(self, response, post, errors):
        """(answer, value) per item from the form; an item left empty stays unanswered (the
        instrument's manual decides whether the response can still be scored). A value that
        is not one of the item's choices is refused with the item named."""
        values = []
        for answer, choices in self._items(response):
            raw = post.get(f"answer_{answer.id}")
            if raw in (None, ""):
                values.append((answer, False))
                continue
            if not isinstance(raw, str) or raw.strip() not in {value for value, _ in choices}:
                errors.append(
                    request.env._(
                        "%(question)s: choose one of the answers offered (%(low)s to %(high)s).",
                        question=answer.question,
                        low=choices[0][0],
                        high=choices[-1][0],
                    )
                )
                continue
            values.append((answer, raw.strip()))
        return values
