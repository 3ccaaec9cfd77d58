"""Who may call what on ``clinic.questionnaire.load`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

import base64

from . import ACCESS, expect


def _load_wizard(case, role):
    """A wizard of ``role``'s own (a wizard is its creator's), with a file that is no
    instrument: the managers meet the format's message, the others their access rights."""
    env = case._env_of(role, roles=("manager", "administrator"))
    return env["clinic.questionnaire.load"].create({"file": base64.b64encode(b"<questionnaire/>")})


def rows(s):
    return [
        (
            "clinic.questionnaire.load",
            "action_load",
            lambda role: ([_load_wizard(s, role).ids], {}, {}),
            expect(
                default=ACCESS, manager="scoring of ndi, odi", administrator="scoring of ndi, odi"
            ),
        ),
    ]
