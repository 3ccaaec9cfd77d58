"""Questionnaires over JSON-RPC: a licensed instrument loaded by a manager from the clinic's
file, responses scored on the server as each manual says (missing items included), frozen once
submitted, and read only by the patient's therapists and the managers."""

import base64

from odoo import fields
from odoo.tests import tagged

from .rpc_common import RpcCase
from .rpc_matrix import ACCESS


def licensed_file(scoring="ndi", items=10, options=6, code=None):
    """A file of the licensed format. The items are placeholders: the real ones are the
    clinic's to load, never shipped."""
    body = "".join(
        f'<item text="Section {i}">'
        + "".join(f"<option>Statement {i}.{o}</option>" for o in range(options))
        + "</item>"
        for i in range(1, items + 1)
    )
    code = code or scoring
    return (
        f'<questionnaire code="{code}" scoring="{scoring}" name="Test {scoring.upper()}" '
        f'licence="Test licence 2026">{body}</questionnaire>'
    ).encode()


@tagged("post_install", "-at_install")
class TestQuestionnaire(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.episode = cls.env["clinic.episode"].create(
            {
                "patient_id": cls.patient.id,
                "complaint": "Neck pain when driving.",
                "goal_ids": [
                    fields.Command.create({"activity": "Drive an hour"}),
                    fields.Command.create({"activity": "Sleep on my left side"}),
                ],
            }
        )

    def _load(self, content, role="manager"):
        wizard = self.env["clinic.questionnaire.load"].create({"file": base64.b64encode(content)})
        return self.rpc(role, "clinic.questionnaire.load", "action_load", [wizard.ids])

    def _ndi(self):
        ok, action = self._load(licensed_file())
        self.assertTrue(ok, action)
        return self.env["clinic.questionnaire"].browse(action["res_id"])

    def _respond(self, questionnaire, values, role="therapist"):
        """A response of Sol's episode, filled in over RPC with ``values`` (None: left
        empty), not yet submitted."""
        response_id = self.assertRpc(
            role,
            True,
            "clinic.questionnaire.response",
            "create",
            [{"episode_id": self.episode.id, "questionnaire_id": questionnaire.id}],
        )
        response = self.env["clinic.questionnaire.response"].browse(response_id)
        self.assertEqual(len(response.answer_ids), len(values))
        for answer, value in zip(response.answer_ids.sorted("sequence"), values, strict=True):
            if value is not None:
                self.assertRpc(
                    role,
                    True,
                    "clinic.questionnaire.answer",
                    "write",
                    [answer.ids, {"value": str(value)}],
                )
        return response

    # ------------------------------------------------------------------ the licensed format

    def test_a_manager_loads_a_licensed_instrument_from_the_clinics_file(self):
        ndi = self._ndi()
        self.assertEqual((ndi.scoring, ndi.licensed, len(ndi.item_ids)), ("ndi", True, 10))
        self.assertEqual(ndi.item_ids[0].options.splitlines()[5], "Statement 1.5")
        self.assertEqual(ndi.licence, "Test licence 2026")
        # Loaded again, the items are replaced, not added.
        self._ndi()
        self.assertEqual(len(ndi.item_ids), 10)
        self.assertEqual(self.env["clinic.questionnaire"].search_count([("code", "=", "ndi")]), 1)

    def test_a_wrong_file_is_refused_with_what_to_fix(self):
        for content, message in (
            (b"not xml at all", "is not a questionnaire file"),
            (b"", "is not a questionnaire file"),
            (licensed_file(scoring="nrs"), "scoring of ndi, odi"),
            (licensed_file(items=9), "has 10 items, each with a text and 6"),
            (licensed_file(scoring="odi", options=5), "has 10 items, each with a text and 6"),
            (
                b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<questionnaire scoring="ndi"><item text="&x;"/></questionnaire>',
                "is not a questionnaire file",
            ),
        ):
            with self.subTest(message=message):
                ok, result = self._load(content)
                self.assertFalse(ok)
                self.assertIn(message, result)
                self.assertNotIn("root:", result)
        self.assertFalse(self.env["clinic.questionnaire"].search([("licensed", "=", True)]))

    def test_only_managers_load_instruments(self):
        for role in ("therapist", "front_desk"):
            ok, result = self._load(licensed_file(), role=role)
            self.assertFalse(ok)
            self.assertRegex(result, ACCESS)
        self.assertFalse(self.env["clinic.questionnaire"].search([("code", "=", "ndi")]))

    # ------------------------------------------------------------------ scored on the server

    def test_ndi_is_scored_on_submit_and_frozen(self):
        response = self._respond(self._ndi(), [2, 2, 2, 2, 2, 2, 2, 2, 2, 1])
        self.assertRpc(
            "therapist", True, "clinic.questionnaire.response", "action_submit", [response.ids]
        )
        self.assertEqual((response.state, response.score), ("submitted", 38.0))
        self.assertRpc(
            "therapist",
            "is frozen",
            "clinic.questionnaire.answer",
            "write",
            [response.answer_ids[:1].ids, {"value": "0"}],
        )
        for role in ("therapist", "manager"):
            self.assertRpc(
                role,
                "cannot be written directly",
                "clinic.questionnaire.response",
                "write",
                [response.ids, {"score": 0.0}],
            )
        self.assertEqual(response.score, 38.0)

    def test_missing_items_as_the_manual_says(self):
        ndi = self._ndi()
        one_missing = self._respond(ndi, [2, 2, 2, 2, 2, 2, 2, 2, 1, None])
        one_missing.with_user(self.user_therapist).action_submit()
        self.assertAlmostEqual(one_missing.score, 37.78, places=2)
        two_missing = self._respond(ndi, [2, 2, 2, 2, 2, 2, 2, 2, None, None])
        message = self.assertRpc(
            "therapist",
            "cannot be scored",
            "clinic.questionnaire.response",
            "action_submit",
            [two_missing.ids],
        )
        self.assertIn("Answer the missing items", message)
        self.assertEqual(two_missing.state, "draft")

    def test_psfs_asks_the_episodes_goals_in_the_patients_words(self):
        psfs = self.env.ref("trigger_point_clinic.questionnaire_psfs")
        response = self._respond(psfs, [3, 5])
        self.assertEqual(
            response.answer_ids.mapped("question"), ["Drive an hour", "Sleep on my left side"]
        )
        response.with_user(self.user_therapist).action_submit()
        self.assertEqual(response.score, 4.0)

    def test_an_answer_outside_the_scale_is_refused(self):
        pgic = self.env.ref("trigger_point_clinic.questionnaire_pgic")
        response = self._respond(pgic, [9])
        self.assertRpc(
            "therapist",
            "from 1 to 7",
            "clinic.questionnaire.response",
            "action_submit",
            [response.ids],
        )
        self.assertEqual(response.state, "draft")

    # ------------------------------------------------------------------ who reads it

    def test_front_desk_reads_no_response_and_therapists_only_in_their_care(self):
        response = self._respond(self.env.ref("trigger_point_clinic.questionnaire_nrs"), [6])
        for model, ids in (
            ("clinic.questionnaire.response", response.ids),
            ("clinic.questionnaire.answer", response.answer_ids.ids),
        ):
            self.assertRpc("front_desk", ACCESS, model, "read", [ids])
            self.assertRpc("front_desk", ACCESS, model, "search_read", [[]])
            self.assertRpc("manager", True, model, "read", [ids])
        marco = self.env(user=self.user_marco)
        self.assertFalse(marco["clinic.questionnaire.response"].search([]))
        self.users = {**self.users, "marco": self.user_marco}
        self.assertRpc(
            "marco", ACCESS, "clinic.questionnaire.response", "read", [response.ids, ["score"]]
        )
        self.assertRpc(
            "front_desk",
            ACCESS,
            "clinic.questionnaire.response",
            "create",
            [{"episode_id": self.episode.id, "questionnaire_id": response.questionnaire_id.id}],
        )
