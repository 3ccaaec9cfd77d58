from odoo import api, models


class MailMail(models.Model):
    """An e-mail sent straight to someone (a template's: an intake, a reminder, an invitation
    to set a password) may carry the recipient's private link. Odoo keeps a copy of its body
    in the ``mail.message`` behind it, which anyone who reads the related record reads (front
    desk reads users, sessions, intakes). Here that copy says only that an e-mail went: the
    body stays in the ``mail.mail`` (administrators only), which leaves with the e-mail.

    Chatter messages and their notifications are untouched: their body is the message."""

    _inherit = "mail.mail"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            body_html = vals.get("body_html")
            if (
                body_html
                and not vals.get("is_notification")
                and not vals.get("mail_message_id")
                and vals.get("body") == body_html
            ):
                vals["body"] = self._clinic_kept_body()
        return super().create(vals_list)

    def _clinic_kept_body(self):
        return self.env._("An e-mail was sent to the recipient; its content is not kept here.")
