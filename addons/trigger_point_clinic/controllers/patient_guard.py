"""Who the patient is, for every page of the patient's side.

- ``patient_route``: the one guard of the logged-in patient's pages (``/my/clinic``,
  ``/my/questionnaires``, ``/my/clinic/today``), worn under ``@http.route``. It finds the patient
  from the logged-in user, once, by ``clinic.online.booking._patient_of`` (never from what the
  browser sends) and hands it to the page as its first argument; an account that is no
  patient's gets the *not a patient* page (404) and the page does not run.
- ``patient_service``: the service every page reads and writes through
  (``clinic.online.booking``, ``models/clinic_online_booking*.py``), which answers only with
  the patient's own records.
- ``speak_patient_language``: every page of the patient's side, its messages and its dates
  speak the patient's language (their partner's), not the browser's nor a cookie's.
- ``proof_entry``, ``remember_proof``: what a browser's session keeps once it gave the code
  e-mailed for a link (the intake, a questionnaire, Today); ``_proven`` of the service judges it.
- ``EmailedLinkCode``: the pages of such a link, from its token to the code asked and checked.
"""

import functools
import time

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request


def patient_service():
    """The patient's side service, as superuser: portal users and visitors have no access
    right on any clinic model, and the service reads only the records it checked are the
    patient's (or the link's). Odoo's own portal reads a document as superuser the same way,
    once it checked the visitor may see it (``CustomerPortal._document_check_access``)."""
    return request.env["clinic.online.booking"].sudo()


def speak_patient_language(record, patient=None):
    """``record`` (the patient, or what a link opened) in the patient's language, which the
    rest of the request speaks too: the page's words, its 400 messages and its dates. A
    language the clinic has not installed leaves the request's."""
    patient = record.patient_id if patient is None else patient
    lang = patient.sudo().partner_id.lang
    if not lang or lang == request.env.lang:
        return record
    if lang not in dict(request.env["res.lang"].get_installed()):
        return record
    request.update_context(lang=lang)
    return record.with_context(lang=lang)


def not_a_patient(controller, error=False, status=404):
    """The page of an account that is no patient's (or, with ``error``, of a refusal)."""
    values = (
        controller._prepare_portal_layout_values() if isinstance(controller, CustomerPortal) else {}
    )
    return request.render(
        "trigger_point_clinic.portal_clinic_not_patient",
        {**values, "page_name": "clinic", "error": error},
        status=status,
    )


def patient_route(endpoint):
    """Run the page ``endpoint(self, patient, ...)`` for the logged-in user's patient only."""

    @functools.wraps(endpoint)
    def guarded(self, *args, **kwargs):
        # The patient comes from the login: a parameter of that name is not read.
        kwargs.pop("patient", None)
        patient = patient_service()._patient_of(request.env.user)
        if not patient:
            return not_a_patient(self)
        return endpoint(self, speak_patient_language(patient, patient), *args, **kwargs)

    return guarded


def proof_entry(key, record):
    """What this browser's session keeps under ``key`` for ``record``'s link, or None."""
    return (request.session.get(key) or {}).get(str(record.id))


def remember_proof(key, record, access_token):
    """This browser gave the right code for ``record``'s link: its session keeps the proof,
    bound to the record and the link, with the time (``_proven`` lets it serve PROOF_HOURS)."""
    proofs = dict(request.session.get(key) or {})
    proofs[str(record.id)] = [
        request.env["clinic.intake.code"]._proof(record, access_token),
        int(time.time()),
    ]
    request.session[key] = proofs


class EmailedLinkCode:
    """What the controllers of an e-mailed link (the intake, a questionnaire, Today) share: the
    record the link opens, and the one-time code that proves this browser is the patient's.

    A class sets ``_link_model`` (the model of the record) and ``_proofs`` (the session key
    of its proofs), and defines ``_code_page(record, access_token, **values)`` (the link's page,
    given ``status`` and ``errors``, or ``code_just_sent``) and ``_proven_page(record,
    access_token)`` (where a browser goes once proven)."""

    _link_model = None
    _proofs = None

    def _from_token(self, record_id, access_token):
        """The record the token opens, or an empty recordset: a wrong token, the token of
        another record, and a link replaced by a newer sending all open nothing (nor does a
        token of characters no token has, such as accented letters or Arabic-Indic digits).
        The page then speaks the patient's language."""
        return speak_patient_language(
            patient_service()._from_link(self._link_model, record_id, access_token)
        )

    def _link_not_valid(self):
        """The answer to a link that opens nothing: a 404 page that tells the patient to ask
        the clinic for a new link. It names the company of the request, never the record's, so
        that it reads the same whether the record exists or not."""
        return request.render(
            "trigger_point_clinic.intake_portal_link_not_valid",
            {"company": patient_service()._link_company()},
            status=404,
        )

    def _proven(self, record, access_token):
        """Whether this browser gave the code e-mailed for this record and this link (within
        PROOF_HOURS), or is logged in as the patient (their portal account, reached with
        their own password)."""
        return patient_service()._proven(
            record, access_token, request.env.user, proof_entry(self._proofs, record)
        )

    def _send_code(self, record, access_token):
        """The patient asks for a one-time code: e-mailed to the address on their file."""
        refused = request.env["clinic.intake.code"]._send(record, access_token)
        if refused:
            message, status = refused
            return self._code_page(record, access_token, status=status, errors=[message])
        return self._code_page(record, access_token, code_just_sent=True)

    def _verify_code(self, record, access_token, code):
        """The patient types the code: the right one proves this browser for the link."""
        right, message = request.env["clinic.intake.code"]._check(record, access_token, code)
        if not right:
            return self._code_page(record, access_token, status=400, errors=[message])
        remember_proof(self._proofs, record, access_token)
        return self._proven_page(record, access_token)
