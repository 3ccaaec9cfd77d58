"""Benchmark: generating the sessions of 2,000 weekly plans over 12 weeks, against a bare
batched ORM ``create`` of the same rows in the same run (target ratio <= 2).

    python3 bench/bench_plan_generation.py -d clinic_demo

Needs a database with trigger_point_clinic installed (``bin/clinic run`` makes clinic_demo) and
the PG* variables of its server. It works on a copy of that database, dropped at the end, and
commits between the two measurements (with a VACUUM) so that neither pays for the other's rows.
"""

import argparse
import time
from datetime import timedelta

from common import admin_sql, clinic_workflow, database_copy, work_calendar

from odoo import SUPERUSER_ID, api, fields

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]


def build_clinic(env, therapists, plans_per_therapist):
    calendar = work_calendar(env, 6, 7, 21, tz="Europe/Paris")
    staff = env["clinic.therapist"].create(
        [{"name": f"Bench therapist {i}", "calendar_id": calendar.id} for i in range(therapists)]
    )
    rooms = env["clinic.room"].create(
        [{"name": f"Bench room {i}", "calendar_id": calendar.id} for i in range(therapists)]
    )
    patients = env["clinic.patient"].create(
        [{"name": f"Bench patient {i}"} for i in range(therapists * plans_per_therapist)]
    )
    today = fields.Date.context_today(env["clinic.plan"])
    monday = today + timedelta(days=7 - today.weekday())
    values = []
    for t, (therapist, room) in enumerate(zip(staff, rooms, strict=True)):
        for j in range(plans_per_therapist):
            values.append(
                {
                    "patient_id": patients[t * plans_per_therapist + j].id,
                    "therapist_id": therapist.id,
                    "room_id": room.id,
                    WEEKDAYS[j % 5]: True,
                    "hour": 8.0 + 2 * (j // 5),
                    "duration": 1.0,
                    "date_start": monday,
                }
            )
    plans = env["clinic.plan"].create(values)
    # Active without generating now: the benchmark times the generation itself.
    with clinic_workflow()("clinic.plan"):
        plans.write({"state": "active"})
    return plans, monday


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="clinic_demo")
    parser.add_argument("--therapists", type=int, default=200)
    parser.add_argument("--plans-per-therapist", type=int, default=10)
    parser.add_argument("--weeks", type=int, default=12)
    args = parser.parse_args()
    with database_copy(args.database, "bench") as (registry, copy):
        context = {"tracking_disable": True}
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)
            plans, monday = build_clinic(env, args.therapists, args.plans_per_therapist)
            plan_ids = plans.ids
        admin_sql(copy, "VACUUM ANALYZE")

        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)
            plans = env["clinic.plan"].browse(plan_ids)
            horizon = monday + timedelta(weeks=args.weeks) - timedelta(days=1)
            queries = cr.sql_log_count
            started = time.perf_counter()
            sessions = plans._generate_sessions(horizon_end=horizon)
            env.flush_all()
            generate_seconds = time.perf_counter() - started
            generate_queries = cr.sql_log_count - queries
            rows = [
                {
                    "patient_id": s.patient_id.id,
                    "therapist_id": s.therapist_id.id,
                    "room_id": s.room_id.id,
                    "product_id": s.product_id.id,
                    "start": s.start,
                    "stop": s.stop,
                    "plan_id": s.plan_id.id,
                    "plan_slot_date": s.plan_slot_date,
                    "company_id": s.company_id.id,
                }
                for s in sessions
            ]
            cr.execute("DELETE FROM clinic_session WHERE plan_id = ANY(%s)", [plan_ids])
        admin_sql(copy, "VACUUM ANALYZE")

        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)
            queries = cr.sql_log_count
            started = time.perf_counter()
            with clinic_workflow()("clinic.session", "schedule_checked"):
                env["clinic.session"].with_context(mail_create_nolog=True).create(rows)
            env.flush_all()
            create_seconds = time.perf_counter() - started
            create_queries = cr.sql_log_count - queries
            cr.rollback()

    print(f"plans: {len(plan_ids)}, weeks: {args.weeks}, sessions: {len(rows)}")
    print(f"generate: {generate_seconds:.2f} s, {generate_queries} queries")
    print(f"bare batched create: {create_seconds:.2f} s, {create_queries} queries")
    print(f"ratio generate / create: {generate_seconds / create_seconds:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
