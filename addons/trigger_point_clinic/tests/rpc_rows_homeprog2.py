"""Rows of the JSON-RPC gate matrix (``test_rpc_gate``) for the daily check of the home
programme: only the care team's clinical roles end a red flag's pause, after re-screening;
the front desk, the portal (the patient) and the public cannot."""


def _paused_check(case):
    """A red flag of Sol, in Tess's care: fever answered yes on today's daily check."""
    checks = case.env["clinic.home.check"]
    return checks._answer(
        case.patient, {entry: entry.code == "fever" for entry in checks._daily_questions()}
    )


def rows(case):
    # Imported here: test_rpc_gate imports this module to build its matrix.
    from .rpc_matrix import ACCESS, CLINICAL, expect

    return [
        (
            "clinic.home.check",
            "action_rescreened",
            lambda role: ([_paused_check(case).ids], {}, {}),
            expect(allowed=CLINICAL, default=ACCESS),
        ),
    ]
