"""Frozen means the whole row, and what hangs off it (issue 19).

Generated from the model registry: every model inheriting ``clinic.frozen.mixin`` has a frozen
record here, and every stored column of it (but its model's allow-list) is written as each
role over JSON-RPC and by SQL with the triggers enabled: all refused, nothing changed. A new
field or column is covered without editing this file; a new frozen model fails the test until
it has a fixture. The files of frozen records are checked too; the seal's independence from
display names and a clearance's fixed expiry in ``test_frozen_seals.py``."""

import base64
import logging
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.clinic_frozen import frozen_models
from ..models.clinic_workflow import FROZEN_ALWAYS_ALLOWED
from .frozen_common import SQL_LITERALS, refused_by_postgresql
from .rpc_common import RpcCase

_logger = logging.getLogger(__name__)

ROLES = ("therapist", "front_desk", "manager", "administrator")


class FrozenCase(RpcCase):
    """One frozen record of every frozen model, and how to change each of its columns."""

    def _frozen_records(self):
        """One frozen record of every frozen model: a signed note with a line and a home-care
        item, an amendment, a submitted intake with answers, a pain map and a medication, a
        recorded clearance with its letter, and a daily check of the home programme closed by
        the re-screening of its red flag."""
        note = self._draft_note()
        note.line_ids.write({"technique": "pressure_release"})
        self._signed_note(note)
        amendment = (
            self.env["clinic.treatment.note.amendment"]
            .with_user(self.user_therapist)
            .create({"note_id": note.id, "text": "Left side, not bilateral."})
        )
        intake = self._submit_intake(
            self._make_patient("Iris Frozen"),
            yes=["varicose_veins"],
            medications=["anticoagulant"],
            pain={"leg": 4},
        )
        clearance = self._clearance(
            self.patient,
            document=base64.b64encode(b"%PDF-1.4 the physician's letter"),
            document_name="letter.pdf",
        )
        item = note.homecare_ids[0]
        home_log = self.env["clinic.home.log"]._log_practice(
            note.patient_id,
            {"item": item, "region": item.region_id},
            3,
            when=fields.Datetime.now() - timedelta(days=2),
        )
        episode = self.env["clinic.episode"].create(
            {"patient_id": self.patient.id, "complaint": "Neck pain when driving."}
        )
        response = self.env["clinic.questionnaire.response"].create(
            {
                "episode_id": episode.id,
                "questionnaire_id": self.env.ref("trigger_point_clinic.questionnaire_nrs").id,
            }
        )
        response.answer_ids.write({"value": "5"})
        response.with_user(self.user_therapist).action_submit()
        checks = self.env["clinic.home.check"]
        home_check = checks._answer(
            self.patient,
            {entry: entry.code == "fever" for entry in checks._daily_questions()},
        )
        home_check.with_user(self.user_therapist).action_rescreened()
        records = {
            "clinic.home.check": home_check,
            "clinic.home.log": home_log,
            "clinic.questionnaire.response": response,
            "clinic.questionnaire.answer": response.answer_ids[0],
            "clinic.treatment.note": note,
            "clinic.treatment.note.line": note.line_ids[0],
            "clinic.homecare.item": note.homecare_ids[0],
            "clinic.treatment.note.amendment": amendment,
            "clinic.intake": intake,
            "clinic.intake.answer": intake.answer_ids[0],
            "clinic.intake.pain": intake.pain_ids[0],
            "clinic.clearance": clearance,
        }
        self.assertEqual(
            set(frozen_models(self.env)),
            set(records),
            "every frozen model of the registry needs a frozen record in this test",
        )
        for model, record in records.items():
            self.assertTrue(record, model)
            self.assertEqual(record._clinic_frozen(), record, f"{model} is frozen")
        self.env.flush_all()
        return records

    def _snapshot(self, records):
        """Every row of the frozen records, their many2many rows and their files, as SQL sees
        them."""
        cr = self.env.cr
        self.env.flush_all()
        rows = {}
        for model, record in records.items():
            table = self.env[model]._table
            cr.execute(f"SELECT to_jsonb(t) FROM {table} t WHERE id = %s", [record.id])
            rows[model] = cr.fetchone()[0]
            for field in record._fields.values():
                if field.type == "many2many" and field.store:
                    cr.execute(
                        f"SELECT array_agg({field.column2} ORDER BY {field.column2}) "
                        f"FROM {field.relation} WHERE {field.column1} = %s",
                        [record.id],
                    )
                    rows[(model, field.name)] = cr.fetchone()[0]
            cr.execute(
                "SELECT to_jsonb(a) - 'write_date' - 'write_uid' - 'access_token' "
                "FROM ir_attachment a WHERE res_model = %s AND res_id = %s ORDER BY id",
                [model, record.id],
            )
            rows[(model, "files")] = cr.fetchall()
        return rows

    def _stored_fields(self, model):
        """The fields of ``model`` stored in its table or a relation table, but those its
        allow-list names and the write metadata."""
        Model = self.env[model]
        skip = {"id", *FROZEN_ALWAYS_ALLOWED, *Model._frozen_allowed}
        return [
            name
            for name, field in Model._fields.items()
            if field.store
            and (field.column_type or field.type in ("many2many", "binary", "image"))
            and name not in skip
        ]

    def _other_value(self, record, name):
        """A value of field ``name`` other than ``record``'s, valid for its type, as JSON."""
        field = record._fields[name]
        value = record.sudo()[name]
        kind = field.type
        if kind in ("char", "text", "html"):
            return "changed"
        if kind in ("integer", "many2one_reference"):
            return (value or 0) + 1
        if kind in ("float", "monetary"):
            return (value or 0.0) + 1.0
        if kind == "boolean":
            return not value
        if kind == "date":
            return "2020-01-01"
        if kind == "datetime":
            return "2020-01-01 00:00:00"
        if kind == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in keys if key != value)
        if kind == "many2one":
            other = self.env[field.comodel_name].sudo().search([("id", "!=", value.id)], limit=1)
            return other.id
        if kind == "many2many":
            other = self.env[field.comodel_name].sudo().search([("id", "not in", value.ids)])
            return [fields.Command.set(other[:1].ids)]
        if kind in ("binary", "image"):
            return base64.b64encode(self._signature_png()).decode()
        raise AssertionError(f"no test value for {record._name}.{name} ({kind})")

    def _refused_by_postgresql(self, what):
        return refused_by_postgresql(self, what)


