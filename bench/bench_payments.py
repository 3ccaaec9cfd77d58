"""Benchmark: charging posted invoices to the patients' saved cards (the billing run's
``_clinic_charge_saved_cards``) against Odoo's own ``payment.transaction`` creation,
``_send_payment_request`` and ``_post_process`` of the same invoices with the same tokens (the
clinic's charge also settles each paid invoice at once: the payment and its reconciliation), in
one run, with Odoo's test provider (payment_demo); and the queries per invoice at two sizes
(they must not grow with the number of invoices).

On a machine shared with other work the wall time of one run swings more than the difference
measured: the two sides are measured in interleaved blocks (clinic, Odoo, clinic, Odoo, ...,
each on the same invoices, rolled back after), and each block's wall time, this process's CPU
time and the CPU time of its PostgreSQL backend (read from /proc when the server runs on this
machine) are printed, then the median of the blocks of each side and their ratios.

    python3 bench/bench_payments.py -d clinic_demo [--invoices 2000 --small 200 --blocks 3]

Needs a database with trigger_point_clinic and payment_demo installed (``bin/clinic run`` makes
clinic_demo) and the PG* variables of its server. It works on a copy of that database, dropped
at the end.
"""

import argparse
import os
import statistics
import time
from datetime import datetime, timedelta

from bench_billing import build_clinic
from common import database_copy

from odoo import SUPERUSER_ID, api, fields


def prepare(registry, context, count, monday):
    """``count`` posted invoices (weekly plans, one patient each) and, for each patient, a
    saved card (payment_demo, charges succeed) that the patient authorised."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        env.company.clinic_invoice_post = True
        provider = env.ref("payment.payment_provider_demo")
        if provider.state == "disabled":
            provider.state = "test"
        if not provider.journal_id:
            provider.journal_id = env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1
            )
        plans = build_clinic(env, count, monday)
        run = env["clinic.billing.run"].create(
            {
                "date_from": monday,
                "date_to": monday + timedelta(days=6),
                "plan_ids": [fields.Command.set(plans.ids)],
            }
        )
        moves = run._run()  # nobody has authorised a card yet: nothing is charged
        method = env.ref("payment_demo.payment_method_demo")
        tokens = env["payment.token"].create(
            [
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "partner_id": plan.patient_id.partner_id.id,
                    "payment_details": "4242",
                    "provider_ref": f"bench-{plan.id}",
                    "demo_simulated_state": "done",
                }
                for plan in plans
            ]
        )
        text = env.company._clinic_card_authorisation()
        env["clinic.card.authorisation"].sudo().create(
            [
                {
                    "patient_id": plan.patient_id.id,
                    "token_id": token.id,
                    "card_name": "4242",
                    "user_id": SUPERUSER_ID,
                    "accepted_at": fields.Datetime.now(),
                    "text": text,
                }
                for plan, token in zip(plans, tokens, strict=True)
            ]
        )
        return moves.ids


def backend_cpu(pid):
    """Seconds of CPU the PostgreSQL backend ``pid`` used so far (user + system), or None when
    the server does not run on this machine (or its /proc entry is not readable)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields_ = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields_[11]) + int(fields_[12])) / os.sysconf("SC_CLK_TCK")


def clinic_side(env, move_ids, _vals_list):
    charged = env["account.move"].browse(move_ids)._clinic_charge_saved_cards()
    assert len(charged) == len(move_ids), "every invoice charged once"
    assert set(charged.mapped("state")) == {"done"}


def odoo_side(env, _move_ids, vals_list):
    # One at a time: Odoo's check that a transaction's token is active reads one transaction
    # only, so Odoo's own code creates them one by one.
    transactions = env["payment.transaction"]
    for vals in vals_list:
        transactions |= env["payment.transaction"].create(dict(vals))
    for transaction in transactions:
        transaction._send_payment_request()
    transactions._post_process()
    assert set(transactions.mapped("state")) == {"done"}


SIDES = {"clinic": clinic_side, "odoo": odoo_side}


