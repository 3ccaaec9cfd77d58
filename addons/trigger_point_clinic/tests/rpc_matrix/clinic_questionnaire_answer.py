"""Who may call what on ``clinic.questionnaire.answer`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, CLINICAL, MANAGERS, expect
from .clinic_questionnaire_response import FROZEN_HERE, response


def rows(s):
    return [
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
    ]