@tagged("post_install", "-at_install")
class TestFrozen(FrozenCase):
    # ------------------------------------------------------------------ generated

    def test_every_stored_field_of_a_frozen_record_refused_over_rpc_for_every_role(self):
        records = self._frozen_records()
        before = self._snapshot(records)
        calls = refused = 0
        for model, record in records.items():
            for name in self._stored_fields(model):
                value = self._other_value(record, name)
                for role in ROLES:
                    with self.subTest(model=model, field=name, role=role):
                        ok, _message = self.rpc(role, model, "write", [record.ids, {name: value}])
                        calls += 1
                        refused += not ok
                        self.assertFalse(ok, f"{role} wrote {model}.{name} of a frozen record")
        _logger.info(f"frozen over JSON-RPC: {refused} of {calls} writes refused")
        self.assertEqual(self._snapshot(records), before)

    def test_every_column_of_a_frozen_row_refused_by_sql(self):
        records = self._frozen_records()
        before = self._snapshot(records)
        cr = self.env.cr
        checked = 0
        for model, record in records.items():
            Model = self.env[model]
            allowed = {
                "id",
                *FROZEN_ALWAYS_ALLOWED,
                *Model._frozen_allowed,
                *Model._frozen_allowed_su,
            }
            cr.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = %s ORDER BY column_name",
                [Model._table],
            )
            columns = [(column, kind) for column, kind in cr.fetchall() if column not in allowed]
            self.assertTrue(columns, model)
            for column, kind in columns:
                cr.execute(f"SELECT {column} IS NULL FROM {Model._table} WHERE id = %s", record.ids)
                value = SQL_LITERALS[kind] if cr.fetchone()[0] else "NULL"
                query = f"UPDATE {Model._table} SET {column} = {value} WHERE id = {record.id}"
                with self._refused_by_postgresql(query):
                    cr.execute(query)
                checked += 1
            # Neither deleted, nor a copy inserted under the same frozen parent.
            query = f"DELETE FROM {Model._table} WHERE id = {record.id}"
            with self._refused_by_postgresql(query):
                cr.execute(query)
            if Model._frozen_parent:
                query = (
                    f"INSERT INTO {Model._table} SELECT (jsonb_populate_record(NULL::"
                    f"{Model._table}, to_jsonb(t) || jsonb_build_object('id', "
                    f"nextval('{Model._table}_id_seq')))).* FROM {Model._table} t "
                    f"WHERE id = {record.id}"
                )
                with self._refused_by_postgresql(query):
                    cr.execute(query)
            # Many2many rows of a frozen record: none added, none removed.
            for field in record._fields.values():
                if field.type == "many2many" and field.store and field.model_name == model:
                    other = self.env[field.comodel_name].sudo().search([], order="id desc")
                    other = (other - record.sudo()[field.name])[:1]
                    for query in (
                        f"INSERT INTO {field.relation} ({field.column1}, {field.column2}) "
                        f"VALUES ({record.id}, {other.id})",
                        f"DELETE FROM {field.relation} WHERE {field.column1} = {record.id}",
                    ):
                        with self._refused_by_postgresql(query):
                            cr.execute(query)
        _logger.info(
            f"frozen by PostgreSQL: {checked} columns of {len(records)} frozen rows refused"
        )
        self.env.invalidate_all()
        self.assertEqual(self._snapshot(records), before)

    def test_files_of_frozen_records_refused(self):
        records = self._frozen_records()
        before = self._snapshot(records)
        Attachment = self.env["ir.attachment"].sudo()
        for model, record in records.items():
            with self.subTest(model=model), self.assertRaises(UserError):
                Attachment.create(
                    {"name": "added.txt", "raw": b"added", "res_model": model, "res_id": record.id}
                )
            ok, _message = self.rpc(
                "therapist",
                "ir.attachment",
                "create",
                [
                    {
                        "name": "added.txt",
                        "datas": "YWRkZWQ=",
                        "res_model": model,
                        "res_id": record.id,
                    }
                ],
            )
            self.assertFalse(ok, f"a file added to a frozen {model} over JSON-RPC")
        stranger = Attachment.create(
            {"name": "elsewhere.txt", "raw": b"x", "res_model": "res.partner", "res_id": 1}
        )
        files = Attachment.search(
            [
                ("res_field", "in", ["signature", "document"]),
                "|",
                "&",
                ("res_model", "=", "clinic.intake"),
                ("res_id", "=", records["clinic.intake"].id),
                "&",
                ("res_model", "=", "clinic.clearance"),
                ("res_id", "=", records["clinic.clearance"].id),
            ]
        )
        self.assertEqual(set(files.mapped("res_field")), {"signature", "document"})
        for attachment in files:
            for attempt in (
                lambda a: a.write({"datas": base64.b64encode(b"replaced")}),
                lambda a: a.write({"res_id": self.patient.id}),
                lambda a: a.write({"name": "renamed.pdf"}),
                lambda a: a.unlink(),
            ):
                with self.subTest(file=attachment.res_field), self.assertRaises(UserError):
                    attempt(attachment)
            for role in ROLES:
                for method, args in (
                    ("write", [attachment.ids, {"datas": "cmVwbGFjZWQ="}]),
                    ("write", [attachment.ids, {"res_id": self.patient.id}]),
                    ("unlink", [attachment.ids]),
                ):
                    with self.subTest(file=attachment.res_field, role=role, method=method):
                        ok, _message = self.rpc(role, "ir.attachment", method, args)
                        self.assertFalse(ok)
        with self.assertRaises(UserError):
            stranger.write({"res_model": "clinic.intake", "res_id": records["clinic.intake"].id})
        self.env.flush_all()
        cr = self.env.cr
        intake = records["clinic.intake"]
        for query in (
            f"UPDATE ir_attachment SET name = 'x' WHERE id IN {tuple(files.ids)}",
            f"UPDATE ir_attachment SET db_datas = 'x' WHERE id IN {tuple(files.ids)}",
            f"UPDATE ir_attachment SET res_id = 1 WHERE id IN {tuple(files.ids)}",
            f"DELETE FROM ir_attachment WHERE id IN {tuple(files.ids)}",
            f"UPDATE ir_attachment SET res_model = 'clinic.intake', res_id = {intake.id} "
            f"WHERE id = {stranger.id}",
            "INSERT INTO ir_attachment (name, type, res_model, res_id) "
            f"VALUES ('added', 'binary', 'clinic.intake', {intake.id})",
        ):
            with self._refused_by_postgresql(query):
                cr.execute(query)
        # The token that shares a file is not its content: it may still be made.
        files[:1].generate_access_token()
        self.env.invalidate_all()
        self.assertEqual(self._snapshot(records), before)

    def test_nothing_moves_into_a_frozen_record(self):
        """A draft note's home-care item moved under a signed note: refused by the ORM (as the
        therapist over JSON-RPC) and by PostgreSQL."""
        signed = self._signed_note()
        draft = self._draft_note()
        item = draft.homecare_ids[0]
        ok, message = self.rpc(
            "therapist", "clinic.homecare.item", "write", [item.ids, {"note_id": signed.id}]
        )
        self.assertFalse(ok, "a row moved under a signed note")
        self.assertRegex(message, "can no longer change")
        self.env.flush_all()
        query = f"UPDATE clinic_homecare_item SET note_id = {signed.id} WHERE id = {item.id}"
        with self._refused_by_postgresql(query):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        self.assertEqual(item.note_id, draft)
        # A chatter message with a file is a file of the note: refused; without, it is posted.
        attachment = self.env["ir.attachment"].create({"name": "scan.pdf", "raw": b"%PDF"})
        with self.assertRaises(UserError):
            signed.message_post(body="The scan", attachment_ids=attachment.ids)
        signed.message_post(body="Called the patient: no bruising.")

    # ------------------------------------------------------------------ reproductions

    def test_reproduction_2_a_signed_notes_line_refuses_every_column(self):
        """Issue 19, reproduction 2: the note's therapist wrote the signed note's line over
        JSON-RPC, and the row changed in PostgreSQL."""
        note = self._signed_note()
        line = note.line_ids[0]
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT to_jsonb(l) FROM clinic_treatment_note_line l WHERE id = %s", line.ids
        )
        before = self.env.cr.fetchone()[0]
        ok, message = self.rpc(
            "therapist",
            "clinic.treatment.note.line",
            "write",
            [
                line.ids,
                {
                    "pain_relief": 9,
                    "top_region_id": self.env["clinic.body.region"]
                    .search([("id", "!=", line.top_region_id.id)], limit=1)
                    .id,
                    "note_state": "draft",
                    "patient_id": self.patient_2.id,
                    "date": "2020-01-01 00:00:00",
                },
            ],
        )
        self.assertFalse(ok, "the signed note's line was written")
        self.assertRegex(message, "can no longer change")
        self.assertRegex(message, "NRS Relief|Body Region|Note Status|Patient")
        self.env.cr.execute(
            "SELECT to_jsonb(l) FROM clinic_treatment_note_line l WHERE id = %s", line.ids
        )
        self.assertEqual(self.env.cr.fetchone()[0], before)
