"""Every flow of the clinic that mails, through a real SMTP server (``bin/clinic test`` runs
one): what the server received is read, and the link it carries is opened over HTTP. The
patient's private links reach the patient only: front desk and therapists read none of them
over JSON-RPC (chatter, mail.message, mail.mail, mail.notification, the intake's fields)."""

import html
import json
import re

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import csrf_of
from .intake_proof import IntakeProofMixin
from .mail_common import RealMailCase
from .rpc_common import RpcCase
from .test_patient_portal import PortalCase

STAFF = ("front_desk", "therapist")


@tagged("post_install", "-at_install")
class TestMailFlows(RealMailCase, IntakeProofMixin, PortalCase, RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The activities that alert staff go by e-mail.
        (cls.user_manager | cls.user_administrator).notification_type = "email"

    # ------------------------------------------------------------------ helpers

    def _staff_read_no_token(self, *tokens):
        """As front desk and as a therapist over JSON-RPC: no message, mail or notification
        they can read holds any of ``tokens``."""
        tokens = [token for token in tokens if token]
        self.assertTrue(tokens)
        self._logged_in = None
        for role in STAFF:
            for model in ("mail.message", "mail.mail", "mail.notification"):
                ok, result = self.rpc(role, model, "search_read", [[]], {"fields": []})
                if not ok:
                    self.assertRegex(result, "not allowed|access", f"{role}: {model}")
                    continue
                text = json.dumps(result, default=str)
                for token in tokens:
                    self.assertNotIn(token, text, f"{role} read a private token in {model}")

    def send_queue(self, model):
        """Send the mail queued for ``model``'s records, as the mail queue's cron does."""
        queued = self.env["mail.mail"].search([("model", "=", model), ("state", "=", "outgoing")])
        self.assertTrue(queued, f"mail queued for {model}")
        for mail in queued:
            self.assertTrue(mail.email_to or mail.recipient_ids, f"{mail.subject}: to nobody")
        self.env["mail.mail"].process_email_queue(queued.ids)
        left = queued.exists().filtered(lambda mail: mail.state != "sent")
        self.assertFalse(left, [(m.email_to, m.state, m.failure_reason) for m in left])

    def _csrf(self):
        page = self.url_open("/my/clinic")
        return csrf_of(page.text)

    def _intake_page_opens(self, link, intake):
        """The link received opens the code step; the code the server received for the patient
        opens the form."""
        page = self.open_link(link)
        self.assertEqual(page.status_code, 200, page.text[:300])
        self.assertIn("o_clinic_intake_proof", page.text)
        self.assertNotIn(f"/clinic/intake/{intake.id}/submit", page.text, "not before the code")
        self.assertIn(f"access_token={intake.access_token}", link)
        page = self.prove(intake)
        self.assertIn(f"/clinic/intake/{intake.id}/submit?access_token=", page.text)
        return page

    # ------------------------------------------------------------------ intake

    def test_front_desk_send_intake_mails_a_link_that_opens_the_intake(self):
        """Reproduction 8: with a mail server, Send Intake raised MissingError (the mail sent
        was deleted, then read) and rolled back: the link the patient received answered 404."""
        ines = self._make_patient("Ines Intake")
        ok, result = self.rpc("front_desk", "clinic.patient", "action_send_intake", [[ines.id]])
        self.assertTrue(ok, result)
        self.assertEqual(result["params"]["title"], "Intake sent", result["params"])
        intake = ines.intake_ids
        self.assertEqual(intake.state, "sent")
        mail = self.received_one("ines@patient.example.com")
        self.assertIn("Your health intake", mail["Subject"])
        (link,) = self.links(mail, f"/clinic/intake/{intake.id}")
        self.assertIn(f"access_token={intake.access_token}", link)
        self._intake_page_opens(link, intake)
        self._staff_read_no_token(intake.access_token)
        # What staff read of it: a note without the link, and no field holding it.
        self.assertIn("Intake e-mailed to ines@patient.example.com", intake.message_ids[0].body)
        for role in STAFF:
            for field in ("access_token", "intake_url"):
                ok, _message = self.rpc(role, "clinic.intake", "read", [intake.ids, [field]])
                self.assertFalse(ok, f"{role} read {field}")
            ok, _message = self.rpc(role, "clinic.intake", "get_portal_url", [intake.ids])
            self.assertFalse(ok, f"{role} called get_portal_url")
        # Odoo's Share (front desk manages contacts) and a composer with the intake's template
        # give links without the token: opened, they open nothing.
        staff_links = []
        share_id = self.assertRpc(
            "front_desk",
            True,
            "portal.share",
            "create",
            [{"res_model": "clinic.intake", "res_id": intake.id}],
        )
        (share,) = self.assertRpc(
            "front_desk", True, "portal.share", "read", [[share_id], ["share_link"]]
        )
        staff_links.append(share["share_link"])
        template = self.env.ref("trigger_point_clinic.mail_template_clinic_intake")
        for role in STAFF:
            ok, wizard_id = self.rpc(
                role,
                "mail.compose.message",
                "create",
                [
                    {
                        "composition_mode": "comment",
                        "model": "clinic.intake",
                        "res_ids": str(intake.ids),
                        "template_id": template.id,
                    }
                ],
            )
            if ok:
                (composed,) = self.assertRpc(
                    role, True, "mail.compose.message", "read", [[wizard_id], ["body"]]
                )
                staff_links += [
                    html.unescape(url)
                    for url in re.findall(r'href="([^"]+)"', composed["body"])
                    if "/clinic/intake/" in url
                ]
        self.assertTrue(staff_links)
        self.logout()
        self._logged_in = None
        for url in staff_links:
            self.assertNotIn(intake.access_token, url)
            answer = self.open_link(url)
            self.assertNotIn(f"/clinic/intake/{intake.id}/submit", answer.text, url)

    def test_send_intake_again_after_a_mail_failure(self):
        """The mail server refuses: the intake stays unsent and front desk reads no working link
        anywhere; once mail works, Send Intake again mails a new link that opens it."""
        fiona = self._make_patient("Fiona Fail")
        with socket_closed() as port:
            server = self.env["ir.mail_server"].create(
                {"name": "Down", "smtp_host": "127.0.0.1", "smtp_port": port}
            )
            with mute_logger("odoo.addons.mail.models.mail_mail", "odoo.models.unlink"):
                ok, result = self.rpc(
                    "front_desk", "clinic.patient", "action_send_intake", [[fiona.id]]
                )
        self.assertTrue(ok, result)
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("Send Intake again", result["params"]["message"])
        intake = fiona.intake_ids
        self.assertEqual(intake.state, "draft")
        self.assertFalse(self.received(to="fiona@patient.example.com"))
        first_token = intake.access_token
        self._staff_read_no_token(first_token)
        self.assertIn("was not sent", intake.message_ids[0].body)
        server.unlink()
        ok, result = self.rpc("front_desk", "clinic.patient", "action_send_intake", [[fiona.id]])
        self.assertTrue(ok, result)
        self.assertEqual(result["params"]["type"], "success", result["params"])
        self.assertEqual(intake.state, "sent")
        self.assertNotEqual(intake.access_token, first_token, "a new link")
        (link,) = self.links(self.received_one("fiona@patient.example.com"), "/clinic/intake/")
        self._intake_page_opens(link, intake)
        stale = self.url_open(f"/clinic/intake/{intake.id}?access_token={first_token}")
        self.assertEqual(stale.status_code, 404)

    def test_intake_renewal_from_the_portal_mails_the_link(self):
        renata = self._renata_signed_in()
        response = self.url_open(
            "/my/clinic/intake/renew", data={"csrf_token": self._csrf()}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        intake = renata.intake_ids.filtered(lambda i: i.state in ("draft", "sent"))
        self.assertEqual(intake.state, "sent")
        (link,) = self.links(self.received_one(renata.email, "health intake"), "/clinic/intake/")
        self.logout()
        self._intake_page_opens(link, intake)
        self._staff_read_no_token(intake.access_token)

    def test_portal_invitation_mails_a_working_signup_link(self):
        ivan = self._make_patient("Ivan Invite")
        intake = self._submit_intake(ivan)
        token = intake.sudo()._portal_ensure_token()
        page = self.url_open(f"/clinic/intake/{intake.id}?access_token={token}")
        csrf = csrf_of(page.text)
        response = self.url_open(
            f"/clinic/intake/{intake.id}/portal?access_token={token}", data={"csrf_token": csrf}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_clinic_invited", response.text)
        mail = self.received_one("ivan@patient.example.com")
        (link,) = [
            link for link in self.links(mail) if "/web/signup" in link or "/web/login" in link
        ]
        signup_token = re.search(r"[?&]token=([^&#]+)", link).group(1)
        signup = self.open_link(link)
        self.assertEqual(signup.status_code, 200)
        self.assertIn('name="password"', signup.text)
        self._staff_read_no_token(signup_token, token)

    def test_an_invitation_that_did_not_leave_shows_staff_no_signup_link(self):
        """Front desk invites a patient to the portal while the mail server is down: the
        invitation stays in the queue, its link (to set the account's password) in it; what
        front desk and therapists can read of it holds no link."""
        paul = self._make_patient("Paul Pending")
        with socket_closed() as port:
            self.env["ir.mail_server"].create(
                {"name": "Down", "smtp_host": "127.0.0.1", "smtp_port": port}
            )
            wizard_id = self.assertRpc(
                "front_desk",
                True,
                "portal.wizard",
                "create",
                [{"partner_ids": [fields.Command.set(paul.partner_id.ids)]}],
            )
            (wizard,) = self.assertRpc(
                "front_desk", True, "portal.wizard", "read", [[wizard_id], ["user_ids"]]
            )
            with mute_logger("odoo.addons.mail.models.mail_mail"):
                self.assertRpc(
                    "front_desk",
                    True,
                    "portal.wizard.user",
                    "action_grant_access",
                    [wizard["user_ids"]],
                )
        failed = self.env["mail.mail"].search(
            [("email_to", "ilike", "paul@"), ("state", "=", "exception")]
        ) or self.env["mail.mail"].search(
            [("recipient_ids", "in", paul.partner_id.ids), ("state", "=", "exception")]
        )
        self.assertEqual(len(failed), 1)
        self.assertFalse(self.received(to="paul@patient.example.com"))
        token = re.search(r"[?&]token=([^&\"#]+)", html.unescape(failed.body_html)).group(1)
        self._staff_read_no_token(token)

    # ------------------------------------------------------------------ reminders

    def _reminded_session(self, before_sending=None):
        """A session of Sol's, its reminder due now: the cron queues it, the mail queue (the
        cron's own method) sends it. ``before_sending(session)`` runs in between."""
        session = self._book(self._next_weekday(3, 15, weeks_ahead=1))
        hours = (session.start - fields.Datetime.now()).total_seconds() / 3600
        self.company.clinic_appointment_reminder_hours = int(hours) + 1
        self.env["clinic.session"]._cron_send_appointment_reminders()
        self.assertEqual(session.reminder_sent_for, session.start)
        queued = self.env["mail.mail"].search(
            [("model", "=", "clinic.session"), ("res_id", "=", session.id)]
        )
        self.assertEqual(len(queued), 1)
        if before_sending:
            before_sending(session)
        self.env["mail.mail"].process_email_queue(queued.ids)
        self.assertFalse(queued.exists(), "sent, then deleted")
        return session

    def test_appointment_reminder_link_confirms_the_session(self):
        session = self._reminded_session()
        mail = self.received_one(self.patient.email, "Reminder")
        (link,) = self.links(mail, f"/clinic/appointment/{session.id}/confirm")
        self.assertIn(f"token={session._appointment_token()}", link)
        page = self.open_link(link)
        self.assertEqual(page.status_code, 200)
        csrf = csrf_of(page.text)
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        done = self.url_open(
            f"/clinic/appointment/{session.id}/confirm", data={"csrf_token": csrf, "token": token}
        )
        self.assertEqual(done.status_code, 200)
        self.assertEqual(session.patient_confirmation, "confirmed")
        (manage,) = self.links(mail, f"/my/clinic/sessions/{session.id}")
        self.authenticate("sol", "sol")
        self.assertEqual(self.open_link(manage).status_code, 200)

    def test_staff_cannot_confirm_in_the_patients_name(self):
        """Reproduction 5: after the reminder cron, front desk and a therapist found the
        confirmation link in mail.message bodies and opened it. Now they read none; what they
        can render (a composer with the reminder's template) links to a page that opens
        nothing."""
        # While the reminder waits in the queue, and once it left.
        session = self._reminded_session(
            before_sending=lambda s: self._staff_read_no_token(s._appointment_token())
        )
        token = session._appointment_token()
        self._staff_read_no_token(token)
        template = self.env.ref("trigger_point_clinic.mail_template_clinic_appointment_reminder")
        staff_urls = []
        for role in STAFF:
            ok, messages = self.rpc(
                role,
                "mail.message",
                "search_read",
                [[("model", "=", "clinic.session"), ("res_id", "=", session.id)]],
                {"fields": ["body"]},
            )
            self.assertTrue(ok, messages)
            bodies = " ".join(m["body"] for m in messages)
            self.assertNotIn("/confirm", bodies)
            ok, rendered = self.rpc(
                role,
                "mail.template",
                "read",
                [template.ids, ["body_html"]],
            )
            if ok:
                self.assertNotIn(token, json.dumps(rendered))
            wizard_ok, wizard_id = self.rpc(
                role,
                "mail.compose.message",
                "create",
                [
                    {
                        "composition_mode": "comment",
                        "model": "clinic.session",
                        "res_ids": str(session.ids),
                        "template_id": template.id,
                    }
                ],
            )
            if wizard_ok:
                ok, composed = self.rpc(
                    role, "mail.compose.message", "read", [[wizard_id], ["body"]]
                )
                self.assertTrue(ok, composed)
                self.assertNotIn(token, composed[0]["body"])
                urls = re.findall(r'href="([^"]*/confirm[^"]*)"', composed[0]["body"])
                self.assertTrue(urls, f"{role}'s composer renders the reminder")
                staff_urls += [(role, html.unescape(url)) for url in urls]
        self.assertTrue(staff_urls, "a composer rendered the reminder for staff")
        self.logout()
        self._logged_in = None
        for role, url in staff_urls:
            answer = self.open_link(url)
            self.assertEqual(answer.status_code, 404, f"{role}'s link opened")
        self.assertEqual(session.patient_confirmation, "reminded", "nobody confirmed")

    # ------------------------------------------------------------------ waiting list

    def test_waitlist_offer_mail_links_to_the_freed_time(self):
        session = self.booking._book(self.patient, self.therapist, self._slot(1, 10))
        self.env["clinic.waitlist"].create(
            {"patient_id": self.patient_2.id, "therapist_id": self.therapist.id}
        )
        self.booking._cancel(self.patient, session)
        self.send_queue("clinic.waitlist")
        mail = self.received_one(self.patient_2.email, "An earlier time")
        (link,) = self.links(mail, "/my/clinic/book?")
        self.assertIn(f"therapist_id={self.therapist.id}", link)
        self.authenticate("tom", "tom")
        page = self.open_link(link)
        self.assertEqual(page.status_code, 200)
        local = self._local(session.start)
        self.assertIn(local.strftime("%H:%M"), page.text)
        # The link holds no token: it books only for the patient logged in. Staff (and anyone
        # else the link reaches) are not that patient.
        for role in STAFF:
            self.authenticate(self.users[role].login, self.users[role].login)
            self.assertEqual(self.open_link(link).status_code, 404, role)
        self.logout()
        self.assertIn("/web/login", self.open_link(link).url)

    # ------------------------------------------------------------------ staff alerts

    def _alert_link_opens(self, user, record):
        mail = self.received_one(user.email)
        links = self.links(mail, str(record.id))
        self.assertTrue(links, self.html_of(mail))
        self.authenticate(user.login, user.login)
        self._logged_in = None
        page = self.open_link(links[0])
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("/web/login", page.url)
        return mail

    def test_emergency_access_alerts_the_managers(self):
        ok, grant_id = self.rpc(
            "therapist",
            "clinic.access.grant",
            "create",
            [{"patient_id": self.patient_2.id, "reason": "Theo is ill; Tom has acute pain."}],
        )
        self.assertTrue(ok, grant_id)
        grant = self.env["clinic.access.grant"].browse(grant_id)
        mail = self._alert_link_opens(self.user_manager, grant)
        self.assertIn("Emergency access of Clinic Therapist to Tom Second", self.html_of(mail))

    def test_a_broken_record_chain_alerts_the_administrators(self):
        note = self._signed_note()
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL session_replication_role = replica")
        self.env.cr.execute(
            "UPDATE clinic_treatment_note SET assessment = 'Changed.' WHERE id = %s", [note.id]
        )
        self.env.cr.execute("SET LOCAL session_replication_role = DEFAULT")
        self.env.invalidate_all()
        self.env["clinic.record.verification"]._cron_verify()
        verification = self.env["clinic.record.verification"].search(
            [("company_id", "=", self.company.id)], order="id desc", limit=1
        )
        self.assertEqual(verification.state, "broken")
        self._alert_link_opens(self.user_administrator, verification)


class socket_closed:
    """A port on 127.0.0.1 where nothing listens, for a mail server that refuses."""

    def __enter__(self):
        import socket

        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        return self._sock.getsockname()[1]

    def __exit__(self, *exc):
        self._sock.close()
