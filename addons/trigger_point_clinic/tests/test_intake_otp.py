"""Nobody acts as the patient: the intake link alone opens no form and submits nothing. The
patient proves it is them with a one-time code e-mailed to the address on their file; staff
never read that code, whatever they hold."""

import base64
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..models.clinic_intake_code import MAX_ATTEMPTS, SENDS_PER_HOUR, ClinicIntakeCode
from .common import ClinicCase, new_test_user
from .intake_proof import IntakeProofMixin
from .rpc_common import RpcCase


def _other_code(code):
    """A six-digit code that is not ``code``."""
    return f"{(int(code) + 1) % 10**6:06d}"


@tagged("post_install", "-at_install")
class TestIntakeOtp(IntakeProofMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._sent_intakes("Petra Proof")

    def _codes(self, intake=None):
        return (
            self.env["clinic.intake.code"]
            .sudo()
            .search([("intake_id", "=", (intake or self.intake).id)])
        )

    def _complete_form(self, page, intake=None):
        """Everything a complete submission posts, every question answered no."""
        intake = intake or self.intake
        data = {
            "csrf_token": self.csrf_of(page),
            "consent": "yes",
            "signer_name": intake.patient_id.name,
            "signature": self.signature,
            "goals": "Turn my head without pain",
        }
        for answer in intake.answer_ids:
            data[f"answer_{answer.id}"] = "no"
        return data

    def _submit(self, data, intake=None):
        return self.url_open(self.intake_url(intake or self.intake, "/submit"), data=data)

    def assertNothingSubmitted(self, intake=None):
        intake = intake or self.intake
        intake.invalidate_recordset()
        self.assertEqual(intake.state, "sent")
        self.assertFalse(intake.goals)
        self.assertFalse(intake.signature)
        self.assertFalse(intake.consent)
        self.assertEqual(set(intake.answer_ids.mapped("answer")), {False})

    def _age_codes(self, minutes=61):
        """As if the codes sent so far had been sent ``minutes`` ago."""
        codes = self._codes()
        for code in codes:
            code.date_sent -= timedelta(minutes=minutes)
        self.env.flush_all()

    # ------------------------------------------------------------------ the link alone

    def test_link_alone_shows_the_code_step_and_no_question(self):
        page = self.url_open(self.intake_url(self.intake))
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_clinic_intake_proof", page.text)
        self.assertIn("First, show it is you", page.text)
        self.assertIn("p•••@patient.example.com", page.text)
        self.assertNotIn("petra@patient.example.com", page.text)
        self.assertNotIn("o_clinic_intake_form", page.text)
        for field in ("signer_name", "signature", "consent", "goals"):
            self.assertNotIn(f'name="{field}"', page.text)
        question = self.env.ref("trigger_point_clinic.contraindication_dvt").question
        self.assertNotIn(question.split(" (")[0][:40], page.text)

    def test_link_alone_cannot_submit(self):
        page = self.url_open(self.intake_url(self.intake))
        response = self._submit(self._complete_form(page))
        self.assertEqual(response.status_code, 403)
        self.assertIn("Nothing was saved: first show it is you", response.text)
        self.assertNothingSubmitted()

    def test_staff_holding_the_link_cannot_submit(self):
        """A staff member who got hold of the link (staff never read it: forwarded by the
        patient, say), logged in: still the code step."""
        desk = new_test_user(
            self.env,
            login="otp_desk",
            groups="base.group_user,trigger_point_clinic.group_clinic_front_desk",
        )
        with self.assertRaises(AccessError):
            self.intake.with_user(desk).intake_url  # noqa: B018
        self.authenticate("otp_desk", "otp_desk")
        page = self.url_open(self.intake_url(self.intake))
        self.assertIn("o_clinic_intake_proof", page.text)
        response = self._submit(self._complete_form(page))
        self.assertEqual(response.status_code, 403)
        self.assertNothingSubmitted()

    def test_odd_tokens_and_ids_open_nothing_and_never_fail(self):
        """Non-ASCII tokens and ids beyond 2**31 are wrong links (404), on every route."""
        csrf = self.csrf_of(self.url_open(self.intake_url(self.intake)))
        for suffix, data in (
            ("", None),
            ("/code", {"csrf_token": csrf}),
            ("/verify", {"csrf_token": csrf, "code": "123456"}),
            ("/submit", {"csrf_token": csrf}),
        ):
            for intake_id, token in (
                (self.intake.id, "éé"),
                (self.intake.id, "١٢٣٤٥٦"),
                (2**31, self.intake.access_token),
                (2**40, "x"),
            ):
                with self.subTest(suffix=suffix, intake_id=intake_id, token=token):
                    response = self.url_open(
                        f"/clinic/intake/{intake_id}{suffix}?access_token={token}", data=data
                    )
                    self.assertEqual(response.status_code, 404)
        self.assertFalse(self._codes())
        self.assertNothingSubmitted()

    # ------------------------------------------------------------------ the code

    def test_code_is_mailed_to_the_patient_only_and_kept_as_a_hash(self):
        messages_before = self.intake.message_ids
        response = self.ask_code(self.intake)
        self.assertEqual(response.status_code, 200, response.text[:1000])
        self.assertIn("We sent a code to", response.text)
        self.assertIn("p•••@patient.example.com", response.text)
        code = self.received_code(self.intake)
        self.assertRegex(code, r"^\d{6}$")
        [mail] = self.code_mails(self.intake)
        self.assertEqual(mail.email_to, "petra@patient.example.com", "to the address on file")
        self.assertFalse(mail.email_cc or mail.recipient_ids or mail.partner_ids)
        self.assertFalse(mail.model or mail.res_id, "no record's chatter shows it")
        self.assertFalse(mail.author_id)
        self.assertEqual(mail.create_uid.id, SUPERUSER_ID, "no clinic user created it")
        self.assertTrue(mail.auto_delete, "deleted once it left")
        self.assertNotIn(code, str(self.intake.message_ids.mapped("body")))
        self.assertEqual(self.intake.message_ids, messages_before, "nothing in the chatter")
        [record] = self._codes()
        self.assertNotIn(code, record.code_hash)
        self.assertEqual(len(record.code_hash), 64)
        self.env.cr.execute("SELECT * FROM clinic_intake_code WHERE id = %s", [record.id])
        self.assertNotIn(code, str(self.env.cr.fetchall()), "the code itself is stored nowhere")

    def test_wrong_code_is_counted_and_refused(self):
        self.ask_code(self.intake)
        code = self.received_code(self.intake)
        response = self.type_code(self.intake, _other_code(code))
        self.assertEqual(response.status_code, 400)
        self.assertIn("This is not the code we sent", response.text)
        self.assertIn(f"{MAX_ATTEMPTS - 1} tries left", response.text)
        self.assertEqual(self._codes().attempts, 1)
        for garbage in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "éééééé"):
            with self.subTest(garbage=garbage):
                response = self.type_code(self.intake, garbage)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Type the 6 digits of the code", response.text)
        self.assertEqual(self._codes().attempts, 1, "what is not a code spends no try")
        page = self.url_open(self.intake_url(self.intake))
        self.assertNotIn("o_clinic_intake_form", page.text)
        self.assertEqual(self._submit(self._complete_form(page)).status_code, 403)
        self.assertNothingSubmitted()
        # The right code after a wrong one still works (spaces, as in "123 456", are ignored).
        response = self.type_code(self.intake, f" {code[:3]} {code[3:]} ")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_clinic_intake_form", response.text)

    def test_sixth_attempt_finds_the_code_void(self):
        self.ask_code(self.intake)
        code = self.received_code(self.intake)
        for _attempt in range(MAX_ATTEMPTS):
            response = self.type_code(self.intake, _other_code(code))
            self.assertEqual(response.status_code, 400)
        self.assertIn(f"{MAX_ATTEMPTS} wrong codes: this code no longer works", response.text)
        self.assertTrue(self._codes().void)
        # The right code, sixth: too late.
        response = self.type_code(self.intake, code)
        self.assertEqual(response.status_code, 400)
        self.assertIn("This code no longer works: ask for a new code", response.text)
        page = self.url_open(self.intake_url(self.intake))
        self.assertEqual(self._submit(self._complete_form(page)).status_code, 403)
        self.assertNothingSubmitted()
        # A new code works (once the minute between two sendings has passed).
        self._age_codes(minutes=2)
        self.ask_code(self.intake)
        self.prove_with(self.received_code(self.intake))

    def prove_with(self, code):
        page = self.type_code(self.intake, code)
        self.assertEqual(page.status_code, 200, page.text[:1000])
        self.assertIn("o_clinic_intake_form", page.text)
        return page

    def test_right_code_opens_the_form_and_submit_works(self):
        page = self.prove(self.intake)
        question = self.env.ref("trigger_point_clinic.contraindication_dvt").question
        self.assertIn(question.split(" (")[0][:40], page.text)
        response = self._submit(self._complete_form(page))
        self.assertEqual(response.status_code, 200, response.text[:2000])
        self.assertIn("Thank you", response.text)
        self.assertEqual(self.intake.state, "submitted")
        self.assertEqual(self.intake.goals, "Turn my head without pain")

    def test_code_works_once(self):
        self.ask_code(self.intake)
        code = self.received_code(self.intake)
        self.prove_with(code)
        self.opener.cookies.clear()  # another browser, without this one's session
        response = self.type_code(self.intake, code)
        self.assertEqual(response.status_code, 400)
        self.assertIn("no longer works", response.text)

    def test_expired_code_is_refused(self):
        self.ask_code(self.intake)
        code = self.received_code(self.intake)
        self._codes().date_expiry = fields.Datetime.now() - timedelta(seconds=1)
        self.env.flush_all()
        response = self.type_code(self.intake, code)
        self.assertEqual(response.status_code, 400)
        self.assertIn("This code has expired", response.text)
        page = self.url_open(self.intake_url(self.intake))
        self.assertNotIn("o_clinic_intake_form", page.text)
        self.assertEqual(self._submit(self._complete_form(page)).status_code, 403)
        self.assertNothingSubmitted()

    def test_sending_is_rate_limited(self):
        self.assertEqual(self.ask_code(self.intake).status_code, 200)
        again = self.ask_code(self.intake)
        self.assertEqual(again.status_code, 429)
        self.assertIn("less than a minute ago", again.text)
        for _sent in range(SENDS_PER_HOUR - 1):
            self._age_codes(minutes=2)
            self.assertEqual(self.ask_code(self.intake).status_code, 200)
        self._age_codes(minutes=2)
        too_many = self.ask_code(self.intake)
        self.assertEqual(too_many.status_code, 429)
        self.assertIn(f"{SENDS_PER_HOUR} codes were sent in the last hour", too_many.text)
        self.assertEqual(len(self._codes()), SENDS_PER_HOUR)
        self.assertEqual(
            len(self._codes().filtered(lambda c: not c.void)), 1, "only the last works"
        )

    # ------------------------------------------------------------------ bound to one intake

    def test_code_of_one_intake_does_not_verify_another(self):
        codes = iter(["111111", "222222"])
        with patch.object(ClinicIntakeCode, "_new_code", lambda self: next(codes)):
            self.ask_code(self.intake)
            self.ask_code(self.other_intake)
        self.assertEqual(self.received_code(self.intake), "111111")
        self.assertEqual(self.received_code(self.other_intake), "222222")
        response = self.type_code(self.other_intake, "111111")
        self.assertEqual(response.status_code, 400)
        self.assertIn("This is not the code we sent", response.text)
        # Proven for one intake, the session opens no other.
        self.prove_with("111111")
        page = self.url_open(self.intake_url(self.other_intake))
        self.assertIn("o_clinic_intake_proof", page.text)
        self.assertNotIn("o_clinic_intake_form", page.text)
        self.assertEqual(
            self._submit(
                self._complete_form(page, self.other_intake), self.other_intake
            ).status_code,
            403,
        )
        self.assertNothingSubmitted(self.other_intake)

    def test_a_new_link_needs_a_new_proof(self):
        """Front desk re-sends the intake: the new link works only with a new code, and codes
        and proofs of the old link are void."""
        old_token = self.intake.access_token
        self.ask_code(self.intake)
        old_code = self.received_code(self.intake)
        self.intake.action_send()
        self.assertNotEqual(self.intake.access_token, old_token)
        page = self.url_open(self.intake_url(self.intake))
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_clinic_intake_proof", page.text)
        self.assertEqual(self.type_code(self.intake, old_code).status_code, 400)
        self._age_codes(minutes=2)
        self.prove(self.intake)
        self.intake.action_send()
        page = self.url_open(self.intake_url(self.intake))
        self.assertIn(
            "o_clinic_intake_proof", page.text, "a proof of the old link opens no new one"
        )

    def test_the_patient_logged_in_needs_no_code(self):
        """Logged in to the patient portal with their own password, the patient is proven."""
        new_test_user(
            self.env,
            login="otp_petra",
            groups="base.group_portal",
            partner_id=self.patient.partner_id.id,
        )
        self.authenticate("otp_petra", "otp_petra")
        page = self.url_open(self.intake_url(self.intake))
        self.assertIn("o_clinic_intake_form", page.text)
        response = self._submit(self._complete_form(page))
        self.assertEqual(response.status_code, 200, response.text[:2000])
        self.assertEqual(self.intake.state, "submitted")


