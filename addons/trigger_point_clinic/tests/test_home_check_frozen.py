"""A closed daily check of the home programme is frozen (review leftover, issue 22): a check
without a red flag from its answer, a paused one from its re-screening. Every column but the
still-changing ones (none) is refused by PostgreSQL, its questions and answers too, and every
write as each role over JSON-RPC; a paused check is open, so the re-screening still closes it."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .frozen_common import SQL_LITERALS, refused_by_postgresql
from .test_home_today import TodayCase

ROLES = ("portal", "therapist", "front_desk", "manager", "administrator")


@tagged("post_install", "-at_install")
class TestHomeCheckFrozen(TodayCase):
    def _answer(self, yes=()):
        return self.checks._answer(
            self.patient,
            {entry: entry.code in yes for entry in self.checks._daily_questions()},
        )

    def _row(self, check):
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SELECT to_jsonb(c) FROM clinic_home_check c WHERE id = %s", check.ids)
        row = cr.fetchone()[0]
        for relation in ("clinic_home_check_asked_rel", "clinic_home_check_flagged_rel"):
            cr.execute(
                f"SELECT array_agg(clinic_contraindication_id ORDER BY "
                f"clinic_contraindication_id) FROM {relation} WHERE clinic_home_check_id = %s",
                check.ids,
            )
            row[relation] = cr.fetchone()[0]
        return row

    def _refused_by_postgresql(self, query):
        with refused_by_postgresql(self, query):
            self.env.cr.execute(query)

    def _assert_frozen(self, check):
        fever = self._contraindication("fever")
        before = self._row(check)
        self.assertEqual(check._clinic_frozen(), check)
        for values in (
            {"state": "paused"},
            {"emergency": True},
            {"date": "2020-01-01 00:00:00"},
            {"date_closed": False},
            {"patient_id": self.patient_2.id},
            {"flagged_ids": [(6, 0, fever.ids)]},
        ):
            for role in ROLES:
                with self.subTest(role=role, values=list(values)):
                    ok, _message = self.rpc(role, "clinic.home.check", "write", [check.ids, values])
                    self.assertFalse(ok, f"{role} wrote {list(values)} of a closed check")
            with self.subTest(values=list(values)), self.assertRaises(UserError) as caught:
                check.sudo().write(values)
            self.assertIn("is frozen", str(caught.exception))
        for role in ROLES:
            ok, _message = self.rpc(role, "clinic.home.check", "unlink", [check.ids])
            self.assertFalse(ok, f"{role} deleted a closed check")
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
            "'clinic_home_check' AND column_name NOT IN ('id', 'write_uid', 'write_date')"
        )
        columns = cr.fetchall()
        self.assertIn("date_closed", dict(columns))
        for column, kind in columns:
            cr.execute(f"SELECT {column} IS NULL FROM clinic_home_check WHERE id = %s", check.ids)
            value = SQL_LITERALS[kind] if cr.fetchone()[0] else "NULL"
            self._refused_by_postgresql(
                f"UPDATE clinic_home_check SET {column} = {value} WHERE id = {check.id}"
            )
        for query in (
            f"DELETE FROM clinic_home_check WHERE id = {check.id}",
            f"DELETE FROM clinic_home_check_asked_rel WHERE clinic_home_check_id = {check.id}",
            "INSERT INTO clinic_home_check_flagged_rel (clinic_home_check_id, "
            f"clinic_contraindication_id) VALUES ({check.id}, {fever.id}) ON CONFLICT DO NOTHING",
        ):
            self._refused_by_postgresql(query)
        self.env.invalidate_all()
        self.assertEqual(self._row(check), before)

    def test_a_check_without_red_flag_is_closed_and_frozen_at_once(self):
        check = self._answer()
        self.assertEqual((check.state, check.date_closed), ("clear", check.date))
        self._assert_frozen(check)

    def test_a_paused_check_is_open_until_the_re_screening_closes_it(self):
        check = self._answer(yes=["fever"])
        self.assertEqual(check.state, "paused")
        self.assertFalse(check.date_closed)
        self.assertFalse(check._clinic_frozen())
        ok, message = self.rpc("therapist", "clinic.home.check", "action_rescreened", [check.ids])
        self.assertTrue(ok, message)
        check.invalidate_recordset()
        self.assertEqual(check.state, "rescreened")
        self.assertEqual(check.date_closed, check.date_rescreened)
        self._assert_frozen(check)
        # The chatter is not the check: a colleague may still write there.
        check.with_user(self.user_therapist).message_post(body="Called: fever gone.")
