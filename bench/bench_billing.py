"""Benchmark: a billing run over 2,000 weekly pre-paid plans (one invoice each), against the same
work done bare in the same run, like with like: the run leaving its invoices in draft against a
bare batched ``account.move.create`` of the same invoices, and the run posting them against that
create plus ``action_post`` (target ratio <= 1.1 for each); and the queries per invoice at two
sizes (they must not grow with the number of invoices). The script sets the posting mode itself.

    python3 bench/bench_billing.py -d clinic_demo

Needs a database with trigger_point_clinic installed (``bin/clinic run`` makes clinic_demo) and
the PG* variables of its server. It works on a copy of that database, dropped at the end.
"""

import argparse
import time
from datetime import datetime, timedelta

import pytz
from common import clinic_workflow, database_copy

from odoo import SUPERUSER_ID, api, fields


def build_clinic(env, plans_count, monday):
    """``plans_count`` weekly pre-paid plans, each with its session of the week (patients of
    their own, so each is one invoice)."""
    therapists = env["clinic.therapist"].create(
        [{"name": f"Bench therapist {i}"} for i in range(plans_count // 10 + 1)]
    )
    rooms = env["clinic.room"].create(
        [{"name": f"Bench room {i}"} for i in range(plans_count // 10 + 1)]
    )
    patients = env["clinic.patient"].create(
        [{"name": f"Bench patient {i}"} for i in range(plans_count)]
    )
    plans = env["clinic.plan"].create(
        [
            {
                "patient_id": patient.id,
                "therapist_id": therapists[i // 10].id,
                "room_id": rooms[i // 10].id,
                "monday": True,
                "hour": 8.0 + i % 10,
                "billing_mode": "weekly",
                "date_start": monday,
            }
            for i, patient in enumerate(patients)
        ]
    )
    tz = env.company._clinic_tz()
    values = []
    for i, plan in enumerate(plans):
        local = datetime.combine(monday, datetime.min.time()) + timedelta(hours=8 + i % 10)
        start = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
        values.append(plan._session_values(monday, start, start + timedelta(hours=1)))
    with clinic_workflow()("clinic.session", "schedule_checked"):
        env["clinic.session"].create(values)
    return plans


def measure(registry, context, plans_count, monday, post):
    """Time and queries of the billing run, then of a bare create (and, when ``post``, a bare
    ``action_post``) of the same invoices."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        plans = build_clinic(env, plans_count, monday)
        plan_ids = plans.ids
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        env.company.clinic_invoice_post = post
        run = env["clinic.billing.run"].create(
            {
                "date_from": monday,
                "date_to": monday + timedelta(days=6),
                "plan_ids": [fields.Command.set(plan_ids)],
            }
        )
        env.flush_all()
        queries = cr.sql_log_count
        started = time.perf_counter()
        moves = run._run()
        env.flush_all()
        run_seconds = time.perf_counter() - started
        run_queries = cr.sql_log_count - queries
        vals_list = [
            {
                "move_type": move.move_type,
                "partner_id": move.partner_id.id,
                "invoice_date": move.invoice_date,
                "invoice_origin": move.invoice_origin,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "quantity": line.quantity,
                            "price_unit": line.price_unit,
                        }
                    )
                    for line in move.invoice_line_ids
                ],
            }
            for move in moves
        ]
        cr.rollback()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        queries = cr.sql_log_count
        started = time.perf_counter()
        moves = env["account.move"].create(vals_list)
        if post:
            moves.action_post()
        env.flush_all()
        create_seconds = time.perf_counter() - started
        create_queries = cr.sql_log_count - queries
        cr.rollback()
    return len(vals_list), run_seconds, run_queries, create_seconds, create_queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="clinic_demo")
    parser.add_argument("--plans", type=int, default=2000)
    args = parser.parse_args()
    context = {"tracking_disable": True}
    today = datetime.now().date()
    with database_copy(args.database, "bench_billing") as (registry, _copy):
        results = {}
        for weeks, post in ((30, False), (40, False), (50, True), (60, True)):
            monday = today - timedelta(days=today.weekday(), weeks=weeks)
            size = args.plans // 4 if weeks in (30, 50) else args.plans
            results[(post, size)] = measure(registry, context, size, monday, post)

    for post in (False, True):
        mode = "posted" if post else "draft"
        bare = "bare create + action_post" if post else "bare create"
        small, large = results[(post, args.plans // 4)], results[(post, args.plans)]
        for label, (invoices, run_s, run_q, create_s, create_q) in (
            ("small", small),
            ("large", large),
        ):
            print(
                f"{mode}, {label}: {invoices} invoices; billing run {run_s:.2f} s, {run_q} "
                f"queries ({run_q / invoices:.2f} per invoice); {bare} {create_s:.2f} s, "
                f"{create_q} queries ({create_q / invoices:.2f} per invoice)"
            )
        invoices, run_s, _run_q, create_s, _create_q = large
        print(
            f"{mode}: ratio billing run / {bare} at {invoices} invoices: "
            f"{run_s / create_s:.2f} (target <= 1.1)"
        )
        growth = (large[2] / large[0]) / (small[2] / small[0])
        print(
            f"{mode}: queries per invoice, large / small: {growth:.2f} "
            "(must not grow: about 1 or less)"
        )


if __name__ == "__main__":
    main()
