"""Tamper evidence: signed notes, amendments and submitted intakes form one chain of seals per
company. Each test breaks rows the way someone with database access would (SQL, triggers
disabled) and checks that the verification names the break."""

import hashlib
from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.clinic_record_seal import GENESIS, seal_digest
from .common import ScheduleCase
from .frozen_common import refused_each_in_sql, refused_in_sql


@tagged("post_install", "-at_install")
class TestRecordChain(ScheduleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Verification = cls.env["clinic.record.verification"]
        cls.notes = cls.env["clinic.treatment.note"]
        for hour in (9, 10, 11):
            session = cls._book(cls._next_weekday(0, hour, weeks_ahead=-1), state="in_progress")
            note = cls.notes.create(
                {
                    "session_id": session.id,
                    "subjective": f"Neck pain since the move, session at {hour}.",
                    "line_ids": [
                        fields.Command.create(
                            {
                                "region_id": cls._region("upper_trapezius").id,
                                "technique": "pressure_release",
                                "minutes": 10,
                                "pain_before": 6,
                                "pain_after": 3,
                            }
                        )
                    ],
                }
            )
            note.action_sign()
            cls.notes |= note
        cls.amendment = cls.env["clinic.treatment.note.amendment"].create(
            {"note_id": cls.notes[0].id, "text": "Pain before was 7."}
        )
        # The batch has run: the fixtures are in the chain.
        cls.env.flush_all()
        cls.env["clinic.record.seal"]._chain(cls.company)

    def _seal_of(self, record):
        """The sequence of ``record``'s seal, once the records signed so far are chained."""
        self.env.flush_all()
        self.env["clinic.record.seal"]._chain(self.company)
        self.env.cr.execute(
            "SELECT sequence FROM clinic_record_seal WHERE res_model = %s AND res_id = %s",
            [record._name, record.id],
        )
        return self.env.cr.fetchone()[0]

    def _verify(self):
        """A verification as a manager asks for it: the records signed so far chained first."""
        self.env.flush_all()
        self.env["clinic.record.seal"]._chain(self.company)
        return self.Verification._verify(self.company)

    def _sql_behind_the_triggers(self, query, params=()):
        """Run ``query`` as someone who disabled the triggers (a database owner)."""
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL session_replication_role = replica")
        self.env.cr.execute(query, params)
        self.env.cr.execute("SET LOCAL session_replication_role = DEFAULT")
        self.env.invalidate_all()

    def assertBroken(self, pattern):
        verification = self._verify()
        self.assertEqual(verification.state, "broken", verification.problems)
        self.assertRegex(verification.problems, pattern)
        return verification

    # ------------------------------------------------------------------ the chain

    def test_signing_amending_and_submitting_extend_the_chain(self):
        sequences = [self._seal_of(note) for note in self.notes]
        self.assertEqual(sequences, sorted(sequences))
        self.assertGreater(self._seal_of(self.amendment), sequences[-1])
        intake = self._submit_intake(self._make_patient("Ivy Intake"))
        self.assertGreater(self._seal_of(intake), self._seal_of(self.amendment))
        verification = self._verify()
        self.assertEqual(verification.state, "intact", verification.problems)
        self.env.cr.execute(
            "SELECT count(*) FROM clinic_record_seal WHERE company_id = %s", [self.company.id]
        )
        self.assertEqual(verification.seal_count, self.env.cr.fetchone()[0])

    def test_seals_cannot_be_changed_or_deleted_even_with_sql(self):
        refused_each_in_sql(
            self,
            (
                "UPDATE clinic_record_seal SET content_hash = 'x' WHERE res_id = %s",
                "DELETE FROM clinic_record_seal WHERE res_id = %s",
                "UPDATE clinic_record_seal_head SET sequence = 0 WHERE %s > 0",
            ),
            [self.notes[0].id],
            psycopg2.errors.IntegrityConstraintViolation,
        )
        seal = self.env["clinic.record.seal"].search([], limit=1)
        with self.assertRaises(UserError):
            seal.write({"content_hash": "x"})
        with self.assertRaises(UserError):
            seal.unlink()

    # ------------------------------------------------------------------ each kind of break

    def test_a_note_changed_behind_the_triggers_is_found(self):
        note = self.notes[1]
        self._sql_behind_the_triggers(
            "UPDATE clinic_treatment_note SET subjective = 'No pain at all.' WHERE id = %s",
            [note.id],
        )
        self.assertBroken(
            rf"\(Treatment Note #{note.id}\) was changed after it was sealed by seal "
            rf"{self._seal_of(note)}"
        )

    def test_a_note_line_changed_behind_the_triggers_is_found(self):
        note = self.notes[2]
        self._sql_behind_the_triggers(
            "UPDATE clinic_treatment_note_line SET pain_after = 0 WHERE note_id = %s", [note.id]
        )
        self.assertBroken(rf"Treatment Note #{note.id}\) was changed")

    def test_a_deleted_note_is_found(self):
        note = self.notes[1]
        sequence = self._seal_of(note)
        self._sql_behind_the_triggers(
            "DELETE FROM clinic_treatment_note_line WHERE note_id = %(id)s;"
            "DELETE FROM clinic_treatment_note WHERE id = %(id)s",
            {"id": note.id},
        )
        self.assertBroken(rf"Treatment Note #{note.id}, sealed by seal {sequence}, was deleted")

    def test_a_deleted_seal_is_found(self):
        sequence = self._seal_of(self.notes[1])
        self._sql_behind_the_triggers(
            "DELETE FROM clinic_record_seal WHERE company_id = %s AND sequence = %s",
            [self.company.id, sequence],
        )
        verification = self.assertBroken(rf"Seal {sequence} is missing: it was deleted")
        self.assertIn(f"Seal {sequence + 1} does not follow", verification.problems)
        self.assertRegex(verification.problems, r"is final but has no seal")

    def test_the_last_seals_deleted_are_found(self):
        sequence = self._seal_of(self.amendment)
        self._sql_behind_the_triggers(
            "DELETE FROM clinic_record_seal WHERE company_id = %s AND sequence = %s",
            [self.company.id, sequence],
        )
        self.assertBroken(rf"The chain ended at seal {sequence}, but seal {sequence} is gone")

    def test_a_record_signed_outside_the_workflow_is_found(self):
        """A signed note inserted with SQL, with a signature hash of its own: it has no seal."""
        note = self.notes[0]
        session = self._book(self._next_weekday(1, 9, weeks_ahead=-1), state="done")
        self.env.flush_all()
        self._sql_behind_the_triggers(
            """
            INSERT INTO clinic_treatment_note (session_id, patient_id, therapist_id, company_id,
                                               date, state, subjective, signed_by_id,
                                               date_signed, content_hash)
            SELECT %s, patient_id, therapist_id, company_id, date, 'signed', 'Backdated.',
                   signed_by_id, date_signed, content_hash
              FROM clinic_treatment_note WHERE id = %s
            RETURNING id
            """,
            [session.id, note.id],
        )
        self.assertBroken(r"Treatment Note #\d+\) is final but has no seal")

    def test_a_seal_inserted_out_of_order_is_found(self):
        """A forged seal appended with a correct link but dated before the seal before it."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT sequence, seal_hash, sealed_at FROM clinic_record_seal
             WHERE company_id = %s ORDER BY sequence DESC LIMIT 1
            """,
            [self.company.id],
        )
        last, last_hash, last_at = self.env.cr.fetchone()
        session = self._book(self._next_weekday(2, 9, weeks_ahead=-1), state="in_progress")
        note = self.notes.create(
            {
                "session_id": session.id,
                "line_ids": [
                    fields.Command.create(
                        {
                            "region_id": self._region("upper_trapezius").id,
                            "technique": "stretching",
                        }
                    )
                ],
            }
        )
        note.action_sign()
        # Remove the genuine seal, then forge one dated a day earlier.
        sequence = self._seal_of(note)
        content = note._clinic_seal_digest()
        sealed_at = last_at - timedelta(days=1)
        forged = seal_digest(
            last_hash, self.company.id, sequence, note._name, note.id, content, sealed_at
        )
        self._sql_behind_the_triggers(
            """
            UPDATE clinic_record_seal SET sealed_at = %s, seal_hash = %s
             WHERE company_id = %s AND sequence = %s
            """,
            [sealed_at, forged, self.company.id, sequence],
        )
        self.assertEqual(sequence, last + 1)
        verification = self.assertBroken(
            rf"Seal {sequence} is dated before the seal before it: it was inserted out of order"
        )
        self.assertNotIn("was changed after it was made", verification.problems)

    def test_a_chain_rewritten_after_a_verification_is_found(self):
        """Someone rewrites a note and every seal from it on, with correct hashes: the chain is
        consistent again, but the head an earlier verification saw has changed."""
        anchor = self._verify()
        self.assertEqual(anchor.state, "intact", anchor.problems)
        note = self.notes[1]
        first = self._seal_of(note)
        self._sql_behind_the_triggers(
            "UPDATE clinic_treatment_note SET subjective = 'Rewritten.' WHERE id = %s", [note.id]
        )
        self.env.cr.execute(
            """
            SELECT sequence, res_model, res_id, content_hash, sealed_at FROM clinic_record_seal
             WHERE company_id = %s AND sequence >= %s ORDER BY sequence
            """,
            [self.company.id, first],
        )
        rows = self.env.cr.fetchall()
        self.env.cr.execute(
            "SELECT seal_hash FROM clinic_record_seal WHERE company_id = %s AND sequence = %s",
            [self.company.id, first - 1],
        )
        previous = self.env.cr.fetchone()[0] if first > 1 else GENESIS
        for sequence, res_model, res_id, content, sealed_at in rows:
            if res_model == note._name and res_id == note.id:
                content = note._clinic_seal_digest()
            seal_hash = seal_digest(
                previous, self.company.id, sequence, res_model, res_id, content, sealed_at
            )
            self._sql_behind_the_triggers(
                """
                UPDATE clinic_record_seal SET content_hash = %s, previous_hash = %s,
                                              seal_hash = %s
                 WHERE company_id = %s AND sequence = %s
                """,
                [content, previous, seal_hash, self.company.id, sequence],
            )
            previous = seal_hash
        self._sql_behind_the_triggers(
            "UPDATE clinic_record_seal_head SET seal_hash = %s WHERE company_id = %s",
            [previous, self.company.id],
        )
        verification = self.assertBroken(
            rf"Seal {anchor.head_sequence} differs from the one an earlier verification saw"
        )
        self.assertNotIn("was changed after it was sealed", verification.problems)

    def test_a_submitted_intake_changed_behind_the_triggers_is_found(self):
        intake = self._submit_intake(self._make_patient("Ivy Intake"), pain={"upper_trapezius": 5})
        self._sql_behind_the_triggers(
            "UPDATE clinic_intake_pain SET pain = 1 WHERE intake_id = %s", [intake.id]
        )
        self.assertBroken(rf"Intake #{intake.id}\) was changed")

    def test_an_amendment_changed_behind_the_triggers_is_found(self):
        self._sql_behind_the_triggers(
            "UPDATE clinic_treatment_note_amendment SET text = 'Nothing.' WHERE id = %s",
            [self.amendment.id],
        )
        self.assertBroken(rf"Treatment Note Amendment #{self.amendment.id}\) was changed")

    # ------------------------------------------------------------------ who checks, and when

    def test_the_weekly_check_tells_the_administrators(self):
        self._sql_behind_the_triggers(
            "UPDATE clinic_treatment_note SET assessment = 'Changed.' WHERE id = %s",
            [self.notes[0].id],
        )
        self.Verification._cron_verify()
        verification = self.Verification.search(
            [("company_id", "=", self.company.id)], order="id desc", limit=1
        )
        self.assertEqual(verification.state, "broken")
        self.assertIn(self.user_administrator, verification.activity_ids.user_id)
        self.assertNotIn(self.user_therapist, verification.activity_ids.user_id)
        with self.assertRaises(UserError):
            verification.write({"state": "intact"})
        with (
            self.assertRaises(psycopg2.errors.IntegrityConstraintViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE clinic_record_verification SET state = 'intact' WHERE id = %s",
                [verification.id],
            )

    def test_only_managers_verify(self):
        action = self.Verification.with_user(self.user_manager).action_verify()
        verification = self.Verification.browse(action["res_id"])
        self.assertEqual(verification.state, "intact", verification.problems)
        with self.assertRaises(AccessError):
            self.Verification.with_user(self.user_therapist).action_verify()
        with self.assertRaises(AccessError):
            self.Verification.with_user(self.user_front_desk).action_verify()

    def test_the_seal_covers_the_chain_before_it(self):
        """Changing any part of a seal's input changes its hash."""
        args = (GENESIS, 1, 1, "clinic.treatment.note", 1, "a" * 64, fields.Datetime.now())
        base = seal_digest(*args)
        for index, other in enumerate(
            (hashlib.sha256(b"x").hexdigest(), 2, 2, "clinic.intake", 2, "b" * 64)
        ):
            changed = list(args)
            changed[index] = other
            self.assertNotEqual(seal_digest(*changed), base)

    # ------------------------------------------------------------------ signed, then chained

    def test_signed_records_are_named_until_chained_and_checked_meanwhile(self):
        """A note signed after the last batch: the verification names it, not yet chained, and
        still finds a change of its content against the hash stored when it was signed. The
        batch links it after the others; the chain is intact."""
        self._seal_of(self.amendment)
        session = self._book(self._next_weekday(3, 9, weeks_ahead=-1), state="in_progress")
        note = self.notes.create(
            {
                "session_id": session.id,
                "line_ids": [
                    fields.Command.create(
                        {"region_id": self._region("upper_trapezius").id, "technique": "stretching"}
                    )
                ],
            }
        )
        note.action_sign()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT sequence, content_hash FROM clinic_record_seal WHERE res_model = %s "
            "AND res_id = %s",
            [note._name, note.id],
        )
        self.assertEqual(self.env.cr.fetchall(), [(None, note._clinic_seal_digest())])
        pending = self.Verification._verify(self.company)
        self.assertEqual(pending.state, "intact", pending.problems)
        self.assertEqual(pending.unchained_count, 1)
        self.assertIn(f"Treatment Note #{note.id}, signed", pending.unchained)

        self.env.cr.execute("SAVEPOINT edited")
        self._sql_behind_the_triggers(
            "UPDATE clinic_treatment_note SET subjective = 'Edited.' WHERE id = %s", [note.id]
        )
        broken = self.Verification._verify(self.company)
        self.assertEqual(broken.state, "broken")
        self.assertIn(
            f"(Treatment Note #{note.id}) was changed after it was signed (not yet chained)",
            broken.problems,
        )
        self.env.cr.execute("ROLLBACK TO SAVEPOINT edited")
        self.env.invalidate_all()

        last = self._seal_of(self.amendment)
        self.assertEqual(self._seal_of(note), last + 1)
        chained = self.Verification._verify(self.company)
        self.assertEqual(chained.state, "intact", chained.problems)
        self.assertEqual(chained.unchained_count, 0)
        self.assertEqual(chained.head_sequence, last + 1)

    def test_the_link_once_made_is_frozen(self):
        """The batch's update, from unchained to chained, is the only one a row allows: a
        chained row cannot be linked again, nor a pending one given another content."""
        note = self.notes[0]
        self._seal_of(note)
        Seal = self.env["clinic.record.seal"]
        Seal._seal(note)
        self.env.cr.execute(
            "SELECT id FROM clinic_record_seal WHERE res_id = %s AND sequence IS NULL", [note.id]
        )
        (pending,) = self.env.cr.fetchone()
        for statement in (
            "UPDATE clinic_record_seal SET content_hash = 'x', sequence = 999999 WHERE id = %s",
            "UPDATE clinic_record_seal SET sequence = 999999 WHERE id = %s",
            "UPDATE clinic_record_seal SET sequence = 1, previous_hash = 'p', seal_hash = 's', "
            "sealed_at = now() WHERE res_id = %s AND sequence IS NOT NULL",
        ):
            with refused_in_sql(
                self, psycopg2.errors.IntegrityConstraintViolation, statement=statement
            ):
                self.env.cr.execute(statement, [pending if "WHERE id" in statement else note.id])
        self.assertEqual(Seal._chain(self.company), 1)
        self.assertEqual(self._verify().state, "intact")
