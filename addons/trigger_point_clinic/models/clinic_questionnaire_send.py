"""A scheduled questionnaire reaches the patient: an e-mail with a private link to fill it in on
a phone. The link works as the intake's does (clinic_private_links.py): its token is rendered
only while the clinic's code e-mails it, the message the database keeps of the e-mail names no
link, and the token field is for administrators only. The link alone opens nothing: the patient
proves it is them with a one-time code (clinic.intake.code, scoped to the response)."""

import secrets

from odoo import api, fields, models

from .clinic_private_links import private_links_allowed, send_private_mail


class ClinicQuestionnaireResponse(models.Model):
    _inherit = "clinic.questionnaire.response"

    access_token = fields.Char(groups="base.group_system", copy=False, readonly=True)

    @api.private
    def _clinic_questionnaire_link(self):
        """The link of the questionnaire e-mail: the patient's private link while the clinic's
        code e-mails it, else the page without its token (it opens nothing)."""
        self.ensure_one()
        response = self.sudo()
        url = f"{response.get_base_url()}/clinic/questionnaire/{response.id}"
        if private_links_allowed():
            if not response.access_token:
                response.access_token = secrets.token_urlsafe(32)
            url += f"?access_token={response.access_token}"
        return url

    @api.private
    def _send_link(self):
        """Queue the e-mail with the private link to each draft response's patient (when the
        patient has an address)."""
        template = self.env.ref("trigger_point_clinic.mail_template_clinic_questionnaire")
        for response in self.sudo():
            if response.state != "draft" or not response.patient_id.email:
                continue
            send_private_mail(
                template,
                response,
                self.env._(
                    "Questionnaire e-mailed to %(email)s with the patient's private link.",
                    email=response.patient_id.email,
                ),
            )


class ClinicEpisode(models.Model):
    _inherit = "clinic.episode"

    @api.private
    def _schedule_questionnaires(self, moment):
        """Each response scheduled is e-mailed to the patient with its private link."""
        before = self.sudo().response_ids
        result = super()._schedule_questionnaires(moment)
        (self.sudo().response_ids - before)._send_link()
        return result
