"""Benchmark: the utilisation report's grouped read (per therapist and month), over the whole
history and over one year, against a hand-written SQL ``GROUP BY`` of the same figures over the
raw sessions in the same run, at 1,000,000 sessions of 100 therapists (target: ratio <= 1.2,
and the year under 300 ms).

    python3 bench/bench_utilisation.py -d clinic_demo [--sessions 1000000]

Needs a database with trigger_point_clinic installed (``bin/clinic run`` makes clinic_demo) and
the PG* variables of its server. It works on a copy of that database, dropped at the end; the
sessions are inserted with SQL (the ORM would take hours to book a million of them), through
the triggers that keep the report's daily aggregate, and the available hours as the weekday
calendar gives them. The figures are printed as measured: on a machine shared with other work
they are noisy, compare the ratios.
"""

import argparse
import statistics
import time
from datetime import date, timedelta

from common import admin_sql, database_copy, work_calendar

from odoo import SUPERUSER_ID, api

AGGREGATES = [
    "available_hours:sum",
    "booked_hours:sum",
    "attended_hours:sum",
    "sessions:sum",
    "no_shows:sum",
    "utilisation_booked:sum",
    "utilisation_attended:sum",
]
HAND_WRITTEN = """
    WITH booked AS (
        SELECT s.therapist_id,
               date_trunc('month', s.local_date) AS month,
               SUM(s.duration) FILTER (WHERE s.state IN %(booked_states)s) AS booked,
               SUM(s.duration) FILTER (WHERE s.state = 'done') AS attended,
               COUNT(*) FILTER (WHERE s.state IN %(booked_states)s) AS sessions,
               COUNT(*) FILTER (WHERE s.state = 'no_show') AS no_shows
          FROM clinic_session s
         WHERE s.local_date BETWEEN %(first)s AND %(last)s
      GROUP BY 1, 2
    ), available AS (
        SELECT t.id AS therapist_id, date_trunc('month', a.date) AS month, SUM(a.hours) AS hours
          FROM clinic_availability_day a
          JOIN clinic_therapist t ON t.resource_id = a.resource_id
         WHERE a.date BETWEEN %(first)s AND %(last)s
      GROUP BY 1, 2
    )
    SELECT available.therapist_id, available.month, available.hours, booked.booked,
           booked.attended, booked.sessions, booked.no_shows,
           100 * booked.booked / NULLIF(available.hours, 0),
           100 * booked.attended / NULLIF(available.hours, 0)
      FROM available
 LEFT JOIN booked USING (therapist_id, month)
"""


