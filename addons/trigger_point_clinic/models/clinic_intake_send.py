"""The intake's private link and the e-mail that carries it (Send Intake)."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_intake import SUBMITTED
from .clinic_private_links import private_links_allowed, send_private_mail


class ClinicIntake(models.Model):
    _inherit = "clinic.intake"

    # The patient's link opens the intake without a login: it reaches the patient by e-mail and
    # nobody else (staff re-send it; they never see it).
    access_token = fields.Char(groups="base.group_system")
    intake_url = fields.Char(
        string="Link",
        compute="_compute_intake_url",
        groups="base.group_system",
        help="The patient's private link to this intake (administrators only: the clinic's "
        "staff send it with Send Intake and never see it).",
    )

    def _compute_access_url(self):
        for intake in self:
            intake.access_url = f"/clinic/intake/{intake.id}"

    @api.depends("access_token", "state")
    def _compute_intake_url(self):
        for intake in self:
            intake.intake_url = (
                intake.get_base_url() + intake.sudo()._get_share_url()
                if intake.state in ("draft", "sent") and intake.sudo().access_token
                else False
            )

    @api.private
    def get_portal_url(self, *args, **kwargs):
        """Not callable over JSON-RPC: the URL it answers opens the intake."""
        return super().get_portal_url(*args, **kwargs)

    def _get_share_url(self, redirect=False, signup_partner=False, pid=None, share_token=True):
        """The intake's token only in what e-mails the patient (or an administrator's form):
        never in what a staff member shares or copies (Odoo's Share, a composer)."""
        share_token = share_token and (private_links_allowed() or self.env.is_system())
        return super()._get_share_url(redirect, signup_partner, pid, share_token)

    def _clinic_intake_link(self):
        """The link of the intake e-mail: the patient's private link while the clinic's code
        e-mails it, else the page without its token (it opens nothing)."""
        self.ensure_one()
        intake = self.sudo()
        url = intake.get_base_url() + intake.access_url
        if private_links_allowed():
            url += f"?access_token={intake._portal_ensure_token()}"
        return url

    # ------------------------------------------------------------------ actions

    def action_send(self):
        """E-mail the patient a private link to fill in and sign this intake online. Each
        sending makes a new link: earlier links stop working."""
        for intake in self:
            if intake.state in SUBMITTED:
                raise UserError(
                    self.env._(
                        "Intake %(name)s was already submitted: create a new intake to ask the "
                        "patient again.",
                        name=intake.display_name,
                    )
                )
            if not intake.patient_id.email:
                raise UserError(
                    self.env._(
                        "Patient %(name)s has no Email: add one on the patient to send the "
                        "intake form.",
                        name=intake.patient_id.name,
                    )
                )
        template = self.env.ref("trigger_point_clinic.mail_template_clinic_intake")
        sent, failed = self.browse(), []
        for intake in self:
            # A new link each time: the one of an earlier sending stops working.
            intake.sudo().access_token = False
            mail = send_private_mail(
                template,
                intake,
                self.env._(
                    "Intake e-mailed to %(email)s with the patient's private link.",
                    email=intake.patient_id.email,
                ),
            )
            # Sent now rather than by the queue: whoever pressed the button learns whether it
            # went, and the intake is marked sent only then. A mail that left is deleted.
            mail.send(raise_exception=False)
            mail = mail.exists()
            if mail.state == "exception" or (mail and not mail.email_to and not mail.recipient_ids):
                reason = mail.failure_reason or self.env._("the patient has no e-mail address")
                # The failed mail holds the link: nothing keeps it but the intake, until the
                # next sending replaces it.
                mail.unlink()
                intake.message_post(
                    body=self.env._("The intake e-mail was not sent: %(reason)s", reason=reason),
                    subtype_xmlid="mail.mt_note",
                )
                failed.append((intake, reason))
                continue
            intake.message_post(
                body=self.env._(
                    "Intake e-mailed to %(email)s with the patient's private link.",
                    email=intake.patient_id.email,
                ),
                subtype_xmlid="mail.mt_note",
            )
            intake._workflow_write({"state": "sent", "date_sent": fields.Datetime.now()})
            sent |= intake
        return self._send_result(sent, failed)

    def _send_result(self, sent, failed):
        """What the person who pressed Send Intake sees: the e-mail went, or why not (the intake
        stays unsent, to send again: the link reaches the patient by e-mail only)."""
        if failed:
            intake, reason = failed[0]
            notice = {
                "type": "warning",
                "sticky": True,
                "title": self.env._("The intake e-mail was not sent"),
                "message": self.env._(
                    "The e-mail to %(patient)s could not be sent (%(reason)s). The intake stays "
                    "unsent: check the patient's e-mail address, or press Send Intake again "
                    "once the mail server works.",
                    patient=intake.patient_id.name,
                    reason=reason.strip() or self.env._("no reason given"),
                ),
            }
        else:
            notice = {
                "type": "success",
                "sticky": False,
                "title": self.env._("Intake sent"),
                "message": self.env._(
                    "The intake link was e-mailed to %(emails)s.",
                    emails=", ".join(sent.patient_id.mapped("email")),
                ),
            }
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {**notice, "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }
