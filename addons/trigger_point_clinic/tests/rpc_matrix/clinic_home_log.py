"""Who may call what on ``clinic.home.log`` over JSON-RPC: rows of the gate matrix that
``test_rpc_gate`` runs for every role (``expect``: the roles allowed, the refusals' messages).

A practice log is made by the clinic's code on the patient's behalf only: no role
creates, changes or deletes one over JSON-RPC."""

from odoo import fields

from . import ACCESS, expect


def _log(case):
    """A log of today (not frozen) of Sol, in Tess's care, of a draft note's home-care item."""
    item = case._draft_note().homecare_ids[0]
    return case.env["clinic.home.log"]._log_practice(
        case.patient, {"item": item, "region": item.region_id}, 4
    )


def _create(case):
    item = case._draft_note().homecare_ids[0]
    now = fields.Datetime.now().replace(second=0, microsecond=0)
    values = {
        "patient_id": case.patient.id,
        "homecare_item_id": item.id,
        "region_id": item.region_id.id,
        "date": fields.Datetime.to_string(now),
        "minute": fields.Datetime.to_string(now),
        "day": fields.Date.to_string(now.date()),
        "date_frozen": "2999-01-01 00:00:00",
        "pain": 3,
    }
    return [values], {}, {}


def rows(s):
    return [
        ("clinic.home.log", "create", lambda role: _create(s), expect(default=ACCESS)),
        (
            "clinic.home.log",
            "write",
            lambda role: ([_log(s).ids, {"pain": 0}], {}, {}),
            expect(default=ACCESS),
        ),
        (
            "clinic.home.log",
            "unlink",
            lambda role: ([_log(s).ids], {}, {}),
            expect(default=ACCESS),
        ),
    ]
