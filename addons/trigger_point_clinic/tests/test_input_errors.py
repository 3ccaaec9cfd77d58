"""Reproduction 7 of issue 19 over HTTP: inputs that answered a server error (HTTP 500, or a
raw ValueError, TypeError, OverflowError or database error over JSON-RPC) now answer a user
error naming the field, and change nothing."""

from urllib.parse import quote

from odoo.tests import tagged

from .common import csrf_of, new_test_user
from .rpc_common import RpcCase, call_kw

USER_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
}


@tagged("post_install", "-at_install")
class TestInputErrors(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.intake = cls.env["clinic.intake"].create({"patient_id": cls.nadia.id})
        cls.intake.action_send()
        # Odoo's settings are a system administrator's.
        cls.users = {
            **cls.users,
            "system": new_test_user(
                cls.env, login="clinic_system", groups="base.group_user,base.group_system"
            ),
        }
        cls.booked = cls._draft()
        cls._session_year = cls.booked.start.year
        cls.user_sol = cls._portal_user(cls.patient, "sol_inputs")

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, page.text[:300])
        return csrf_of(page.text)

    def call(self, role, model, method, args, kwargs=None):
        """JSON-RPC as ``role``: (True, result) or (False, error name, message)."""
        self.authenticate(self.users[role].login, self.users[role].login)
        body = call_kw(self, model, method, args, kwargs)
        if "error" in body:
            return False, body["error"]["data"]["name"], body["error"]["data"]["message"]
        return True, None, body["result"]

    # ------------------------------------------------------------------ public pages

    def test_non_ascii_intake_tokens_open_nothing(self):
        for token in ("éé", "\u0663\u0663\u0663", quote("é")):
            with self.subTest(token=token):
                page = self.url_open(f"/clinic/intake/{self.intake.id}?access_token={token}")
                self.assertEqual(page.status_code, 404, page.text[:300])
        csrf = self._csrf(
            f"/clinic/intake/{self.intake.id}?access_token={self.intake.access_token}"
        )
        for token in ("éé", "\u0663"):
            with self.subTest(post=token):
                posted = self.url_open(
                    f"/clinic/intake/{self.intake.id}/submit?access_token={token}",
                    data={"csrf_token": csrf, "consent": "yes"},
                )
                self.assertEqual(posted.status_code, 404, posted.text[:300])
        self.assertEqual(self.intake.state, "sent")

    def test_non_ascii_appointment_token_opens_nothing(self):
        for token in ("é", "\u0663"):
            with self.subTest(token=token):
                page = self.url_open(f"/clinic/appointment/{self.booked.id}/confirm?token={token}")
                self.assertEqual(page.status_code, 404, page.text[:300])
        self.assertEqual(self.booked.patient_confirmation, "none")

    def test_booking_at_the_ends_of_the_calendar_is_refused(self):
        self.authenticate("sol_inputs", "sol_inputs")
        csrf = self._csrf("/my/clinic/book")
        before = self.env["clinic.session"].search_count([])
        for start in (
            "0001-01-01 00:00:00",
            "9999-12-31 23:59:59",
            "1-1-1",
            "\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661",
        ):
            with self.subTest(start=start):
                page = self.url_open(f"/my/clinic/book?start={quote(start)}")
                self.assertEqual(page.status_code, 200, page.text[:300])
                posted = self.url_open(
                    "/my/clinic/book",
                    data={"csrf_token": csrf, "therapist_id": self.therapist.id, "start": start},
                    allow_redirects=False,
                )
                self.assertEqual(posted.status_code, 400, posted.text[:300])
                self.assertIn("Choose one of the free times below", posted.text)
        self.assertEqual(self.env["clinic.session"].search_count([]), before)

    # ------------------------------------------------------------------ settings

    def test_a_fee_that_is_not_a_number_is_refused(self):
        before = self.env.company.clinic_late_cancel_fee
        for value in (float("nan"), float("inf"), float("-inf"), 1e300):
            with self.subTest(value=value):
                ok, name, message = self.call(
                    "system",
                    "res.config.settings",
                    "web_save",
                    [[], {"clinic_late_cancel_fee": value}],
                    {"specification": {}},
                )
                self.assertFalse(ok)
                self.assertEqual(name, "odoo.exceptions.ValidationError")
                self.assertIn("Late Cancellation Fee", message)
                ok, name, message = self.call(
                    "system",
                    "res.company",
                    "write",
                    [[self.env.company.id], {"clinic_late_cancel_fee": value}],
                )
                self.assertFalse(ok)
                self.assertIn(name, USER_ERRORS)
        self.assertEqual(self.env.company.clinic_late_cancel_fee, before)
        # The portal pages that show the cancellation terms still answer.
        self.authenticate("sol_inputs", "sol_inputs")
        self.assertEqual(self.url_open(f"/my/clinic/sessions/{self.booked.id}").status_code, 200)

    # ------------------------------------------------------------------ JSON-RPC

    def test_bad_values_over_json_rpc_name_the_field(self):
        session_values = self._free_slot()
        cases = [
            ("clinic.session", {**session_values, "patient_id": 2**31}, "Patient"),
            ("clinic.session", {**session_values, "room_id": 2**40}, "Room"),
            ("clinic.session", {**session_values, "patient_id": "abc"}, "Patient"),
            ("clinic.session", {**session_values, "start": "0001-01-01 00:00:00"}, "Start"),
            ("clinic.session", {**session_values, "start": "9999-12-31 23:59:59"}, "Start"),
            ("clinic.session", {**session_values, "start": "not a date"}, "Start"),
            ("clinic.session", {**session_values, "start": 12}, "Start"),
            ("clinic.session", {**session_values, "note": ["a list"]}, "Note"),
            ("clinic.session", {**session_values, "note": "\ud800"}, "Note"),
            ("clinic.waitlist", {"patient_id": 99_999_999, "therapist_id": 1}, "Patient"),
            ("clinic.patient", {"name": "Infinite", "birthdate": "0001-01-01"}, "Birth"),
            ("clinic.session", {**session_values, "cancel_party": "nobody"}, "choose one of"),
            ("clinic.patient", {"name": "x", "no_such_field": 1}, "no_such_field"),
        ]
        for model, values, field in cases:
            with self.subTest(model=model, field=field):
                before = self.env[model].search_count([])
                ok, name, message = self.call("front_desk", model, "create", [values])
                self.assertFalse(ok, f"{model} created from {values}")
                self.assertIn(name, USER_ERRORS, message)
                self.assertIn(field, message)
                self.assertEqual(self.env[model].search_count([]), before)
        for ids, values, field in (
            ([self.booked.id], {"room_id": 2**31}, "Room"),
            ([self.booked.id], {"start": 1e308}, "Start"),
            ([2**31], {"note": "x"}, "id of a"),
            (["abc"], {"note": "x"}, "id of a"),
            ([self.booked.id], "not values", "field names and values"),
        ):
            with self.subTest(ids=ids, values=values):
                ok, name, message = self.call(
                    "front_desk", "clinic.session", "write", [ids, values]
                )
                self.assertFalse(ok)
                self.assertIn(name, USER_ERRORS, message)
                self.assertIn(field, message)
        self.assertEqual(self.booked.start.year, self._session_year)

    def test_plan_counts_out_of_range_name_the_field(self):
        ok, name, message = self.call(
            "manager",
            "clinic.plan",
            "create",
            [
                {
                    "patient_id": self.patient_2.id,
                    "therapist_id": self.therapist_2.id,
                    "room_id": self.room_2.id,
                    "friday": True,
                    "hour": float("nan"),
                    "package_size": 2**40,
                }
            ],
        )
        self.assertFalse(ok)
        self.assertIn(name, USER_ERRORS, message)
