"""Who may call what on ``clinic.access.grant`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages)."""

from . import ACCESS, CLINICAL, GATE, MANAGERS, expect


def rows(s):
    return [
        (
            "clinic.access.grant",
            "create",
            lambda role: (
                [{"patient_id": s.nadia.id, "reason": "Covering for Marco: acute neck pain."}],
                {},
                {},
            ),
            expect(
                {"therapist": True},
                manager="for therapists outside a patient's care",
                administrator="for therapists outside a patient's care",
            ),
        ),
        (
            "clinic.access.grant",
            "create",
            lambda role: (
                [
                    {
                        "patient_id": s.patient.id,
                        "reason": "Covering for Marco: acute neck pain.",
                    }
                ],
                {},
                {"default_date_expires": "2099-01-01 00:00:00"},
            ),
            expect(
                therapist="in your care",
                manager="for therapists outside a patient's care",
                administrator="for therapists outside a patient's care",
            ),
        ),
        (
            "clinic.access.grant",
            "write",
            lambda role: ([s._grant().ids, {"reason": "Something else entirely."}], {}, {}),
            expect(default="cannot be changed", front_desk=ACCESS),
        ),
        (
            "clinic.access.grant",
            "write",
            lambda role: ([s._grant().ids, {"date_expires": "2099-01-01 00:00:00"}], {}, {}),
            expect(default=GATE, front_desk=ACCESS),
        ),
        (
            "clinic.access.grant",
            "unlink",
            lambda role: ([s._grant().ids], {}, {}),
            expect(),
        ),
        (
            "clinic.access.grant",
            "action_mark_reviewed",
            lambda role: ([s._grant().ids], {}, {}),
            expect(MANAGERS, therapist="Only a manager reviews"),
        ),
        *(
            (
                "clinic.access.grant",
                method,
                lambda role: ([s._grant().ids], {}, {}),
                expect(CLINICAL),
            )
            for method in ("action_end", "action_open_patient")
        ),
    ]
