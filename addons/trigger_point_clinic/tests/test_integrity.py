"""What PostgreSQL itself guarantees, whoever writes (sudo, SQL): a submitted intake and a
signed note do not change, a signed note's hash covers who, when and what, a package is sold
once; and what the companies of a chain see of each other."""

from datetime import datetime, timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GROUPS, ScheduleCase, new_test_user


@tagged("post_install", "-at_install")
class TestRecordIntegrity(ScheduleCase):
    def _refused_by_postgresql(self, query, params):
        self.env.flush_all()
        with (
            self.subTest(query=query),
            self.assertRaises(psycopg2.errors.IntegrityConstraintViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(query, params)

    def test_submitted_intake_is_frozen_also_for_sql(self):
        intake = self._submit_intake(
            self._make_patient("Fran Frozen"), yes=["varicose_veins"], pain={"leg": 4}
        )
        medication = self._contraindication("anticoagulant")
        for query, params in (
            ("UPDATE clinic_intake SET goals = 'rewritten' WHERE id = %s", [intake.id]),
            ("UPDATE clinic_intake SET consent = false WHERE id = %s", [intake.id]),
            ("UPDATE clinic_intake SET date_submitted = now() WHERE id = %s", [intake.id]),
            ("UPDATE clinic_intake_answer SET answer = 'no' WHERE intake_id = %s", [intake.id]),
            ("DELETE FROM clinic_intake_pain WHERE intake_id = %s", [intake.id]),
            ("DELETE FROM clinic_intake WHERE id = %s", [intake.id]),
            (
                "INSERT INTO clinic_contraindication_clinic_intake_rel VALUES (%s, %s)",
                [intake.id, medication.id],
            ),
        ):
            self._refused_by_postgresql(query, params)
        with self.assertRefused(UserError, "does not change"):
            intake.sudo().write({"goals": "rewritten"})
        # What follows the submission still works: review, and a newer version superseding it
        # (without varicose veins, it relaxes the screening: once a therapist reviewed it).
        intake.action_review()
        newer = self._submit_intake(intake.patient_id)
        newer.action_review()
        self.assertEqual(intake.superseded_by_id, newer)
        self.assertEqual(intake.state, "reviewed")

    def _signed_note(self):
        start = self._utc(datetime(2026, 11, 16, 10))
        session = self._book(self._local(start), state="done")
        note = self.env["clinic.treatment.note"].create({"session_id": session.id})
        note.write(
            {
                "line_ids": [
                    fields.Command.create(
                        {
                            "region_id": self._region("upper_trapezius").id,
                            "technique": "pressure_release",
                        }
                    )
                ]
            }
        )
        note.with_user(self.user_therapist).action_sign()
        return note

    def test_signed_note_keeps_patient_therapist_and_time_in_the_database(self):
        note = self._signed_note()
        for query in (
            "UPDATE clinic_treatment_note SET patient_id = %s WHERE id = %s",
            "UPDATE clinic_treatment_note SET therapist_id = %s WHERE id = %s",
        ):
            self._refused_by_postgresql(query, [self.patient_2.id, note.id])
        self._refused_by_postgresql(
            "UPDATE clinic_treatment_note SET date = date - interval '1 day' WHERE id = %s",
            [note.id],
        )
        with self.assertRefused(UserError, "signed treatment note"):
            note.session_id.sudo().write({"patient_id": self.patient_2.id})

    def _rewrite_unlocked(self, column, value, note):
        """Change a signed note's column as only a database administrator could: with the lock
        switched off. Returns the value it had."""
        self.env.flush_all()
        self.env.cr.execute(f"SELECT {column} FROM clinic_treatment_note WHERE id = %s", [note.id])
        before = self.env.cr.fetchone()[0]
        self.env.cr.execute("ALTER TABLE clinic_treatment_note DISABLE TRIGGER USER")
        self.env.cr.execute(
            f"UPDATE clinic_treatment_note SET {column} = %s WHERE id = %s", [value, note.id]
        )
        self.env.cr.execute("ALTER TABLE clinic_treatment_note ENABLE TRIGGER USER")
        self.env.invalidate_all()
        return before

    def test_hash_covers_who_when_and_the_regions_as_signed(self):
        note = self._signed_note()
        self.assertTrue(note.hash_verified)
        for column, value in (
            ("patient_id", self.patient_2.id),
            ("therapist_id", self.therapist_2.id),
            ("signed_by_id", self.user_administrator.id),
            ("date", note.date - timedelta(hours=1)),
            ("date_signed", note.date_signed + timedelta(minutes=5)),
        ):
            with self.subTest(column=column):
                before = self._rewrite_unlocked(column, value, note)
                self.assertFalse(note.hash_verified)
                self._rewrite_unlocked(column, before, note)
                self.assertTrue(note.hash_verified)
        # The hash covers the region's identity, not its name: renaming it in the catalogue
        # changes no signed note (hash version 2), but charting another region would.
        self.assertTrue(note.content_hash.startswith("$2$"))
        note.line_ids.region_id.name = "Renamed region"
        self.assertTrue(note.hash_verified, "a renamed region is the same region")

    def test_a_package_is_sold_once_by_the_database(self):
        plan = self.env["clinic.plan"].create(
            {
                "patient_id": self.patient.id,
                "therapist_id": self.therapist.id,
                "room_id": self.room.id,
                "monday": True,
                "billing_mode": "package",
                "package_size": 5,
            }
        )
        product = plan.product_id

        def invoice():
            return self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.patient.partner_id.id,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "product_id": product.id,
                                "quantity": 5,
                                "price_unit": 70,
                                "clinic_plan_id": plan.id,
                                "clinic_charge": "package",
                                "clinic_package_size": 5,
                                "clinic_package_number": 1,
                            }
                        )
                    ],
                }
            )

        invoice()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            invoice()
            self.env.flush_all()
        self.assertEqual(plan.package_balance, 5)


