"""The patient's proof on the intake page, as tests give it: ask for the code over HTTP, read it
from the e-mail sent to the patient, type it.

``received_code`` is the one place that knows how a test gets that e-mail: in a test that sends
for real (``mail_common.RealMailCase``), from the message the suite's SMTP server received;
elsewhere Odoo sends no mail while tests run, and the code's e-mail is read in the outgoing
queue (``mail.mail``)."""

import base64
import re

from .common import ClinicCase

CODE_IN_MAIL = re.compile(r'class="o_clinic_intake_code"[^>]*>\s*(\d{6})\s*<')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class IntakeProofMixin:
    """For an ``HttpCase``: the code step of the intake page, passed as the patient does."""

    @classmethod
    def _sent_intakes(cls, name):
        """``cls.patient`` (``name``) and ``cls.other``, each sent an intake (``cls.intake``,
        ``cls.other_intake``), and a drawn signature as the page posts it."""
        cls.patient = cls.env["clinic.patient"].create(
            {"name": name, "email": "petra@patient.example.com"}
        )
        cls.other = cls.env["clinic.patient"].create(
            {"name": "Otto Other", "email": "otto@patient.example.com"}
        )
        cls.intake = cls.env["clinic.intake"].create({"patient_id": cls.patient.id})
        cls.intake.action_send()
        cls.other_intake = cls.env["clinic.intake"].create({"patient_id": cls.other.id})
        cls.other_intake.action_send()
        cls.signature = (
            "data:image/png;base64," + base64.b64encode(ClinicCase._signature_png()).decode()
        )

    def code_mails(self, intake):
        """The e-mails with an intake code to the patient of ``intake``, newest first."""
        self.env.flush_all()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("email_to", "=", intake.patient_id.email)], order="id desc")
        )
        return mails.filtered(lambda mail: CODE_IN_MAIL.search(str(mail.body_html or "")))

    def received_code(self, intake):
        """The one-time code of the last e-mail sent to the patient of ``intake``."""
        if getattr(self, "maildir", None):
            for message in reversed(self.received(to=intake.patient_id.email, count=1)):
                found = CODE_IN_MAIL.search(self.html_of(message))
                if found:
                    return found.group(1)
            self.fail(f"the mail server received no intake code for {intake.patient_id.email}")
        for mail in self.code_mails(intake)[:1]:
            return CODE_IN_MAIL.search(str(mail.body_html)).group(1)
        self.fail(f"no intake code was e-mailed to {intake.patient_id.email}")

    def intake_url(self, intake, suffix="", token=None):
        token = intake.access_token if token is None else token
        return f"/clinic/intake/{intake.id}{suffix}?access_token={token}"

    def csrf_of(self, page):
        return CSRF.search(page.text).group(1)

    def ask_code(self, intake, token=None):
        """Open the link and press "Send me a code". Returns the answer to that press."""
        page = self.url_open(self.intake_url(intake, token=token))
        self.assertEqual(page.status_code, 200, page.text[:500])
        return self.url_open(
            self.intake_url(intake, "/code", token=token),
            data={"csrf_token": self.csrf_of(page)},
        )

    def type_code(self, intake, code, token=None):
        """Type ``code`` on the code step. Returns the answer (the form, once redirected)."""
        page = self.url_open(self.intake_url(intake, token=token))
        return self.url_open(
            self.intake_url(intake, "/verify", token=token),
            data={"csrf_token": self.csrf_of(page), "code": code},
        )

    def prove(self, intake):
        """The patient's proof, given in this test's browser session: the form opens."""
        sent = self.ask_code(intake)
        self.assertEqual(sent.status_code, 200, sent.text[:2000])
        page = self.type_code(intake, self.received_code(intake))
        self.assertEqual(page.status_code, 200, page.text[:2000])
        self.assertIn("o_clinic_intake_form", page.text, "the right code opens the form")
        return page
