"""Who may call what on ``clinic.episode`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

The outcomes: an episode of care is written by the clinical roles of the patient's care."""

from odoo import fields

from . import ACCESS, CLINICAL, GATE, MANAGERS, expect


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


def _letter_episode(case):
    """An open episode of Sol, whose referring physician has an e-mail address."""
    case.patient.referring_physician_id = case.physician
    case.physician.email = "gate@physician.example.com"
    return open_episode(case)


def rows(s):
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
            "clinic.episode",
            "action_send_letter",
            lambda role: ([_letter_episode(s).ids], {}, {}),
            expect(CLINICAL),
        ),
    ]
