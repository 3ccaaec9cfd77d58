"""Benchmark: the home programme at 10,000 patients x 90 days x 3 logs a day (2.7 M practice
logs). Prints the server time and query count of the therapist's view of one patient (the
screening's home programme, adherence and pain chart) and of My Day (target < 200 ms each),
and the adherence report for a month of every patient against a hand-written SQL ``GROUP BY``
of the same figures (target ratio <= 2).

    python3 bench/bench_home_programme.py -d clinic_demo

Needs a database with trigger_point_clinic installed and the PG* variables of its server. It
works on a copy of that database, dropped at the end; sessions, notes, home-care items and logs
are inserted with SQL (triggers off for the bulk load only: the ORM would take hours).
"""

import argparse
import statistics
import time
from datetime import datetime, timedelta

import pytz
from common import admin_sql, database_copy, work_calendar

from odoo import SUPERUSER_ID, api, fields

THERAPISTS = 100
REGIONS = ("upper_trapezius", "infraspinatus", "piriformis")

# The same figures as clinic.home.programme._adherence_report, written for this data set
# (one note in force over the whole month): practices done, capped at the times a day due,
# per patient and week, and the practices due.
HAND_WRITTEN = """
    WITH per_day AS (
        SELECT patient_id, homecare_item_id, day, count(*) AS n
          FROM clinic_home_log
         WHERE day BETWEEN %(first)s AND %(last)s
           AND patient_id IN (SELECT unnest(%(patients)s::int[]))
      GROUP BY 1, 2, 3
    ), done AS (
        SELECT p.patient_id, p.day - (extract(isodow FROM p.day)::int - 1) AS monday,
               SUM(LEAST(p.n, i.times_per_day)) AS done
          FROM per_day p JOIN clinic_homecare_item i ON i.id = p.homecare_item_id
      GROUP BY 1, 2
    ), due AS (
        SELECT n.patient_id, d::date - (extract(isodow FROM d)::int - 1) AS monday,
               SUM(i.times_per_day) AS due
          FROM clinic_treatment_note n
          JOIN clinic_homecare_item i ON i.note_id = n.id
         CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') d
         WHERE n.state = 'signed' AND n.patient_id IN (SELECT unnest(%(patients)s::int[]))
      GROUP BY 1, 2
    )
    SELECT due.patient_id, due.monday, COALESCE(done.done, 0), due.due
      FROM due LEFT JOIN done USING (patient_id, monday)
"""


