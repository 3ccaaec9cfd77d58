"""Who gets in: the clinic's sign-in policy over HTTP, as a browser signs in (``/web/login``
with its CSRF token, the second step at ``/web/login/totp`` with the code the tests' SMTP server
received), the lock after inactivity (time moved for ``auth_timeout``), and the sign-in log."""

import importlib.util
import json
import re
import time
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

import odoo.http
from odoo.addons.auth_timeout.models import ir_http as auth_timeout_http
from odoo.addons.auth_totp.models import totp as auth_totp_totp
from odoo.addons.auth_totp_mail.models import res_users as auth_totp_mail_users
from odoo.tests import tagged

from ..models.clinic_signin import (
    DEFAULT_INACTIVITY_MINUTES,
    DEFAULT_MIN_LENGTH,
    DEFAULTS_APPLIED,
    apply_signin_defaults,
)
from .common import new_test_user
from .mail_common import RealMailCase
from .rpc_common import RpcCase, call_kw

PASSWORD_SUFFIX = "-clinic-test-password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE = re.compile(r">\s*(\d{6})\s*</span>")
# The code the tour types (static/tests/tours/therapist_signin.js).
TOUR_CODE = 424242


def password_of(user):
    return f"{user.login}{PASSWORD_SUFFIX}"


class SigninCase(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patient.care_team_ids = [(4, cls.user_therapist.id)]

    def _post_form(self, path, values):
        page = self.url_open(path)
        token = CSRF.search(page.text)
        self.assertTrue(token, f"{path} has a form with a CSRF token: {page.text[:500]}")
        return self.url_open(path, data={**values, "csrf_token": token.group(1)})

    def _sign_in(self, user, password=None):
        """The first step, as the login form sends it; the answer after its redirects."""
        self.authenticate(None, None)
        return self._post_form(
            "/web/login",
            {"login": user.login, "password": password or password_of(user), "redirect": ""},
        )

    def _patient_rpc(self):
        return call_kw(
            self,
            "clinic.patient",
            "search_read",
            [[("id", "=", self.patient.id)]],
            {"fields": ["name"]},
        )

    def _log(self, user=None, **domain):
        self.env.invalidate_all()
        entries = self.env["clinic.signin.log"].search(
            [
                *([("user_id", "=", user.id)] if user else []),
                *((name, "=", value) for name, value in domain.items()),
            ]
        )
        return entries


@tagged("post_install", "-at_install")
class TestSigninDefaults(SigninCase):
    """The clinic's defaults are those of a fresh install, applied once."""

    def _migrate(self):
        path = Path(__file__).parent.parent / "migrations" / "19.0.1.2.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("clinic_signin_migration", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()

    def _policy(self):
        params = self.env["ir.config_parameter"].sudo()
        therapist = self.env.ref("trigger_point_clinic.group_clinic_therapist")
        return (
            params.get_param("auth_totp.policy"),
            int(params.get_param("auth_password_policy.minlength")),
            therapist.lock_timeout_inactivity,
            therapist.lock_timeout,
            therapist.lock_timeout_mfa,
        )

    def test_a_fresh_install_has_the_clinic_policy(self):
        self.assertTrue(self.env["ir.config_parameter"].sudo().get_param(DEFAULTS_APPLIED))
        self.assertEqual(
            self._policy(),
            ("employee_required", DEFAULT_MIN_LENGTH, DEFAULT_INACTIVITY_MINUTES, 12 * 60, True),
        )
        for role in ("therapist", "front_desk", "manager", "administrator"):
            self.assertEqual(
                self.users[role]._get_lock_timeout_inactivity(),
                DEFAULT_INACTIVITY_MINUTES * 60,
                f"the {role} is locked after 15 minutes",
            )
            self.assertEqual(self.users[role]._mfa_type(), "totp_mail", role)
        self.assertEqual(self.user_portal._get_lock_timeout_inactivity(), None)
        self.assertIsNone(self.user_portal._mfa_type(), "patients sign in as before")

    def test_an_upgrade_keeps_the_clinics_own_choices(self):
        settings = self.env["res.config.settings"].create(
            {
                "minlength": 14,
                "clinic_signin_portal_2fa": True,
                "clinic_lock_inactivity_minutes": 5,
                "clinic_lock_session_hours": 8,
            }
        )
        settings.execute()
        chosen = ("all_required", 14, 5, 8 * 60, True)
        self.assertEqual(self._policy(), chosen)
        self._migrate()
        self.assertEqual(self._policy(), chosen, "an upgrade (-u) changes none of them")
        self.assertFalse(apply_signin_defaults(self.env))

    def test_an_older_database_gets_the_defaults_once_keeping_stricter_values(self):
        params = self.env["ir.config_parameter"].sudo()
        params.search([("key", "=", DEFAULTS_APPLIED)]).unlink()
        params.set_param("auth_totp.policy", False)
        params.set_param("auth_password_policy.minlength", 16)
        self.env.ref("trigger_point_clinic.group_clinic_therapist").lock_timeout_inactivity = 5
        self._migrate()
        self.assertEqual(self._policy(), ("employee_required", 16, 5, 12 * 60, True))
        front_desk = self.env.ref("trigger_point_clinic.group_clinic_front_desk")
        self.assertEqual(front_desk.lock_timeout_inactivity, DEFAULT_INACTIVITY_MINUTES)
        params.set_param("auth_password_policy.minlength", 10)
        self._migrate()
        self.assertEqual(self._policy()[1], 10, "applied once: the clinic's 10 stays")


@tagged("post_install", "-at_install")
class TestSecondFactor(RealMailCase, SigninCase):
    """A clinic user gives a second factor before any clinic page; a patient does not."""

    def test_staff_reach_no_clinic_page_before_the_emailed_code(self):
        therapist = self.user_therapist
        page = self._sign_in(therapist)
        self.assertIn("/web/login/totp", page.url, "the password alone opens nothing")
        self.assertIn('name="totp_token"', page.text)
        for path in ("/odoo", "/odoo/action-trigger_point_clinic.clinic_patient_action"):
            response = self.url_open(path)
            self.assertIn("/web/login", response.url, path)
            self.assertNotIn(self.patient.name, response.text)
        body = self._patient_rpc()
        self.assertIn("error", body, "no clinical data over JSON-RPC before the code")
        self.assertNotIn(self.patient.name, json.dumps(body))

        mail = self.received_one(therapist.email, "two-factor authentication code")
        code = CODE.search(self.html_of(mail)).group(1)
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        refused = self._post_form("/web/login/totp", {"totp_token": wrong})
        self.assertIn("Verification failed", refused.text)
        self.assertIn("error", self._patient_rpc())

        reached = self._post_form("/web/login/totp", {"totp_token": code})
        alert = re.findall(r'role="alert"[^>]*>(.*?)<', reached.text, re.S)
        self.assertNotIn(
            "/web/login", reached.url, (reached.status_code, alert, reached.text[:300])
        )
        self.assertEqual(self._patient_rpc()["result"][0]["name"], self.patient.name)

        entries = self._log(therapist)
        self.assertEqual(
            entries.sorted("id").mapped("event"),
            ["signin", "second_factor_failed", "second_factor"],
        )
        self.assertEqual(set(entries.mapped("ip_address")), {"127.0.0.1"})
        stored = json.dumps(entries.read(), default=str)
        for secret in (password_of(therapist), code, wrong):
            self.assertNotIn(secret, stored, "no secret on the log")

    def test_a_portal_patient_signs_in_as_before(self):
        page = self._sign_in(self.user_portal)
        self.assertNotIn("/web/login", page.url)
        self.assertIn("/my", page.url)
        self.assertEqual(self.url_open("/my").status_code, 200)
        self.assertEqual(self.received(to=self.user_portal.email), [], "no code sent")


@tagged("post_install", "-at_install")
class TestPasswordAndLog(SigninCase):
    def test_a_password_shorter_than_the_policy_is_refused(self):
        self.authenticate(self.user_front_desk.login, self.user_front_desk.login)
        old = password_of(self.user_front_desk)
        body = call_kw(self, "res.users", "change_password", [old, "eleven-char"])
        self.assertIn("at least 12 characters", body["error"]["data"]["message"])
        self.assertEqual(
            call_kw(self, "res.users", "change_password", [old, "twelve-chars"])["result"], True
        )

    def test_failed_sign_ins_are_listed_for_administrators_only(self):
        self.addCleanup(lambda: getattr(self.registry, "_login_failures", {}).clear())
        page = self._sign_in(self.user_manager, password="not-the-password")
        self.assertIn("Wrong login/password", page.text)
        self._sign_in(self.user_manager, password="guess-number-2")
        page = self._post_form("/web/login", {"login": "nobody-here", "password": "x" * 12})
        failures = self._log(failed=True)
        self.assertEqual(len(failures), 3)
        self.assertEqual(failures.mapped("login").count("nobody-here"), 1)
        self.assertEqual(len(failures.filtered(lambda e: e.user_id == self.user_manager)), 2)
        self.assertNotIn("not-the-password", json.dumps(failures.read(), default=str))

        self.authenticate(self.user_administrator.login, self.user_administrator.login)
        listed = call_kw(
            self,
            "clinic.signin.log",
            "search_read",
            [[("failed", "=", True)]],
            {"fields": ["login", "user_id", "ip_address", "event"]},
        )["result"]
        self.assertEqual(
            sorted(entry["login"] for entry in listed),
            sorted([self.user_manager.login] * 2 + ["nobody-here"]),
        )
        self.assertEqual({entry["ip_address"] for entry in listed}, {"127.0.0.1"})
        for role in ("therapist", "front_desk", "manager", "portal"):
            self.assertRpc(role, "not allowed|access", "clinic.signin.log", "search_read", [[]])

    def test_repeated_failures_slow_down_and_show(self):
        self.addCleanup(lambda: getattr(self.registry, "_login_failures", {}).clear())
        self.env["ir.config_parameter"].sudo().set_param("base.login_cooldown_after", 3)
        for attempt in range(3):
            self._sign_in(self.user_front_desk, password=f"wrong-{attempt}")
        page = self._sign_in(self.user_front_desk)
        self.assertIn("Too many login failures", page.text, "even the right password waits")
        self.assertIn("error", self._patient_rpc())
        self.assertEqual(
            self._log(self.user_front_desk, failed=True).mapped("event").count("signin_cooldown"),
            1,
        )


@tagged("post_install", "-at_install")
class TestInactivityLock(SigninCase):
    """``auth_timeout`` locks a clinic user's session once the web client said the user went
    away (the websocket sets ``identity-check-next``) and the delay passed."""

    def _went_away(self, at):
        self.session["identity-check-next"] = at + DEFAULT_INACTIVITY_MINUTES * 60
        odoo.http.root.session_store.save(self.session)

    def _at(self, moment):
        return patch.object(auth_timeout_http, "time", SimpleNamespace(time=lambda: moment))

    def _unlock(self, password):
        return self.url_open(
            "/auth-timeout/session/check-identity",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"type": "password", "password": password},
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()

    def test_the_next_request_after_the_delay_asks_to_sign_in_again(self):
        therapist = self.user_therapist
        self.authenticate(therapist.login, therapist.login)
        now = time.time()
        self._went_away(now)
        with self._at(now + DEFAULT_INACTIVITY_MINUTES * 60 - 5):
            self.assertEqual(self._patient_rpc()["result"][0]["name"], self.patient.name)
        with self._at(now + DEFAULT_INACTIVITY_MINUTES * 60 + 5):
            body = self._patient_rpc()
            self.assertIn("error", body)
            self.assertNotIn(self.patient.name, json.dumps(body))
            # The web client's shell holds no record; its first data call asks who is there.
            page = self.url_open("/odoo/action-trigger_point_clinic.clinic_patient_action")
            self.assertNotIn(self.patient.name, page.text)
            self.assertIn(
                "CheckIdentityException", json.dumps(self._patient_rpc()["error"]["data"])
            )
            self.assertIn("error", self._unlock("not-the-password"))
            self.assertIn("error", self._patient_rpc())
            self.assertNotIn("error", self._unlock(password_of(therapist)))
            self.assertEqual(self._patient_rpc()["result"][0]["name"], self.patient.name)
        events = self._log(therapist).sorted("id").mapped("event")
        # Each refused call may meet the lock; the lock comes first, the unlock last.
        self.assertEqual([e for e in events if e != "lock"][-2:], ["unlock_failed", "unlock"])
        self.assertLess(events.index("lock"), events.index("unlock_failed"))

    def test_twelve_hours_after_signing_in_the_user_signs_in_again(self):
        self.authenticate(self.user_manager.login, self.user_manager.login)
        created = self.session["create_time"]
        with self._at(created + 12 * 3600 - 60):
            self.assertNotIn("error", self._patient_rpc())
        with self._at(created + 12 * 3600 + 60):
            body = self._patient_rpc()
            self.assertIn("error", body)
            self.assertNotIn(self.patient.name, json.dumps(body))

    def test_portal_patients_are_not_locked(self):
        portal = new_test_user(
            self.env, login="signin_portal_pat", groups="base.group_portal", name="Pat Lock"
        )
        self.authenticate(portal.login, portal.login)
        self._went_away(time.time())
        with self._at(time.time() + 2 * DEFAULT_INACTIVITY_MINUTES * 60):
            self.assertEqual(self.url_open("/my").status_code, 200)
            self.assertNotIn("/auth-timeout", self.url_open("/my").url)


@tagged("post_install", "-at_install")
class TestSigninTour(RealMailCase, SigninCase):
    def test_a_therapist_signs_in_with_the_emailed_code_is_locked_and_unlocks(self):
        """In Chromium: password, the code the mail server received, a lock when idle (ten
        minutes here; the tour moves the browser's last presence back eleven minutes rather than
        wait), and the password again to unlock. The first load of the back office, however
        slow under load, cannot outlast the timeout and lock the screen early."""
        therapist = self.user_therapist
        code = patch.multiple(
            auth_totp_mail_users, hotp=lambda key, counter: TOUR_CODE, create=False
        )
        match = patch.object(auth_totp_totp, "hotp", lambda key, counter: TOUR_CODE)
        idle = patch.object(
            self.registry["res.groups"],
            "_get_lock_timeouts",
            lambda groups: {"lock_timeout": [], "lock_timeout_inactivity": [(600, False)]},
        )
        with code, match, idle:
            self.start_tour("/web/login", "trigger_point_clinic_therapist_signin", timeout=300)
        mail = self.received_one(therapist.email, "two-factor authentication code")
        self.assertEqual(CODE.search(self.html_of(mail)).group(1), str(TOUR_CODE))
        events = self._log(therapist).sorted("id").mapped("event")
        self.assertEqual(events[:2], ["signin", "second_factor"])
        self.assertIn("unlock", events)
        self.assertLess(events.index("lock"), events.index("unlock"), "locked, then unlocked")
