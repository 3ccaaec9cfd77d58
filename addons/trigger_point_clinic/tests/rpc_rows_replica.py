"""Rows of the JSON-RPC gate matrix (``test_rpc_gate``) for the outcome reports' reads, marked
read-only so that a replica may answer them (``report/clinic_outcome_replica.py``): marking a
read changes where it is served, not who may make it. Clinical readers read them; the front
desk and outsiders are refused by the access rights."""

GROUPED = ("web_read_group", "formatted_read_group", "formatted_read_grouping_sets")


def _grouped_args(method):
    if method == "formatted_read_grouping_sets":
        return [[], [["region_id"]], ["__count"]]
    return [[], ["region_id"], ["__count"]]


def _outcome_ids(case):
    """An outcome of the case's patient, in the therapist's care (a signed note of hers)."""
    note = case._signed_note()
    case.env.flush_all()
    return (
        case.env["clinic.region.outcome"]
        .search([("patient_id", "=", note.patient_id.id)], limit=1)
        .ids
    )


def rows(case):
    # Imported here: test_rpc_gate imports this module to build its matrix.
    from .rpc_matrix import CLINICAL, expect

    grouped = [
        (
            model,
            method,
            lambda role, method=method: (_grouped_args(method), {}, {}),
            expect(CLINICAL),
        )
        for model in ("clinic.treatment.note.line", "clinic.region.outcome")
        for method in GROUPED
    ]
    return [
        *grouped,
        (
            "clinic.region.outcome",
            "read",
            lambda role: ([_outcome_ids(case), ["first_pain"]], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.region.outcome",
            "web_read",
            lambda role: ([_outcome_ids(case), {"first_pain": {}}], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.region.outcome",
            "web_search_read",
            lambda role: ([[], {"first_pain": {}}], {"limit": 5}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.region.outcome",
            "search_read",
            lambda role: ([[], ["first_pain"]], {"limit": 5}, {}),
            expect(CLINICAL),
        ),
    ]
