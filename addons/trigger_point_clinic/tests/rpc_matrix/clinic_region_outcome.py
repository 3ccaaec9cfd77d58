"""Who may call what on ``clinic.region.outcome`` over JSON-RPC: its reads are marked read-only so
that a replica may answer them (``report/clinic_outcome_replica.py``); marking a read changes
where it is served, not who may make it. Clinical readers read them; the front desk and outsiders
are refused by the access rights."""

from . import CLINICAL, expect

# The grouped reads the outcome reports (graph, pivot) make, marked read-only on this model and on
# ``clinic.treatment.note.line``.
GROUPED = ("web_read_group", "formatted_read_group", "formatted_read_grouping_sets")


def grouped_rows(model):
    """The grouped reads of ``model``'s outcome report, each allowed to clinical readers."""

    def args(method):
        if method == "formatted_read_grouping_sets":
            return [[], [["region_id"]], ["__count"]]
        return [[], ["region_id"], ["__count"]]

    return [
        (model, method, lambda role, method=method: (args(method), {}, {}), expect(CLINICAL))
        for method in GROUPED
    ]


def _outcome_ids(s):
    """An outcome of the case's patient, in the therapist's care (a signed note of hers)."""
    note = s._signed_note()
    s.env.flush_all()
    return (
        s.env["clinic.region.outcome"]
        .search([("patient_id", "=", note.patient_id.id)], limit=1)
        .ids
    )


def rows(s):
    return [
        *grouped_rows("clinic.region.outcome"),
        (
            "clinic.region.outcome",
            "read",
            lambda role: ([_outcome_ids(s), ["first_pain"]], {}, {}),
            expect(CLINICAL),
        ),
        (
            "clinic.region.outcome",
            "web_read",
            lambda role: ([_outcome_ids(s), {"first_pain": {}}], {}, {}),
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
