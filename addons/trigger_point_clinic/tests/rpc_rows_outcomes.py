"""Rows of the JSON-RPC gate matrix (tests/test_rpc_gate.py) for the outcomes: episodes of
care. Each row: (model, method, build(role) -> (args, kwargs, context), expectations)."""

from odoo import fields


def discharge_open(case, patient):
    """Discharge ``patient``'s open episode: a patient has one open episode at a time."""
    case.env["clinic.episode"].search(
        [("patient_id", "=", patient.id), ("state", "=", "open")]
    ).write({"date_discharge": fields.Date.today(), "discharge_reason": "other"})


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


def rows(case):
    # test_rpc_gate imports this module: its names are complete once it calls rows().
    from .test_rpc_gate import ACCESS, CLINICAL, GATE, MANAGERS, expect

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
                [open_episode(s, s.patient_2).ids, {"complaint": "Read Tom's file?"}],
                {},
                {},
            ),
            expect(MANAGERS),
        ),
    ]