def build(env, therapists, sessions_per_therapist, first):
    """Therapists with a room each and a weekday calendar; their sessions, one an hour from
    08:00 to 17:00 on weekdays from ``first`` on, with a no-show in 20 and a cancellation in 25."""
    calendar = work_calendar(env, 5, 8, 18, tz="Europe/Paris")
    env.company.resource_calendar_id = calendar
    staff = env["clinic.therapist"].create(
        [{"name": f"Bench therapist {i}", "calendar_id": calendar.id} for i in range(therapists)]
    )
    rooms = env["clinic.room"].create(
        [{"name": f"Bench room {i}", "calendar_id": calendar.id} for i in range(therapists)]
    )
    patients = env["clinic.patient"].create([{"name": f"Bench patient {i}"} for i in range(500)])
    product = env.ref("trigger_point_clinic.product_trigger_point_session")
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO clinic_session (patient_id, therapist_id, room_id, product_id, company_id,
                                    start, stop, duration, local_date, state, late_cancel,
                                    treatment_note_state, create_uid, write_uid,
                                    create_date, write_date)
        SELECT p.ids[1 + (t.n * 7 + slot.n) %% array_length(p.ids, 1)],
               t.therapist_id, t.room_id, %(product)s, %(company)s,
               slot.start, slot.start + interval '1 hour', 1.0,
               (slot.start AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Paris')::date,
               CASE WHEN slot.n %% 25 = 0 THEN 'cancelled'
                    WHEN slot.n %% 20 = 0 THEN 'no_show' ELSE 'done' END,
               slot.n %% 50 = 0, 'none', 1, 1, now(), now()
          FROM (SELECT unnest(%(therapists)s::int[]) AS therapist_id,
                       unnest(%(rooms)s::int[]) AS room_id,
                       generate_subscripts(%(therapists)s::int[], 1) AS n) t,
               (SELECT %(patients)s::int[] AS ids) p,
               LATERAL (
                   SELECT n, (%(first)s::date + (n / 10 / 5 * 7 + n / 10 %% 5) * interval '1 day'
                              + (7 + n %% 10) * interval '1 hour') AS start
                     FROM generate_series(0, %(per)s - 1) AS n
               ) slot
        """,
        {
            "product": product.id,
            "company": env.company.id,
            "therapists": staff.ids,
            "rooms": rooms.ids,
            "patients": patients.ids,
            "first": first,
            "per": sessions_per_therapist,
        },
    )
    # The bench's own sessions: the demo's, months ahead, would stretch the period.
    env.cr.execute(
        "SELECT MAX(local_date) FROM clinic_session WHERE therapist_id = ANY(%s)", [staff.ids]
    )
    last = env.cr.fetchone()[0]
    env.cr.execute(
        """
        INSERT INTO clinic_availability_day (resource_id, date, hours, create_uid, write_uid,
                                             create_date, write_date)
        SELECT resource_id, day::date,
               CASE WHEN extract(isodow FROM day) < 6 THEN 10 ELSE 0 END, 1, 1, now(), now()
          FROM unnest(%(resources)s::int[]) AS resource_id,
               generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS day
        ON CONFLICT DO NOTHING
        """,
        {
            "resources": (staff.resource_id | rooms.resource_id).ids,
            "first": first,
            "last": last,
        },
    )
    return last


def timed(function, repeat=5):
    """Median seconds of ``repeat`` calls (after one warm-up call), and the last result."""
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def compare(env, first, last):
    """Median ms of the report's grouped read and of the hand-written SQL over the raw sessions
    for ``first`` to ``last``, the number of groups, and the groups whose figures differ."""
    cr = env.cr
    report = env["clinic.utilisation"]
    domain = [("kind", "=", "therapist"), ("date", ">=", first), ("date", "<=", last)]

    def grouped_read():
        env.invalidate_all()
        return report._read_group(domain, ["therapist_id", "date:month"], AGGREGATES)

    def hand_written():
        cr.execute(
            HAND_WRITTEN,
            {
                "first": first,
                "last": last,
                "booked_states": ("confirmed", "in_progress", "done", "no_show"),
            },
        )
        return cr.fetchall()

    report_seconds, groups = timed(grouped_read)
    sql_seconds, rows = timed(hand_written)
    checked = {(r[0], r[1].date()): (r[2], r[3] or 0, r[5] or 0) for r in rows}
    mismatches = sum(
        1
        for therapist, month, available, booked, _attended, sessions, *_rest in groups
        if checked.get((therapist.id, month)) is None
        or abs(float(checked[(therapist.id, month)][0]) - available) > 1e-6
        or abs(checked[(therapist.id, month)][1] - booked) > 1e-6
        or checked[(therapist.id, month)][2] != sessions
    )
    return report_seconds * 1000, sql_seconds * 1000, len(groups), mismatches


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="clinic_demo")
    parser.add_argument("--therapists", type=int, default=100)
    parser.add_argument("--sessions", type=int, default=1_000_000)
    args = parser.parse_args()

    first = date(2020, 1, 6)
    with database_copy(args.database, "bench_utilisation") as (registry, copy):
        context = {"tracking_disable": True}
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)
            started = time.perf_counter()
            last = build(env, args.therapists, args.sessions // args.therapists, first)
            build_seconds = time.perf_counter() - started
            started = time.perf_counter()
            folded = env["clinic.utilisation.day"]._fold()
            fold_seconds = time.perf_counter() - started
        admin_sql(copy, "VACUUM ANALYZE")
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)
            cr.execute("SELECT count(*) FROM clinic_session")
            sessions = cr.fetchone()[0]
            month_end = last.replace(day=1) - timedelta(days=1)
            month = month_end.replace(day=1), month_end
            started = time.perf_counter()
            written = env["clinic.availability.day"]._refresh(*month)
            refresh_seconds = time.perf_counter() - started
            cr.rollback()
            whole = compare(env, first, last)
            year_from = last - timedelta(days=364)
            year = compare(env, year_from, last)

    print(f"sessions: {sessions}, therapists: {args.therapists}, {first} to {last}")
    print(
        f"sessions inserted with SQL through the aggregate's triggers: {build_seconds:.1f} s; "
        f"folded into {folded} daily rows in {fold_seconds:.1f} s"
    )
    print(
        f"availability refresh of {month[0]:%B %Y} (every therapist and room), nothing "
        f"changed: {refresh_seconds * 1000:.0f} ms, {len(written)} days written"
    )
    for name, (report_ms, sql_ms, groups, mismatches) in (
        ("whole history", whole),
        (f"year {year_from} to {last}", year),
    ):
        print(
            f"{name}: report grouped read {report_ms:.0f} ms, hand-written SQL over the raw "
            f"sessions {sql_ms:.0f} ms, ratio {report_ms / sql_ms:.2f} (target <= 1.2), "
            f"{groups} groups, {mismatches} differ"
        )
    print(f"year at {sessions} sessions: {year[0]:.0f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