@tagged("post_install", "-at_install")
class TestIntakeOtpRpc(IntakeProofMixin, RpcCase):
    """Staff over JSON-RPC read neither a code nor its hash, by any path."""

    def test_staff_cannot_read_codes_or_their_hash(self):
        intake = self.env["clinic.intake"].create({"patient_id": self.patient.id})
        if not self.patient.email:
            self.patient.email = "sol@patient.example.com"
        intake.action_send()
        self.assertEqual(self.ask_code(intake).status_code, 200)
        code = self.received_code(intake)
        record = self.env["clinic.intake.code"].sudo().search([("intake_id", "=", intake.id)])
        self.assertTrue(record)
        for role in ("front_desk", "therapist", "manager"):
            for method, args, kwargs in (
                ("search_read", [[]], {"fields": ["code_hash", "token_digest"]}),
                ("read", [record.ids, ["code_hash"]], {}),
                ("search", [[("code_hash", "!=", False)]], {}),
                ("formatted_read_group", [[]], {"groupby": ["code_hash"]}),
                ("export_data", [record.ids, ["code_hash"]], {}),
            ):
                with self.subTest(role=role, method=method):
                    self.assertRpc(
                        role,
                        "not allowed|access|rights",
                        "clinic.intake.code",
                        method,
                        args,
                        kwargs,
                    )
            with self.subTest(role=role, path="mail"):
                ok, found = self.rpc(
                    role,
                    "mail.message",
                    "search_read",
                    [[("body", "ilike", code)]],
                    {"fields": ["body"]},
                )
                self.assertFalse(ok and found, "no message holds the code")
                ok, found = self.rpc(
                    role, "mail.mail", "search_read", [[("body_html", "ilike", code)]]
                )
                self.assertFalse(ok and found, "no outgoing mail holds the code")
            with self.subTest(role=role, path="intake"):
                ok, values = self.rpc(role, "clinic.intake", "read", [intake.ids], {})
                self.assertNotIn(code, str(values))
                self.assertNotIn(record.code_hash, str(values))

    def test_front_desk_cannot_clear_a_do_not_treat_patient(self):
        """Reproduction 4, as it happened, over HTTP: front desk sent Nadia (do not treat) an
        intake, took its link from the form, opened it logged out, answered no everywhere,
        signed and submitted, then confirmed her session."""
        nadia = self.nadia
        nadia.email = "nadia@patient.example.com"
        ok, result = self.rpc("front_desk", "clinic.patient", "action_send_intake", [nadia.ids])
        self.assertTrue(ok, result)
        intake = nadia.intake_ids.filtered(lambda i: i.state == "sent")
        ok, _message = self.rpc("front_desk", "clinic.intake", "read", [intake.ids, ["intake_url"]])
        self.assertFalse(ok, "front desk reads no link")
        # Even with the link in hand (the patient forwarded it, say), logged out:
        self.logout()
        self._logged_in = None
        page = self.url_open(self.intake_url(intake))
        self.assertIn("o_clinic_intake_proof", page.text)
        data = {"csrf_token": self.csrf_of(page), "consent": "yes", "signer_name": nadia.name}
        data.update({f"answer_{answer.id}": "no" for answer in intake.answer_ids})
        response = self.url_open(self.intake_url(intake, "/submit"), data=data)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(intake.state, "sent")
        # The patient herself, with her code, answers no everywhere: a less strict screening
        # waits for a therapist, and her session cannot be confirmed meanwhile.
        page = self.prove(intake)
        data = {
            "csrf_token": self.csrf_of(page),
            "consent": "yes",
            "signer_name": nadia.name,
            "signature": "data:image/png;base64,"
            + base64.b64encode(ClinicCase._signature_png()).decode(),
        }
        data.update({f"answer_{answer.id}": "no" for answer in intake.answer_ids})
        response = self.url_open(self.intake_url(intake, "/submit"), data=data)
        self.assertEqual(response.status_code, 200, response.text[:500])
        intake.invalidate_recordset()
        self.assertEqual(intake.state, "submitted")
        self.assertEqual(nadia.screening_ids.verdict, "do_not_treat")
        self.assertEqual(nadia.booking_status, "ask_therapist")
        session = self._draft(nadia)
        self.assertRpc(
            "front_desk", "cannot be treated", "clinic.session", "action_confirm", [session.ids]
        )
