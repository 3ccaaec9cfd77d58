"""Benchmark: where one request's time goes, for the three operations of the load test that
must stay fast under load: a therapist signing a note (``action_sign``), a front desk booking a
session (``create`` then ``action_confirm``) and a therapist reading My Day (the list's
``web_search_read``). Each operation is its own transaction, as a request is, run as the user
of its role; it prints the queries, the SQL time and the Python time per operation (medians),
and, with ``--explain``, which of the addon's lines issued the queries of the last run.

Signing is compared, in the same run, with the least a signature must do: the note's locked
state, signer and content hash written, and its seal row inserted (a ratio, not a timing).

    python3 bench/bench_sign.py -d clinic_demo
    python3 bench/bench_sign.py -d clinic_demo --rounds 10 --explain

Needs a database with trigger_point_clinic and its demo data (``bin/clinic run`` makes
clinic_demo) and the PG* variables of its server. It works on a copy, dropped at the end.
"""

import argparse
import collections
import statistics
import time
from datetime import date, timedelta

from common import database_copy
from load_test import build

from odoo import SUPERUSER_ID, api, fields
from odoo.tools.profiler import Profiler

ADDON = "/trigger_point_clinic/"


def spec_of(env, view_xmlid):
    """The fields the web client asks for when it opens ``view_xmlid`` (relations by name)."""
    view = env.ref(view_xmlid)
    views = env[view.model].get_views([(view.id, view.type)])
    described = views["models"][view.model]["fields"]
    return {
        name: {"fields": {"display_name": {}}} if field.get("relation") else {}
        for name, field in described.items()
        if name != "id"
    }


def measured(registry, uid, operation):
    """Run ``operation(env)`` in a transaction of its own as ``uid``, committed; returns
    (milliseconds, queries, SQL milliseconds, queries by the addon's line that issued them)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        env.user._is_internal()  # the request's session check, not what is measured
        with Profiler(collectors=["sql"], db=None) as profiler:
            started = time.perf_counter()
            operation(env)
            env.flush_all()
            cr.commit()
            elapsed = time.perf_counter() - started
        entries = profiler.collectors[0].entries
    lines = collections.Counter()
    for entry in entries:
        frames = [f for f in entry["stack"] if ADDON in f[0] and "/tests/" not in f[0]]
        where = (
            f"{frames[-1][0].split(ADDON)[1]}:{frames[-1][1]} {frames[-1][2]}" if frames else "odoo"
        )
        lines[where] += 1
    sql = sum(entry["time"] for entry in entries)
    return 1000 * elapsed, len(entries), 1000 * sql, lines


def summary(label, runs):
    ms = statistics.median(r[0] for r in runs)
    queries = statistics.median(r[1] for r in runs)
    sql = statistics.median(r[2] for r in runs)
    print(
        f"{label:>28}: {ms:7.1f} ms, {queries:6.1f} queries, SQL {sql:6.1f} ms, "
        f"Python {ms - sql:6.1f} ms (median of {len(runs)})"
    )
    return ms, queries


def explain(label, runs):
    print(f"--- {label}: queries of the last run by the addon's line that issued them")
    for where, count in runs[-1][3].most_common(12):
        print(f"{count:5d}  {where}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="clinic_demo")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    rounds = args.rounds
    with database_copy(args.database, "bench_sign") as (registry, _copy):
        today = date.today()
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            week = today + timedelta(days=7 - today.weekday(), weeks=3)
            data = build(env, week, max(2 * rounds, 4), "bench")
            users = env["res.users"]
            therapists = [users.search([("login", "=", login)]) for login in data["therapist"]]
            desk = users.search([("login", "=", data["front_desk"][0])])
            uids = [(t.id, data["therapist"][t.login]) for t in therapists]
            desk_uid = desk.id
            my_day = spec_of(env, "trigger_point_clinic.clinic_session_view_list_my_day")

        def chart(env, session_id):
            note = env["clinic.treatment.note"].create({"session_id": session_id})
            env["clinic.treatment.note.line"].create(
                {
                    "note_id": note.id,
                    "region_id": data["region"],
                    "technique": "pressure_release",
                    "minutes": 10,
                    "pain_before": 6,
                    "pain_after": 3,
                }
            )
            return note.id

        notes = []
        for uid, session_id in uids:
            with registry.cursor() as cr:
                notes.append(chart(api.Environment(cr, uid, {}), session_id))

        def bare_sign(note_id):
            def operation(env):
                note = env["clinic.treatment.note"].browse(note_id)
                signed = fields.Datetime.now()
                version = env["clinic.record.seal"]._clinic_hash_version()
                note._workflow_write(
                    {
                        "state": "signed",
                        "signed_by_id": env.uid,
                        "date_signed": signed,
                        "content_hash": note._content_digest(env.user, signed, version),
                    }
                )
                env["clinic.record.seal"]._seal(note)

            return operation

        def sign(note_id):
            return lambda env: env["clinic.treatment.note"].browse(note_id).action_sign()

        # Alternate: a signature, then the bare write of another note, and so on.
        signs, bares = [], []
        for n, ((uid, _session), note_id) in enumerate(zip(uids, notes, strict=True)):
            if n % 2 == 0:
                signs.append(measured(registry, uid, sign(note_id)))
            else:
                bares.append(measured(registry, uid, bare_sign(note_id)))

        def book(slot):
            therapist_id, room_id, start = slot

            def operation(env):
                session = env["clinic.session"].create(
                    {
                        "patient_id": data["booking_patient"],
                        "therapist_id": therapist_id,
                        "room_id": room_id,
                        "start": start,
                        "stop": start + timedelta(hours=1),
                    }
                )
                session.action_confirm()

            return operation

        bookings = [measured(registry, desk_uid, book(slot)) for slot in data["slots"][:rounds]]

        def read_my_day(env):
            env["clinic.session"].web_search_read([("is_today", "=", True)], my_day)

        days = [measured(registry, uids[0][0], read_my_day) for _round in range(rounds)]

        ms, queries = summary("sign (action_sign)", signs)
        bare_ms, bare_queries = summary("bare sign (write + seal)", bares)
        summary("book (create + confirm)", bookings)
        summary("my day (web_search_read)", days)
        print(
            f"sign / bare sign: {ms / bare_ms:.2f} x the time, "
            f"{queries / bare_queries:.2f} x the queries"
        )
        if args.explain:
            explain("sign", signs)
            explain("book", bookings)
            explain("my day", days)


if __name__ == "__main__":
    main()