def block(registry, context, side, move_ids, vals_list):
    """One measured block of ``side``, rolled back: {wall, cpu, pg, queries}."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        cr.execute("SELECT pg_backend_pid()")
        pid = cr.fetchone()[0]
        env.flush_all()
        queries = cr.sql_log_count
        pg_before = backend_cpu(pid)
        started, cpu = time.perf_counter(), time.process_time()
        SIDES[side](env, move_ids, vals_list)
        env.flush_all()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        pg_after = backend_cpu(pid)
        queries = cr.sql_log_count - queries
        cr.rollback()
    pg = pg_after - pg_before if pg_before is not None and pg_after is not None else None
    return {"wall": wall, "cpu": cpu, "pg": pg, "queries": queries}


def odoo_values(registry, context, move_ids):
    """The values of Odoo's own transactions: the clinic's, without the clinic's two fields."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        moves = env["account.move"].browse(move_ids)
        tokens = moves._clinic_saved_tokens()
        vals_list = []
        for move in moves:
            vals = move._clinic_charge_values(tokens[move.id])
            del vals["clinic_invoice_id"], vals["clinic_attempt"]
            vals_list.append(vals)
        return vals_list


def measure(registry, context, count, monday, blocks):
    move_ids = prepare(registry, context, count, monday)
    vals_list = odoo_values(registry, context, move_ids)
    # Untimed warm-up of both sides (the first charges load code and fill caches), undone.
    for side in SIDES:
        block(registry, context, side, move_ids[:10], vals_list[:10])
    results = {side: [] for side in SIDES}
    for number in range(blocks):
        for side in SIDES:
            result = block(registry, context, side, move_ids, vals_list)
            results[side].append(result)
            pg = f", PostgreSQL {result['pg']:.2f} s CPU" if result["pg"] is not None else ""
            print(
                f"  {count} invoices, block {number + 1}, {side}: {result['wall']:.2f} s wall, "
                f"{result['cpu']:.2f} s CPU{pg}, {result['queries']} queries "
                f"({result['queries'] / count:.2f} per invoice)",
                flush=True,
            )
    return results


def median(results, key):
    values = [result[key] for result in results]
    if any(value is None for value in values):
        return None
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="clinic_demo")
    parser.add_argument("--invoices", type=int, default=2000)
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--blocks", type=int, default=3, help="measured blocks of each side")
    args = parser.parse_args()
    context = {"tracking_disable": True}
    today = datetime.now().date()
    sizes = (args.small, args.invoices)
    results = {}
    with database_copy(args.database, "bench_payments") as (registry, _copy):
        for weeks, size in zip((30, 40), sizes, strict=True):
            monday = today - timedelta(days=today.weekday(), weeks=weeks)
            results[size] = measure(registry, context, size, monday, args.blocks)
    print(f"median of {args.blocks} interleaved blocks per side (clinic, Odoo, clinic, Odoo, ...):")
    for size in sizes:
        clinic, odoo = results[size]["clinic"], results[size]["odoo"]
        line = [f"{size} invoices:"]
        for name, side in (
            ("clinic charge", clinic),
            ("Odoo create + _send_payment_request + _post_process", odoo),
        ):
            pg = median(side, "pg")
            line.append(
                f"{name} {median(side, 'wall'):.2f} s wall, {median(side, 'cpu'):.2f} s CPU"
                + (f" + {pg:.2f} s PostgreSQL CPU" if pg is not None else "")
                + f", {median(side, 'queries') / size:.2f} queries per invoice;"
            )
        print(" ".join(line))
        ratios = [
            f"{median(clinic, 'wall') / median(odoo, 'wall'):.2f} wall",
            f"{median(clinic, 'cpu') / median(odoo, 'cpu'):.2f} CPU",
        ]
        if median(clinic, "pg") is not None:
            both = [median(side, "cpu") + median(side, "pg") for side in (clinic, odoo)]
            ratios.append(f"{both[0] / both[1]:.2f} CPU with PostgreSQL's")
        print(f"ratio clinic / Odoo at {size} invoices: {', '.join(ratios)} (target <= 1.1)")
    small, large = results[sizes[0]]["clinic"], results[sizes[1]]["clinic"]
    growth = (median(large, "queries") / sizes[1]) / (median(small, "queries") / sizes[0])
    print(
        f"clinic charge: queries per invoice, {sizes[1]} / {sizes[0]} invoices: {growth:.2f} "
        "(must not grow: about 1 or less)"
    )


if __name__ == "__main__":
    main()