def build(env, patients_count, days):
    """Patients in the care of THERAPISTS therapists, each with one signed note ``days`` days
    ago giving three practices once a day, logged three times a day since (one in seven
    missed, one practice of some days logged twice); and the first therapist's sessions of
    today."""
    calendar = work_calendar(env, 7, 0, 24, tz="Europe/Paris")
    env.company.resource_calendar_id = calendar
    company = env.company
    user = env["res.users"].create(
        {
            "name": "Bench Therapist",
            "login": "bench_therapist",
            "group_ids": [
                fields.Command.set(
                    [
                        env.ref("base.group_user").id,
                        env.ref("trigger_point_clinic.group_clinic_therapist").id,
                    ]
                )
            ],
        }
    )
    staff = env["clinic.therapist"].create(
        [{"name": f"Bench therapist {i}", "calendar_id": calendar.id} for i in range(THERAPISTS)]
    )
    staff[0].user_id = user
    rooms = env["clinic.room"].create(
        [{"name": f"Bench room {i}", "calendar_id": calendar.id} for i in range(THERAPISTS)]
    )
    patients = env["clinic.patient"].create(
        [{"name": f"Bench patient {i}"} for i in range(patients_count)]
    )
    product = env.ref("trigger_point_clinic.product_trigger_point_session")
    regions = [env.ref(f"trigger_point_clinic.body_region_{code}").id for code in REGIONS]
    env.flush_all()
    today = company._clinic_local_date(fields.Datetime.now())
    first = today - timedelta(days=days)
    cr = env.cr
    cr.execute("SET session_replication_role = replica")
    # One session per patient on the first day (therapist i % 100, one an hour), signed.
    cr.execute(
        """
        INSERT INTO clinic_session (patient_id, therapist_id, room_id, product_id, company_id,
                                    start, stop, duration, local_date, state, late_cancel,
                                    treatment_note_state, create_uid, write_uid,
                                    create_date, write_date)
        SELECT p.id, t.ids[1 + p.n %% %(t)s], r.ids[1 + p.n %% %(t)s], %(product)s, %(company)s,
               %(first)s::timestamp - interval '1 day' + (p.n / %(t)s) * interval '15 minutes',
               %(first)s::timestamp - interval '1 day' + (p.n / %(t)s + 1) * interval '15 minutes',
               0.25, %(first)s::date - 1, 'done', false, 'signed', 1, 1, now(), now()
          FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n
                  FROM clinic_patient WHERE id = ANY(%(patients)s)) p,
               (SELECT %(therapists)s::int[] AS ids) t, (SELECT %(rooms)s::int[] AS ids) r
        """,
        {
            "t": THERAPISTS,
            "product": product.id,
            "company": company.id,
            "first": first,
            "patients": patients.ids,
            "therapists": staff.ids,
            "rooms": rooms.ids,
        },
    )
    cr.execute(
        """
        INSERT INTO clinic_treatment_note (session_id, patient_id, therapist_id, company_id,
                                           state, date, date_signed, signed_by_id,
                                           create_uid, write_uid, create_date, write_date)
        SELECT s.id, s.patient_id, s.therapist_id, s.company_id, 'signed', s.start, s.stop,
               1, 1, 1, now(), now()
          FROM clinic_session s WHERE s.patient_id = ANY(%(patients)s)
        """,
        {"patients": patients.ids},
    )
    cr.execute(
        """
        INSERT INTO clinic_homecare_item (note_id, region_id, times_per_day, minutes, kind,
                                          pressure, side, sequence, create_uid, write_uid,
                                          create_date, write_date)
        SELECT n.id, r.region, 1, 2, 'self_massage', 'light', 'bilateral', r.n, 1, 1, now(), now()
          FROM clinic_treatment_note n
         CROSS JOIN unnest(%(regions)s::int[]) WITH ORDINALITY AS r(region, n)
         WHERE n.patient_id = ANY(%(patients)s)
        """,
        {"regions": regions, "patients": patients.ids},
    )
    # The care relation of the first therapist's patients (kept by the ORM from sessions).
    cr.execute(
        """
        INSERT INTO clinic_patient_care_user_rel (patient_id, user_id)
        SELECT DISTINCT patient_id, %(user)s FROM clinic_session WHERE therapist_id = %(staff)s
        """,
        {"user": user.id, "staff": staff[0].id},
    )
    # Three logs a day, at 08:00, 13:00 and 19:00 local, one of each practice; on one day in
    # seven the third log is of the first practice again (done 2 of 3 that day).
    cr.execute(
        """
        INSERT INTO clinic_home_log (patient_id, company_id, homecare_item_id, region_id,
                                     date, minute, day, date_frozen, pain, create_uid,
                                     write_uid, create_date, write_date)
        SELECT n.patient_id, %(company)s, done.id, done.region_id, at_utc, at_utc, d::date,
               ((d::date + 1)::timestamp AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'UTC',
               (n.patient_id + i.id + extract(doy FROM d)::int) %% 11, 1, 1, now(), now()
          FROM clinic_treatment_note n
          JOIN clinic_homecare_item i ON i.note_id = n.id
          JOIN clinic_homecare_item first ON first.note_id = n.id AND first.sequence = 1
         CROSS JOIN generate_series(%(first)s::date, %(today)s::date - 1, interval '1 day') d
         CROSS JOIN LATERAL (
               SELECT ((d::date + (2 + 6 * i.sequence) * interval '1 hour')
                       AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'UTC' AS at_utc) t
         CROSS JOIN LATERAL (
               SELECT CASE WHEN i.sequence = 3
                            AND (n.patient_id + extract(doy FROM d)::int) %% 7 = 0
                           THEN first.id ELSE i.id END AS id,
                      CASE WHEN i.sequence = 3
                            AND (n.patient_id + extract(doy FROM d)::int) %% 7 = 0
                           THEN first.region_id ELSE i.region_id END AS region_id) done
         WHERE n.patient_id = ANY(%(patients)s)
        """,
        {"company": company.id, "first": first, "today": today, "patients": patients.ids},
    )
    # Eight sessions of today for the first therapist: My Day.
    tz = company._clinic_tz()
    starts = [
        tz.localize(datetime.combine(today, datetime.min.time()) + timedelta(hours=9 + h))
        .astimezone(pytz.utc)
        .replace(tzinfo=None)
        for h in range(8)
    ]
    cr.execute("SET session_replication_role = origin")
    env.invalidate_all()
    own = env["clinic.patient"].browse(patients.ids[::THERAPISTS][:8])
    sessions = env["clinic.session"].create(
        [
            {
                "patient_id": patient.id,
                "therapist_id": staff[0].id,
                "room_id": rooms[0].id,
                "product_id": product.id,
                "start": start,
                "stop": start + timedelta(minutes=50),
            }
            for patient, start in zip(own, starts, strict=False)
        ]
    )
    env["clinic.patient.screening"]._ensure_for(own)
    return user, patients, sessions, first, today


