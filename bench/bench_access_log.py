"""Benchmark: what the clinical access log costs a reader. A manager reads 1,000 treatment
notes as the web client does (the list, page by page, then each note's form), with the log on
and with it off, in the same run, alternating; prints the ratio (target <= 1.15).

    python3 bench/bench_access_log.py -d clinic_demo

Needs a database with trigger_point_clinic installed (``bin/clinic run`` makes clinic_demo) and
the PG* variables of its server. It works on a copy of that database, dropped at the end. Each
list page and each form is its own transaction, as a request is. Every round with the log on
reads as another manager, so that its entries are written, not folded into a previous round's.
"""

import argparse
import statistics
import time
from datetime import datetime, timedelta

from common import database_copy

from odoo import SUPERUSER_ID, api

LIST_SPEC = {
    "date": {},
    "patient_id": {"fields": {"display_name": {}}},
    "therapist_id": {"fields": {"display_name": {}}},
    "total_minutes": {},
    "state": {},
}
FORM_SPEC = {
    "session_id": {"fields": {"display_name": {}}},
    "patient_id": {"fields": {"display_name": {}}},
    "therapist_id": {"fields": {"display_name": {}}},
    "date": {},
    "state": {},
    "subjective": {},
    "objective": {},
    "assessment": {},
    "treatment_plan": {},
    "line_ids": {
        "fields": {
            "region_id": {"fields": {"display_name": {}}},
            "side": {},
            "technique": {},
            "pressure": {},
            "minutes": {},
            "pain_before": {},
            "pain_after": {},
        }
    },
    "homecare_ids": {"fields": {"region_id": {"fields": {"display_name": {}}}, "kind": {}}},
    "amendment_ids": {"fields": {"text": {}, "author_id": {"fields": {"display_name": {}}}}},
}


def build(env, count):
    """``count`` treatment notes with two lines each, on sessions of the last years (SQL: the
    ORM's booking checks are not what is measured)."""
    patients = env["clinic.patient"].create([{"name": f"Bench patient {i}"} for i in range(100)])
    therapist = env["clinic.therapist"].search([], limit=1)
    room = env["clinic.room"].search([], limit=1)
    product = env.ref("trigger_point_clinic.product_trigger_point_session")
    regions = env["clinic.body.region"].search([], limit=2).ids
    env.flush_all()
    start = datetime(2019, 1, 1, 8)
    rows = [(patients[i % 100].id, start + timedelta(hours=i * 3)) for i in range(count)]
    cr = env.cr
    note_ids = []
    for patient_id, when in rows:
        cr.execute(
            """
            INSERT INTO clinic_session (patient_id, therapist_id, room_id, product_id,
                                        company_id, start, stop, duration, local_date, state,
                                        late_cancel, create_uid, create_date, write_uid,
                                        write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, 1, %s, 'done', false, 1, now(), 1, now())
            RETURNING id
            """,
            [
                patient_id,
                therapist.id,
                room.id,
                product.id,
                env.company.id,
                when,
                when + timedelta(hours=1),
                when.date(),
            ],
        )
        session_id = cr.fetchone()[0]
        cr.execute(
            """
            INSERT INTO clinic_treatment_note (session_id, patient_id, therapist_id, company_id,
                                               date, state, subjective, objective, assessment,
                                               create_uid, create_date, write_uid, write_date)
            VALUES (%s, %s, %s, %s, %s, 'draft', 'Neck pain since the move.',
                    'Taut band in the upper trapezius.', 'Active trigger point.',
                    1, now(), 1, now())
            RETURNING id
            """,
            [session_id, patient_id, therapist.id, env.company.id, when],
        )
        note_id = cr.fetchone()[0]
        note_ids.append(note_id)
        for sequence, region_id in enumerate(regions):
            cr.execute(
                """
                INSERT INTO clinic_treatment_note_line (note_id, sequence, region_id, side,
                                                        technique, pressure, minutes,
                                                        pain_before, pain_after, create_uid,
                                                        create_date, write_uid, write_date)
                VALUES (%s, %s, %s, 'left', 'pressure_release', 'moderate', 10, 6, 3, 1, now(),
                        1, now())
                """,
                [note_id, sequence, region_id],
            )
    return note_ids


def read_all(registry, uid, note_ids):
    """The list of the notes, page by page (80 a page), then each note's form: one transaction
    per request. Returns the seconds it took."""
    domain = [("id", "in", note_ids)]
    began = time.perf_counter()
    for offset in range(0, len(note_ids), 80):
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {})
            env["clinic.treatment.note"].web_search_read(
                domain, LIST_SPEC, offset=offset, limit=80, order="date desc, id desc"
            )
    for note_id in note_ids:
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {})
            env["clinic.treatment.note"].browse(note_id).web_read(FORM_SPEC)
    return time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="clinic_demo")
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds with the log on and off")
    args = parser.parse_args()

    with database_copy(args.database, "bench_access_log") as (registry, _copy):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            note_ids = build(env, args.notes)
            manager_group = env.ref("trigger_point_clinic.group_clinic_manager")
            users = env["res.users"].create(
                [
                    {
                        "name": f"Bench manager {i}",
                        "login": f"bench_manager_{i}",
                        "group_ids": [(4, manager_group.id)],
                    }
                    for i in range(args.rounds * 2 + 1)
                ]
            )
        log_class = registry["clinic.access.log"]
        log_reads = log_class._log_reads

        def count_entries():
            with registry.cursor() as cr:
                cr.execute("SELECT count(*) FROM clinic_access_log")
                return cr.fetchone()[0]

        # A first round warms the caches (and PostgreSQL's) for both modes.
        read_all(registry, users[-1].id, note_ids)
        timings = {"on": [], "off": []}
        entries_before = count_entries()
        for round_ in range(args.rounds):
            for mode in ("off", "on") if round_ % 2 else ("on", "off"):
                if mode == "off":
                    log_class._log_reads = lambda self, records, how: None
                try:
                    user = users[round_ * 2 + (mode == "on")]
                    timings[mode].append(read_all(registry, user.id, note_ids))
                finally:
                    log_class._log_reads = log_reads
        written = count_entries() - entries_before

    reads = len(note_ids) + -(-len(note_ids) // 80)
    on, off = sum(timings["on"]), sum(timings["off"])
    print(f"notes: {len(note_ids)}; requests per round: {reads} (list pages and forms)")
    print(f"log entries written with the log on: {written} ({written / args.rounds:.0f} a round)")
    for mode in ("off", "on"):
        seconds = timings[mode]
        print(
            f"log {mode:3}: rounds {', '.join(f'{s:.2f} s' for s in seconds)}; "
            f"median {statistics.median(seconds):.2f} s, "
            f"{1000 * statistics.median(seconds) / reads:.2f} ms a request"
        )
    print(f"ratio log on / log off: {on / off:.3f} (target <= 1.15)")


if __name__ == "__main__":
    main()
