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
