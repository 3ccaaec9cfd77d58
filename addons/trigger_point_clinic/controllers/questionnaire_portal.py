"""Questionnaires on the patient portal: the logged-in patient sees the questionnaires waiting
for them (/my/questionnaires), fills one in on a phone (one screen, large radio buttons) and
submits it. The answers are scored on the server by the response's own submit method and the
response freezes.

Portal users have no access right on any clinic model: the pages find the patient from the
logged-in user (``clinic.online.booking._patient_of``) and read as superuser only the
responses that are that patient's. Another patient's response answers 404, like one that does
not exist. Bad or missing answers answer 400 with the message, and store nothing."""

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.clinic_outcome_measures import MEASURES
from ..models.clinic_values import valid_id


class QuestionnairePortal(http.Controller):
    def _patient(self):
        return request.env["clinic.online.booking"].sudo()._patient_of(request.env.user)

    def _own_response(self, patient, response_id):
        """The response ``response_id`` when it is ``patient``'s, else an empty recordset."""
        Response = request.env["clinic.questionnaire.response"].sudo()
        response = Response.browse(valid_id(response_id) or []).exists()
        if not patient or response.patient_id != patient:
            return Response.browse()
        return response

    def _not_found(self):
        return request.render(
            "trigger_point_clinic.portal_questionnaire_not_found",
            {"company": request.env.company.sudo()},
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

    def _render(self, response, errors=None, post=None, status=200):
        return request.render(
            "trigger_point_clinic.portal_questionnaire_form",
            {
                "response": response,
                "items": self._items(response),
                "errors": errors or [],
                "post": post or {},
                "page_name": "clinic_questionnaires",
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
    def portal_questionnaires(self, **kwargs):
        patient = self._patient()
        if not patient:
            return request.render(
                "trigger_point_clinic.portal_clinic_not_patient", {"error": False}, status=404
            )
        pending = (
            request.env["clinic.questionnaire.response"]
            .sudo()
            .search([("patient_id", "=", patient.id), ("state", "=", "draft")], order="id")
        )
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
    def portal_questionnaire(self, response_id, **post):
        response = self._own_response(self._patient(), response_id)
        if not response:
            return self._not_found()
        if request.httprequest.method != "POST":
            return self._render(response)
        if response.state != "draft":
            return self._render(response, status=409)
        errors = []
        values = self._parse(response, post, errors)
        if not errors:
            try:
                with request.env.cr.savepoint():
                    for answer, value in values:
                        answer.value = value
                    response.action_submit()
            except (UserError, ValidationError) as exc:
                response.invalidate_recordset()
                response.answer_ids.invalidate_recordset()
                errors.append(exc.args[0])
        if errors:
            return self._render(response, errors=errors, post=post, status=400)
        return self._render(response)

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
