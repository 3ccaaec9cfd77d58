"""Deny by default: clinical content lives only in clinical models, which the front desk has no
access right on, so that no read path of any kind reaches it.

The matrix is generated from the registry: every model the role may read (the clinic's, and
Odoo's models a clinic record hangs off), every field, and each way a client reads (``read``,
``search_read``, ``export_data``, a grouped read by each stored field). A field or a model added
later is covered without editing this file.
"""

import json

from odoo import fields
from odoo.tests import tagged

from .rpc_common import RpcCase

# Odoo models that hold what hangs off clinic records (messages, files, activities, partners).
HANGING_OFF = (
    "res.partner",
    "ir.attachment",
    "mail.message",
    "mail.activity",
    "mail.followers",
    "mail.tracking.value",
    "account.move",
    "account.move.line",
    "resource.resource",
)
# Catalogues: their names are the clinic's vocabulary, not a patient's content.
CATALOGUES = ("clinic.contraindication", "clinic.body.region")


@tagged("post_install", "-at_install")
class TestDenyByDefault(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # What only Nadia's clinical record holds: a condition of the catalogue nobody else
        # has, the detail of her answer, her medications' note, her clearance's note.
        cls.sentinel = cls.env["clinic.contraindication"].create(
            {
                "name": "Zeta sentinel condition",
                "code": "zeta_sentinel",
                "kind": "relative",
                "question": "Do you have the zeta sentinel condition?",
            }
        )
        intake = cls.env["clinic.intake"].create(
            {"patient_id": cls.nadia.id, "medication_note": "SENTINEL-MEDICATION-NOTE"}
        )
        for answer in intake.answer_ids:
            code = answer.contraindication_id.code
            answer.answer = "yes" if code in ("dvt", "zeta_sentinel", "varicose_veins") else "no"
            if code == "zeta_sentinel":
                answer.detail = "SENTINEL-ANSWER-DETAIL"
        intake.write(
            {
                "medication_ids": [fields.Command.set([cls._contraindication("anticoagulant").id])],
                "consent": True,
                "signer_name": cls.nadia.name,
                "signature": cls._signature_b64(),
            }
        )
        intake._submit()
        cls._sentinel_clearance(cls.nadia, cls.sentinel, note="SENTINEL-CLEARANCE-NOTE")
        # Texts only Nadia's record holds; the front desk sees no health answer of anyone, so
        # for it the names of her conditions count too (a therapist reads the questions of
        # the answers of the patients in their care).
        cls.markers = {
            "therapist": (
                "SENTINEL-ANSWER-DETAIL",
                "SENTINEL-MEDICATION-NOTE",
                "SENTINEL-CLEARANCE-NOTE",
            ),
        }
        cls.markers["front_desk"] = (
            *cls.markers["therapist"],
            "Zeta sentinel",
            "Deep vein thrombosis",
            "Anticoagulant",
            "Varicose",
        )
        # Nadia is in nobody's care but the managers': Tess (therapist) is outside it, and her
        # own patients have none of these conditions.
        screening = cls.nadia.screening_ids
        assert screening.verdict == "do_not_treat", screening.verdict
        assert "Zeta sentinel" in screening.reasons or "Deep vein" in screening.reasons

    @classmethod
    def _signature_b64(cls):
        import base64

        return base64.b64encode(cls._signature_png())

    @classmethod
    def _sentinel_clearance(cls, patient, contraindications, note):
        return cls.env["clinic.clearance"].create(
            {
                "patient_id": patient.id,
                "physician_id": cls.env["res.partner"].create({"name": "Dr. Sentinel"}).id,
                "contraindication_ids": [fields.Command.set(contraindications.ids)],
                "date_issued": fields.Date.today(),
                "note": note,
            }
        )

    # ------------------------------------------------------------------ helpers

    def _readable_models(self, role):
        user = self.users[role]
        names = [name for name in self.env.registry if name.startswith("clinic.")]
        names += [name for name in HANGING_OFF if name in self.env]
        return [
            name
            for name in sorted(names)
            if not self.env[name]._abstract
            and not self.env[name]._transient
            and self.env[name].with_user(user).has_access("read")
        ]

    def _fields_of(self, role, model):
        ok, description = self.rpc(role, model, "fields_get", [], {"attributes": ["type", "store"]})
        self.assertTrue(ok, description)
        return description

    def _leaks(self, answer, role="front_desk"):
        text = json.dumps(answer, default=str)
        return [marker for marker in self.markers[role] if marker in text]

    def _assert_no_clinical_value(self, role):
        """Every way ``role`` reads every model it may read shows none of Nadia's clinical
        content. Refusals are fine; a refusal's message must not carry the content either."""
        calls = 0
        for model in self._readable_models(role):
            markers_apply = model not in CATALOGUES
            described = self._fields_of(role, model)
            names = sorted(described)
            stored = [n for n, d in described.items() if d.get("store") and n != "id"]
            reads = [
                ("search_read", [[]], {"fields": names, "limit": 500}),
                ("export_data", [], {}),
            ]
            for method, args, kwargs in reads:
                if method == "export_data":
                    ok, ids = self.rpc(role, model, "search", [[]], {"limit": 200})
                    if not ok:
                        continue
                    exportable = [
                        n for n in stored if described[n]["type"] not in ("binary", "properties")
                    ]
                    args = [ids, exportable]
                calls += 1
                _ok, answer = self.rpc(role, model, method, args, kwargs)
                if markers_apply:
                    self.assertFalse(self._leaks(answer, role), f"{role}: {model}.{method}")
            for name in stored:
                if described[name]["type"] in ("binary", "html", "text", "properties", "json"):
                    continue
                calls += 1
                _ok, answer = self.rpc(
                    role, model, "formatted_read_group", [[], [name], ["__count"]]
                )
                if markers_apply:
                    self.assertFalse(
                        self._leaks(answer, role), f"{role}: {model} grouped by {name}: {answer}"
                    )
        return calls

    # ------------------------------------------------------------------ the matrix

    def test_front_desk_reads_no_clinical_value_by_any_path(self):
        calls = self._assert_no_clinical_value("front_desk")
        self.assertGreater(calls, 200)

    def test_therapist_outside_the_care_reads_no_clinical_value_by_any_path(self):
        self.assertNotIn(self.user_therapist, self.nadia.care_user_ids)
        calls = self._assert_no_clinical_value("therapist")
        self.assertGreater(calls, 200)

    def test_front_desk_has_no_right_on_clinical_models(self):
        """The models that hold clinical content grant the front desk nothing."""
        desk = self.env(user=self.user_front_desk)
        for model in (
            "clinic.patient.screening",
            "clinic.intake.answer",
            "clinic.intake.pain",
            "clinic.clearance",
            "clinic.screening.override",
            "clinic.treatment.note",
            "clinic.treatment.note.line",
            "clinic.homecare.item",
            "clinic.region.outcome",
            "clinic.home.log",
            "clinic.home.check",
            "clinic.home.reminder",
        ):
            with self.subTest(model=model):
                self.assertFalse(desk[model].has_access("read"))

    def test_no_field_points_the_front_desk_at_clinical_records(self):
        """A field of a model the front desk reads that points at a clinical model (one whose
        reads are audited) is not the front desk's: it cannot read, search or group by it, so
        that not even which records exist (who has a clearance) shows. Generated from the
        registry: a field added later without its groups fails here."""
        desk = self.env(user=self.user_front_desk)
        clinical = {
            name
            for name in self.env.registry
            if not self.env[name]._abstract and "clinic.audited.mixin" in self.env[name]._inherit
        }
        clinical |= {
            name
            for name in self.env.registry
            if not self.env[name]._abstract
            and isinstance(self.env[name], type(self.env["clinic.audited.mixin"]))
        }
        self.assertIn("clinic.patient.screening", clinical)
        checked = 0
        for name in self._readable_models("front_desk"):
            model = desk[name]
            for field in model._fields.values():
                if not field.relational or field.comodel_name not in clinical - {name}:
                    continue
                # The patient and the intake keep their clinical fields behind groups: the
                # front desk reads the patient's contact data and the intake's status.
                if desk[field.comodel_name].has_access("read"):
                    continue
                checked += 1
                with self.subTest(model=name, field=field.name):
                    self.assertFalse(model._has_field_access(field, "read"))
        self.assertGreater(checked, 3)

    # ------------------------------------------------------------------ reproductions

    def test_front_desk_cannot_group_or_search_by_a_clinical_field(self):
        """Reproduction 1: grouped reads answered contraindications and medications, and a
        search told who has a clearance."""
        refusals = [
            ("clinic.patient", "formatted_read_group", [[], ["screening_ids"], ["__count"]]),
            (
                "clinic.patient",
                "formatted_read_group",
                [[], ["screening_ids.verdict"], ["__count"]],
            ),
            ("clinic.patient", "search", [[("screening_ids.verdict", "=", "do_not_treat")]]),
            ("clinic.patient", "search", [[("clearance_ids", "!=", False)]]),
            ("clinic.patient", "search", [[("clearance_ids.note", "ilike", "SENTINEL")]]),
            ("clinic.intake", "formatted_read_group", [[], ["medication_ids"], ["__count"]]),
            ("clinic.intake", "search", [[("medication_ids", "!=", False)]]),
            (
                "clinic.session",
                "formatted_read_group",
                [[], ["patient_id.screening_ids"], ["__count"]],
            ),
        ]
        for model, method, args in refusals:
            with self.subTest(model=model, method=method, args=args):
                ok, answer = self.rpc("front_desk", model, method, args)
                self.assertFalse(ok, f"{model}.{method}{args} answered {answer}")
                self.assertFalse(self._leaks(answer))

    def test_front_desk_sees_only_the_booking_status(self):
        ok, answer = self.rpc(
            "front_desk", "clinic.patient", "read", [self.nadia.ids, ["booking_status"]]
        )
        self.assertTrue(ok, answer)
        self.assertEqual(answer[0]["booking_status"], "ask_therapist")
        ok, answer = self.rpc(
            "front_desk",
            "clinic.patient",
            "formatted_read_group",
            [[("id", "=", self.nadia.id)], ["booking_status"], ["__count"]],
        )
        self.assertTrue(ok, answer)
        self.assertEqual(answer[0]["booking_status"], "ask_therapist")

    def test_therapist_outside_the_care_reads_nothing_through_the_session(self):
        """Reproduction 3: a therapist outside the patient's care read the regions to avoid
        and the maximum pressure through the session, and nothing was logged."""
        session = self._draft(self.nadia, therapist=self.therapist_2)
        names = ["patient_screening_verdict", "patient_excluded_region_ids", "patient_max_pressure"]
        for method, args in (
            ("read", [session.ids, names]),
            ("search_read", [[("id", "=", session.id)], names]),
        ):
            ok, answer = self.rpc("therapist", "clinic.session", method, args)
            self.assertTrue(ok, answer)
            self.assertFalse(answer[0]["patient_screening_verdict"])
            self.assertFalse(answer[0]["patient_excluded_region_ids"])
            self.assertFalse(answer[0]["patient_max_pressure"])
        # The session's therapist (Marco) reads them, and the read is logged.
        log = self.env["clinic.access.log"].sudo()
        before = log.search_count([("patient_id", "=", self.nadia.id)])
        ok, answer = self.rpc("manager", "clinic.session", "read", [session.ids, names])
        self.assertTrue(ok, answer)
        self.assertEqual(answer[0]["patient_screening_verdict"], "do_not_treat")
        self.assertTrue(answer[0]["patient_excluded_region_ids"])
        self.env.flush_all()
        self.assertGreater(log.search_count([("patient_id", "=", self.nadia.id)]), before)

    def test_reading_a_clinical_file_through_ir_attachment_is_logged(self):
        """Reproduction 3: a therapist read an intake signature's content through
        ir.attachment.search_read, and nothing was logged."""
        self._draft(self.nadia)  # Nadia in Tess's care; Marco has no session with her
        intake = self.nadia.current_intake_id
        domain = [
            ("res_model", "=", "clinic.intake"),
            ("res_id", "=", intake.id),
            ("res_field", "=", "signature"),
        ]
        log = self.env["clinic.access.log"].sudo()

        def entries():
            self.env.flush_all()
            return log.search_count(
                [
                    ("patient_id", "=", self.nadia.id),
                    ("res_model", "=", "clinic.intake"),
                    ("user_id", "=", self.user_therapist.id),
                ]
            )

        before = entries()
        ok, answer = self.rpc(
            "therapist", "ir.attachment", "search_read", [domain, ["name", "datas"]]
        )
        self.assertTrue(ok, answer)
        self.assertTrue(answer and answer[0]["datas"], "the therapist in care reads it")
        self.assertEqual(entries(), before + 1, "and the read is logged")
        # Outside the care, Marco reads no file of hers.
        self.users = {**self.users, "marco": self.user_marco}
        ok, answer = self.rpc("marco", "ir.attachment", "search_read", [domain, ["datas"]])
        self.assertFalse(ok and answer, answer)


@tagged("post_install", "-at_install")
class TestRelaxingWaitsForATherapist(RpcCase):
    """Nobody acts as the patient: a screening becomes stricter at once, less strict only once
    a therapist has reviewed the intake that relaxes it."""

    def _clear_intake(self, patient):
        intake = self.env["clinic.intake"].create({"patient_id": patient.id})
        intake.answer_ids.write({"answer": "no"})
        intake.write(
            {
                "consent": True,
                "signer_name": patient.name,
                "signature": self._signature_b64(),
            }
        )
        return intake

    @classmethod
    def _signature_b64(cls):
        import base64

        return base64.b64encode(cls._signature_png())

    def test_an_all_no_intake_does_not_clear_a_do_not_treat_patient(self):
        """Reproduction 4: an intake answered "no" everywhere took a do-not-treat patient to
        clear, and the front desk confirmed her session."""
        intake = self._clear_intake(self.nadia)
        intake._submit()
        self.assertEqual(self.nadia.screening_ids.verdict, "do_not_treat")
        self.assertEqual(self.nadia.pending_intake_id, intake)
        self.assertEqual(self.nadia.booking_status, "ask_therapist")
        session = self._draft(self.nadia)
        ok, message = self.rpc("front_desk", "clinic.session", "action_confirm", [session.ids])
        self.assertFalse(ok)
        self.assertIn("cannot be treated", message)
        self.assertNotIn("Deep vein", message, "the front desk is not told why")
        # The front desk cannot review it in the therapist's place.
        ok, message = self.rpc("front_desk", "clinic.intake", "action_review", [intake.ids])
        self.assertFalse(ok)
        self.assertEqual(self.nadia.screening_ids.verdict, "do_not_treat")
        # A therapist reviews it: the patient is clear from now on.
        self.nadia.care_team_ids = self.user_therapist
        ok, message = self.rpc("therapist", "clinic.intake", "action_review", [intake.ids])
        self.assertTrue(ok, message)
        self.assertEqual(self.nadia.screening_ids.verdict, "clear")
        self.assertEqual(self.nadia.current_intake_id, intake)
        self.assertFalse(self.nadia.pending_intake_id)
        ok, message = self.rpc("front_desk", "clinic.session", "action_confirm", [session.ids])
        self.assertTrue(ok, message)

    def test_a_stricter_intake_applies_at_once(self):
        patient = self._make_patient("Sara Stricter")
        self._clear_intake(patient)._submit()
        self.assertEqual(patient.screening_ids.verdict, "clear")
        self._submit_intake(patient, yes=["dvt"])
        self.assertEqual(patient.screening_ids.verdict, "do_not_treat")
        self.assertFalse(patient.pending_intake_id)

    def test_the_first_intake_applies_at_once(self):
        patient = self._make_patient("Fay First")
        self._clear_intake(patient)._submit()
        self.assertEqual(patient.screening_ids.verdict, "clear")
        self.assertEqual(patient.booking_status, "bookable")
