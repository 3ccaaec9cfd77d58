"""Rows of the JSON-RPC gate matrix (tests/test_rpc_gate.py) for the outcomes: episodes of
care. Each row: (model, method, build(role) -> (args, kwargs, context), expectations)."""

import base64

from odoo import fields


def discharge_open(case, patient):
    """Discharge ``patient``'s open episode: a patient has one open episode at a time."""
    case.env["clinic.episode"].search(
        [("patient_id", "=", patient.id), ("state", "=", "open")]
    ).write({"date_discharge": fields.Date.today(), "discharge_reason": "other"})


# The frozen mixin's message (test_rpc_gate's FROZEN is the database trigger's).
FROZEN_HERE = r"is frozen: .* cannot change"


def open_episode(case, patient=None):
    """A new open episode of ``patient`` (Sol, in Tess's care, by default)."""
    patient = patient or case.patient
    discharge_open(case, patient)
    return case.env["clinic.episode"].create(
        {"patient_id": patient.id, "complaint": "Neck pain when driving.", "planned_sessions": 6}
    )


def _new_episode_values(case):
    discharge_open(case, case.patient)
    return {"patient_id": case.patient.id, "complaint": "Low back pain.", "planned_sessions": 4}


def response(case, submitted=False):
    """An NRS response of Sol's open episode, answered (and submitted)."""
    episode = case.env["clinic.episode"].search(
        [("patient_id", "=", case.patient.id), ("state", "=", "open")]
    ) or open_episode(case)
    result = case.env["clinic.questionnaire.response"].create(
        {
            "episode_id": episode.id,
            "questionnaire_id": case.env.ref("trigger_point_clinic.questionnaire_nrs").id,
        }
    )
    result.answer_ids.write({"value": "5"})
    if submitted:
        result.action_submit()
    return result


def load_wizard(case, role):
    """A wizard of ``role``'s own (a wizard is its creator's), with a file that is no
    instrument: the managers meet the format's message, the others their access rights."""
    env = case._env_of(role, roles=("manager", "administrator"))
    return env["clinic.questionnaire.load"].create({"file": base64.b64encode(b"<questionnaire/>")})


def letter_episode(case):
    """An open episode of Sol, whose referring physician has an e-mail address."""
    case.patient.referring_physician_id = case.physician
    case.physician.email = "gate@physician.example.com"
    return open_episode(case)


def rows(case):
    # test_rpc_gate imports this module: its names are complete once it calls rows().
    from .rpc_matrix import ACCESS, CLINICAL, GATE, MANAGERS, expect

    s = case
    return [
        (
            "clinic.episode",
            "create",
            lambda role: ([_new_episode_values(s)], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.episode",
            "write",
            lambda role: ([open_episode(s).ids, {"complaint": "Neck and shoulder."}], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.episode",
            "write",
            lambda role: ([open_episode(s).ids, {"reassess_half_prompted": True}], {}, {}),
            expect(default=GATE, front_desk=ACCESS),
        ),
        (
            "clinic.episode",
            "write",
            lambda role: (
                [
                    open_episode(s, s._make_patient("Gate Outsider")).ids,
                    {"complaint": "Read a file outside my care?"},
                ],
                {},
                {},
            ),
            expect(MANAGERS),
        ),
        (
            "clinic.questionnaire.response",
            "create",
            lambda role: (
                [
                    {
                        "episode_id": response(s).episode_id.id,
                        "questionnaire_id": s.env.ref("trigger_point_clinic.questionnaire_pgic").id,
                    }
                ],
                {},
                {},
            ),
            expect(CLINICAL),
        ),
        (
            "clinic.questionnaire.response",
            "write",
            lambda role: ([response(s).ids, {"score": 1.0}], {}, {}),
            expect(default=GATE, front_desk=ACCESS),
        ),
        (
            "clinic.questionnaire.response",
            "action_submit",
            lambda role: ([response(s).ids], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.questionnaire.response",
            "unlink",
            lambda role: ([response(s, submitted=True).ids], {}, {}),
            expect(default=FROZEN_HERE, front_desk=ACCESS, therapist=ACCESS),
        ),
        (
            "clinic.questionnaire.answer",
            "create",
            lambda role: ([{"response_id": response(s).id, "value": "3"}], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.questionnaire.answer",
            "write",
            lambda role: ([response(s, submitted=True).answer_ids.ids, {"value": "0"}], {}, {}),
            expect(default=FROZEN_HERE, front_desk=ACCESS),
        ),
        (
            "clinic.questionnaire.answer",
            "unlink",
            lambda role: ([response(s).answer_ids.ids], {}, {}),
            expect(MANAGERS),
        ),
        (
            "clinic.questionnaire.load",
            "action_load",
            lambda role: ([load_wizard(s, role).ids], {}, {}),
            expect(
                default=ACCESS, manager="scoring of ndi, odi", administrator="scoring of ndi, odi"
            ),
        ),
        (
            "clinic.episode",
            "action_send_letter",
            lambda role: ([letter_episode(s).ids], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.research.export",
            "action_generate",
            lambda role: (open_episode(s) and [], {}, {}),
            expect(MANAGERS),
        ),
    ]