@tagged("post_install", "-at_install")
class TestCompanies(ScheduleCase):
    """Two clinics of a chain in one database: each sees and bills its own records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Clinic B"})
        # The chart the first clinic runs on (the demo clinic is in Lyon: guessing from its
        # country would install France's localisation, which a test cannot).
        chart = cls.company.chart_template or "generic_coa"
        cls.env["account.chart.template"].try_loading(chart, company=cls.company_b)
        cls.company_b.resource_calendar_id = cls.calendar.copy({"company_id": cls.company_b.id})
        cls.user_b = new_test_user(
            cls.env,
            login="clinic_front_desk_b",
            groups=f"base.group_user,{GROUPS['front_desk']}",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.therapist_b = cls.env["clinic.therapist"].create(
            {
                "name": "Bea B",
                "company_id": cls.company_b.id,
                "calendar_id": cls.company_b.resource_calendar_id.id,
            }
        )
        cls.room_b = cls.env["clinic.room"].create(
            {
                "name": "Room B",
                "company_id": cls.company_b.id,
                "calendar_id": cls.company_b.resource_calendar_id.id,
            }
        )
        cls.patient.company_id = cls.company.id
        cls.patient_b = cls.env["clinic.patient"].create(
            {"name": "Bo Bee", "company_id": cls.company_b.id}
        )
        cls._submit_intake(cls.patient_b)

    def test_each_clinic_sees_its_own_patients_and_sessions(self):
        session = self._book(self._next_weekday(0))
        patients = self.env["clinic.patient"].with_user(self.user_b).search([])
        self.assertIn(self.patient_b, patients)
        self.assertNotIn(self.patient, patients)
        with self.assertRaises(AccessError):
            session.with_user(self.user_b).read(["start"])
        with self.assertRaises(AccessError):
            self.patient.current_intake_id.with_user(self.user_b).read(["state"])

    def test_a_session_does_not_mix_clinics(self):
        with self.assertRefused(UserError, "(?i)compan"):
            self._book(self._next_weekday(1), therapist_id=self.therapist_b.id)
        with self.assertRefused(UserError, "(?i)compan"):
            self._book(self._next_weekday(1), patient_id=self.patient_b.id)

    def test_a_billing_run_bills_its_own_clinic(self):
        with self.assertRefused(UserError, "(?i)compan"):
            self.env["clinic.billing.run"].create(
                {
                    "date_from": fields.Date.today() - timedelta(days=14),
                    "date_to": fields.Date.today(),
                    "patient_ids": [fields.Command.set(self.patient_b.ids)],
                }
            )

    def test_the_daily_billing_bills_each_clinic_as_itself(self):
        self.company.clinic_require_signed_note = False
        self.company_b.clinic_require_signed_note = False
        day = fields.Date.today() - timedelta(days=((fields.Date.today().weekday() + 7) % 7) + 7)
        local = datetime(day.year, day.month, day.day, 10)
        session_a = self._book(local, state="done")
        session_b = self._book(
            local,
            patient_id=self.patient_b.id,
            therapist_id=self.therapist_b.id,
            room_id=self.room_b.id,
            company_id=self.company_b.id,
            state="done",
        )
        self.env["clinic.billing.run"]._cron_bill()
        line_a = self.env["account.move.line"].search([("clinic_session_id", "=", session_a.id)])
        line_b = self.env["account.move.line"].search([("clinic_session_id", "=", session_b.id)])
        self.assertEqual(line_a.move_id.company_id, self.company)
        self.assertEqual(line_b.move_id.company_id, self.company_b)
        self.assertEqual(line_b.move_id.journal_id.company_id, self.company_b)
