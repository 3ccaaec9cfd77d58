"""Who may call what on ``clinic.questionnaire.response`` over JSON-RPC: rows of the gate
matrix that ``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals'
messages)."""

from . import ACCESS, CLINICAL, GATE, expect
from .clinic_episode import open_episode

# The frozen mixin's message (FROZEN is the database trigger's).
FROZEN_HERE = r"is frozen: .* cannot change"


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


def rows(s):
    return [
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
    ]
