"""Who may call what on ``clinic.home.check`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

Only the care team's clinical roles end a red flag's pause of the home programme, after
re-screening; the front desk, the portal (the patient) and the public cannot."""

from . import ACCESS, CLINICAL, expect


def _paused_check(case):
    """A red flag of Sol, in Tess's care: fever answered yes on today's daily check."""
    checks = case.env["clinic.home.check"]
    return checks._answer(
        case.patient, {entry: entry.code == "fever" for entry in checks._daily_questions()}
    )


FROZEN_OR_ACCESS = ACCESS + "|is frozen"


def _closed_check(case):
    """A check of Sol answered without a red flag: closed at once, frozen."""
    checks = case.env["clinic.home.check"]
    return checks._answer(case.patient, dict.fromkeys(checks._daily_questions(), False))


def rows(s):
    return [
        (
            "clinic.home.check",
            "action_rescreened",
            lambda role: ([_paused_check(s).ids], {}, {}),
            expect(allowed=CLINICAL, default=ACCESS),
        ),
        (
            # Checks are made by the patient's answers only (Today, the service's code).
            "clinic.home.check",
            "create",
            lambda role: ([{"patient_id": s.patient.id}], {}, {}),
            expect(default=FROZEN_OR_ACCESS),
        ),
        *(
            (
                # A closed check is frozen; and no role has the right to change or delete one.
                "clinic.home.check",
                method,
                lambda role, method=method: (
                    [
                        _closed_check(s).ids,
                        *([{"date": "2020-01-01"}] if method == "write" else []),
                    ],
                    {},
                    {},
                ),
                expect(default=FROZEN_OR_ACCESS),
            )
            for method in ("write", "unlink")
        ),
    ]
