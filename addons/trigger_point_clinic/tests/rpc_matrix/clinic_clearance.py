"""Who may call what on ``clinic.clearance`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, CLINICAL, FROZEN, ONLY_THERAPIST, expect


def rows(s):
    return [
        (
            "clinic.clearance",
            "create",
            lambda role: (
                [
                    {
                        "patient_id": s.patient.id,
                        "physician_id": s.physician.id,
                        "contraindication_ids": [
                            (6, 0, s._contraindication("thrombocytopenia").ids)
                        ],
                    }
                ],
                {},
                {},
            ),
            expect(CLINICAL),
        ),
        (
            "clinic.clearance",
            "write",
            lambda role: ([s._clearance(s.patient).ids, {"date_expiry": "2199-01-01"}], {}, {}),
            expect(default="revoke it", front_desk=ACCESS),
        ),
        (
            "clinic.clearance",
            "unlink",
            lambda role: ([s._clearance(s.patient).ids], {}, {}),
            expect(default=f"{FROZEN}|{ACCESS}"),
        ),
        (
            "clinic.clearance",
            "action_revoke",
            lambda role: (
                [s._clearance(s.patient).ids, "Recorded for the wrong patient."],
                {},
                {},
            ),
            expect(CLINICAL, front_desk=f"{ONLY_THERAPIST}|{ACCESS}"),
        ),
    ]