def timed(function, cr, repeat=5):
    """Median seconds and queries of ``repeat`` calls (after one warm-up), and the result."""
    result = function()
    times, queries = [], []
    for _ in range(repeat):
        count = cr.sql_log_count
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
        queries.append(cr.sql_log_count - count)
    return statistics.median(times), int(statistics.median(queries)), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="clinic_demo")
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    args = parser.parse_args()

    with database_copy(args.database, "bench_home") as (registry, copy):
        context = {"tracking_disable": True}
        started = time.perf_counter()
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)
            user, patients, sessions, _first, today = build(env, args.patients, args.days)
            user_id, patient_ids, session_ids = user.id, patients.ids, sessions.ids
        build_seconds = time.perf_counter() - started
        admin_sql(copy, "VACUUM ANALYZE")
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)
            cr.execute("SELECT count(*) FROM clinic_home_log")
            logs = cr.fetchone()[0]
            therapist = api.Environment(cr, user_id, context)
            patient = env["clinic.session"].browse(session_ids[0]).patient_id
            screening = env["clinic.patient.screening"]._ensure_for(patient)

            def patient_view():
                therapist.invalidate_all()
                return (
                    therapist["clinic.patient.screening"]
                    .browse(screening.id)
                    .read(["verdict", "home_programme", "home_adherence"])
                )

            def my_day():
                therapist.invalidate_all()
                return therapist["clinic.session"].search_read(
                    [("therapist_id.user_id", "=", user_id), ("is_today", "=", True)],
                    [
                        "start",
                        "patient_id",
                        "state",
                        "patient_screening_verdict",
                        "patient_excluded_region_ids",
                        "patient_max_pressure",
                        "patient_home_status",
                        "patient_home_line",
                    ],
                )

            month_last = today - timedelta(days=1)
            month_first = month_last - timedelta(days=29)
            programmes = env["clinic.home.programme"]
            everyone = env["clinic.patient"].browse(patient_ids)

            def report():
                env.invalidate_all()
                return programmes._adherence_report(everyone, month_first, month_last)

            def hand_written():
                cr.execute(
                    HAND_WRITTEN,
                    {"first": month_first, "last": month_last, "patients": patient_ids},
                )
                return cr.fetchall()

            view_seconds, view_queries, _view = timed(patient_view, cr)
            day_seconds, day_queries, day = timed(my_day, cr)
            report_seconds, _q, figures = timed(report, cr, repeat=3)
            sql_seconds, _q, rows = timed(hand_written, cr, repeat=3)
            expected = {(p, m): (int(d), int(u)) for p, m, d, u in rows}
            got = {
                (p, monday): (done, due)
                for p, weeks in figures.items()
                for monday, done, due in weeks
                if due
            }
            mismatches = sum(1 for key, value in got.items() if expected.get(key) != value)
            mismatches += len(set(expected) - set(got))

    print(f"patients: {len(patient_ids)}, days: {args.days}, practice logs: {logs}")
    print(f"build (ORM patients, SQL notes and logs): {build_seconds:.0f} s")
    print(
        f"therapist's view of one patient: {view_seconds * 1000:.0f} ms, {view_queries} queries"
        " (target < 200 ms)"
    )
    print(
        f"My Day ({len(day)} sessions): {day_seconds * 1000:.0f} ms, {day_queries} queries"
        " (target < 200 ms)"
    )
    print(
        f"adherence report, {month_first} to {month_last}, every patient: "
        f"{report_seconds * 1000:.0f} ms"
    )
    print(f"hand-written SQL GROUP BY: {sql_seconds * 1000:.0f} ms")
    print(f"ratio report / SQL: {report_seconds / sql_seconds:.2f} (target <= 2)")
    print(f"patient-weeks whose figures differ from the SQL: {mismatches} of {len(expected)}")


if __name__ == "__main__":
    main()
