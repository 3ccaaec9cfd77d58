"""The online intake: a patient opens the link e-mailed to them (no login), proves it is them
with a one-time code e-mailed to the address on their file, fills in the form on a phone, signs
it and submits. Everything posted is checked here, on the server.

The link alone shows neither answers nor the form, and submits nothing: whoever holds it (a
member of staff who copied it, a forwarded e-mail) still needs the code, which reaches only the
patient's mailbox. The right code marks this browser's session as proven for this intake and
this link (a newer link voids it), for PROOF_HOURS.

The intake is found, read and written through the patient-side service
(``clinic.online.booking``, ``models/clinic_online_booking_links.py``)."""

import base64
import binascii
import re
import struct

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.clinic_intake_code import CODE_DIGITS, CODE_MINUTES, mask_email
from .patient_guard import patient_service, proof_entry, remember_proof, speak_patient_language

SIGNATURE_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_BYTES = 512 * 1024
# A signature pad on the widest screen is a few thousand pixels wide; a PNG claiming more is
# refused before anything decodes it (a "decompression bomb" would exhaust the server).
MAX_SIGNATURE_SIDE = 4096
MAX_TEXT = 4000
# The session key under which a browser keeps the intakes it proved itself for.
PROOFS = "clinic_intake_proofs"


class IntakePortal(http.Controller):
    def _intake_from_token(self, intake_id, access_token):
        """The intake the token opens, or an empty recordset: a wrong token, the token of
        another intake, and a link replaced by a newer sending all open nothing (nor does a
        token of characters no token has, such as accented letters or Arabic-Indic digits)."""
        return speak_patient_language(
            patient_service()._from_link("clinic.intake", intake_id, access_token)
        )

    def _link_not_valid(self):
        """The answer to a link that opens no intake: a 404 page that tells the patient to ask
        the clinic for a new link. It names the company of the request, never the intake's, so
        that it reads the same whether the intake exists or not."""
        return request.render(
            "trigger_point_clinic.intake_portal_link_not_valid",
            {"company": patient_service()._link_company()},
            status=404,
        )

    @http.route(
        "/clinic/intake/<int:intake_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def intake_form(self, intake_id, access_token=None, renewed=None, **kwargs):
        intake = self._intake_from_token(intake_id, access_token)
        if not intake:
            return self._link_not_valid()
        return self._render(intake, access_token, renewed=bool(renewed))

    @http.route(
        "/clinic/intake/<int:intake_id>/code",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def intake_send_code(self, intake_id, access_token=None, **post):
        """The patient asks for a one-time code: e-mailed to the address on their file."""
        intake = self._intake_from_token(intake_id, access_token)
        if not intake:
            return self._link_not_valid()
        if intake.state not in ("draft", "sent") or self._proven(intake, access_token):
            return self._redirect_to_form(intake, access_token)
        refused = request.env["clinic.intake.code"]._send(intake, access_token)
        if refused:
            message, status = refused
            return self._render(intake, access_token, errors=[message], status=status)
        return self._render(intake, access_token, code_just_sent=True)

    @http.route(
        "/clinic/intake/<int:intake_id>/verify",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def intake_verify_code(self, intake_id, access_token=None, code=None, **post):
        """The patient types the code: the right one opens the form in this browser."""
        intake = self._intake_from_token(intake_id, access_token)
        if not intake:
            return self._link_not_valid()
        if intake.state not in ("draft", "sent") or self._proven(intake, access_token):
            return self._redirect_to_form(intake, access_token)
        right, message = request.env["clinic.intake.code"]._check(intake, access_token, code)
        if not right:
            return self._render(intake, access_token, errors=[message], status=400)
        remember_proof(PROOFS, intake, access_token)
        return self._redirect_to_form(intake, access_token)

    def _redirect_to_form(self, intake, access_token):
        return request.redirect(
            f"/clinic/intake/{intake.id}?access_token={access_token}", code=303, local=True
        )

    def _proven(self, intake, access_token):
        """Whether this browser proved it is the patient's, for this intake and this link: it
        gave the code e-mailed to the patient, or it is logged in as the patient (their portal
        account, reached with their own password)."""
        return patient_service()._proven(
            intake, access_token, request.env.user, proof_entry(PROOFS, intake)
        )

    @http.route(
        "/clinic/intake/<int:intake_id>/submit",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def intake_submit(self, intake_id, access_token=None, **post):
        intake = self._intake_from_token(intake_id, access_token)
        if not intake:
            return self._link_not_valid()
        if intake.state not in ("draft", "sent"):
            return self._render(intake, access_token, status=409)
        if not self._proven(intake, access_token):
            # Nothing posted is read: the link alone submits nothing.
            return self._render(
                intake,
                access_token,
                errors=[
                    request.env._(
                        "Nothing was saved: first show it is you with the code we e-mail to "
                        "you, then fill in the form."
                    )
                ],
                status=403,
            )
        errors = []
        missing = {}
        values = self._parse(intake, post, errors, missing)
        if not errors:
            try:
                with request.env.cr.savepoint():
                    patient_service()._submit_intake(intake, values)
            except (UserError, ValidationError) as exc:
                errors.append(exc.args[0])
        if errors:
            return self._render(
                intake, access_token, errors=errors, post=post, status=400, missing=missing
            )
        return self._render(intake, access_token)

    @http.route(
        "/clinic/intake/<int:intake_id>/portal",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def intake_portal_access(self, intake_id, access_token=None, **post):
        """From the thank-you page of a submitted intake: the patient asks for an account on
        the patient portal. Odoo's portal wizard grants it, as the clinic would from the
        patient's contact, and e-mails the invitation to set a password."""
        intake = self._intake_from_token(intake_id, access_token)
        if not intake:
            return self._link_not_valid()
        if intake.state not in ("submitted", "reviewed"):
            return self._render(intake, access_token, status=409)
        try:
            with request.env.cr.savepoint():
                patient_service()._invite(intake)
        except (UserError, ValidationError) as exc:
            return self._render(intake, access_token, errors=[exc.args[0]], status=400)
        return self._render(intake, access_token, invited=True)

    def _render(
        self,
        intake,
        access_token,
        errors=None,
        post=None,
        status=200,
        invited=False,
        code_just_sent=False,
        missing=None,
        renewed=False,
    ):
        submitted = intake.state in ("submitted", "reviewed")
        proven = not submitted and self._proven(intake, access_token)
        if proven:
            regions, medications = patient_service()._intake_catalogue()
        else:
            # Before the proof, the page shows no question, answer or catalogue.
            regions = request.env["clinic.body.region"]
            medications = request.env["clinic.contraindication"]
        codes = request.env["clinic.intake.code"]
        post = post or {}
        response = request.render(
            "trigger_point_clinic.intake_portal_page",
            {
                "proven": proven,
                "masked_email": mask_email(intake.patient_id.email),
                "code_sent": code_just_sent
                or bool(not submitted and not proven and codes._live(intake, access_token)),
                "code_digits": CODE_DIGITS,
                "code_minutes": CODE_MINUTES,
                "intake": intake,
                "company": patient_service()._link_company(intake),
                "access_token": access_token,
                "answers": intake.answer_ids if proven else intake.answer_ids.browse(),
                "regions": regions,
                "medications": medications,
                "errors": errors or [],
                # The unanswered questions: marked where they are, and linked from the list.
                "missing": missing or {},
                "missing_by_message": {message: key for key, message in (missing or {}).items()},
                "body_map": proven and self._pain_map(regions, post),
                "renewed": renewed,
                "post": post,
                "submitted": submitted,
                "has_account": bool(intake.patient_id.partner_id.user_ids),
                "invited": invited,
            },
        )
        response.status_code = status
        return response

    def _pain_map(self, regions, post):
        """The clinic's body diagram of the intake's regions, each scored one drawn with its
        score (the scores a refused submission posted, drawn again)."""
        marks = {}
        for region in regions:
            raw = (post.get(f"pain_{region.id}") or "").strip()
            if re.fullmatch(r"\d{1,2}", raw) and int(raw) <= 10:
                marks[region.id] = [("bilateral", int(raw))]
        return regions._body_map(regions, marks)

    def _parse(self, intake, post, errors, missing=None):
        """Turn the posted form into intake values, listing every problem in ``errors`` (and
        each unanswered question in ``missing``, by its answer's id)."""
        env = request.env
        values = {}

        answer_commands = []
        for answer in intake.answer_ids:
            raw = post.get(f"answer_{answer.id}")
            if raw not in ("yes", "no"):
                message = env._("Answer yes or no to: %(question)s", question=answer.question)
                errors.append(message)
                if missing is not None:
                    missing[answer.id] = message
                continue
            detail = self._text(post.get(f"detail_{answer.id}"), env._("details"), errors)
            answer_commands.append(
                fields.Command.update(answer.id, {"answer": raw, "detail": detail})
            )
        values["answer_ids"] = answer_commands

        regions, medications = patient_service()._intake_catalogue()
        values["medication_ids"] = [
            fields.Command.set([m.id for m in medications if post.get(f"medication_{m.id}")])
        ]
        values["medication_note"] = self._text(
            post.get("medication_note"), env._("medications"), errors
        )

        values["pregnant"] = post.get("pregnant") == "yes"
        trimester = post.get("pregnancy_trimester") or False
        if trimester not in (False, "1", "2", "3"):
            errors.append(env._("Choose the trimester of the pregnancy from the list."))
            trimester = False
        values["pregnancy_trimester"] = trimester

        values["recent_surgery"] = post.get("recent_surgery") == "yes"
        values["surgery_date"] = False
        if post.get("surgery_date"):
            try:
                values["surgery_date"] = fields.Date.to_date(post["surgery_date"])
            except ValueError:
                errors.append(env._("Give the surgery or trauma date as a date (YYYY-MM-DD)."))
        values["surgery_site"] = self._text(post.get("surgery_site"), env._("surgery site"), errors)

        pain_commands = [fields.Command.clear()]
        for region in regions:
            raw = (post.get(f"pain_{region.id}") or "").strip()
            if not raw:
                continue
            if not re.fullmatch(r"\d{1,2}", raw) or int(raw) > 10:
                errors.append(
                    env._(
                        "Pain for %(region)s must be a whole number from 0 to 10.",
                        region=region.name,
                    )
                )
                continue
            pain_commands.append(fields.Command.create({"region_id": region.id, "pain": int(raw)}))
        values["pain_ids"] = pain_commands

        values["goals"] = self._text(post.get("goals"), env._("goals"), errors)
        values["consent"] = post.get("consent") == "yes"
        values["signer_name"] = self._text(post.get("signer_name"), env._("name"), errors)
        values["signature"] = self._signature(post.get("signature"), errors)
        return values

    def _text(self, raw, label, errors):
        text = (raw or "").strip()
        if "\x00" in text:
            errors.append(
                request.env._(
                    "The %(label)s text contains a character that cannot be stored: retype it.",
                    label=label,
                )
            )
            return False
        if len(text) > MAX_TEXT:
            errors.append(
                request.env._(
                    "The %(label)s text is too long (%(max)s characters at most).",
                    label=label,
                    max=MAX_TEXT,
                )
            )
            return False
        return text or False

    def _signature(self, raw, errors):
        """A drawn signature arrives as a PNG data URL from the canvas; nothing else is kept."""
        if not raw:
            return False
        if not raw.startswith(SIGNATURE_PREFIX):
            errors.append(request.env._("The signature could not be read: sign again."))
            return False
        try:
            png = base64.b64decode(raw[len(SIGNATURE_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            errors.append(request.env._("The signature could not be read: sign again."))
            return False
        if not png.startswith(b"\x89PNG\r\n\x1a\n") or len(png) > MAX_SIGNATURE_BYTES:
            errors.append(request.env._("The signature could not be read: sign again."))
            return False
        # The IHDR chunk comes first: width and height, big-endian, at bytes 16 to 24.
        if len(png) < 24 or png[12:16] != b"IHDR":
            errors.append(request.env._("The signature could not be read: sign again."))
            return False
        width, height = struct.unpack(">II", png[16:24])
        if not (0 < width <= MAX_SIGNATURE_SIDE and 0 < height <= MAX_SIGNATURE_SIDE):
            errors.append(
                request.env._(
                    "The signature image is %(width)s by %(height)s pixels: sign again on the "
                    "pad (%(max)s pixels a side at most).",
                    width=width,
                    height=height,
                    max=MAX_SIGNATURE_SIDE,
                )
            )
            return False
        return base64.b64encode(png)
