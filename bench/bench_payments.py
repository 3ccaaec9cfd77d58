"""Benchmark: charging posted invoices to the patients' saved cards (the billing run's
``_clinic_charge_saved_cards``) against Odoo's own ``payment.transaction`` creation and
``_send_payment_request`` for the same invoices with the same tokens, in one run, with Odoo's
test provider (payment_demo). The clinic's charge also settles each paid invoice at once
(``_post_process``: the payment and its reconciliation), so it is compared with Odoo's
creation + request alone and with creation + request + ``_post_process`` (what Odoo's
post-processing job does next); and the queries per invoice at two sizes (they must not grow
with the number of invoices).

    python3 bench/bench_payments.py -d clinic_demo

Needs a database with trigger_point_clinic and payment_demo installed (``bin/clinic run`` makes
clinic_demo) and the PG* variables of its server. It works on a copy of that database, dropped
at the end.
"""

import argparse
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


def timed(cr, env, work):
    """(wall seconds, seconds of this process's CPU, queries) of ``work``. The CPU time is
    printed too: on a machine shared with other work, the wall time of one run swings more
    than the difference measured."""
    env.flush_all()
    queries = cr.sql_log_count
    started, cpu = time.perf_counter(), time.process_time()
    work()
    env.flush_all()
    return (
        time.perf_counter() - started,
        time.process_time() - cpu,
        cr.sql_log_count - queries,
    )


def measure(registry, context, count, monday):
    move_ids = prepare(registry, context, count, monday)
    with registry.cursor() as cr:
        # Untimed warm-up (the first charges load code and caches the later ones find ready),
        # undone: every measurement below runs warm.
        env = api.Environment(cr, SUPERUSER_ID, context)
        env["account.move"].browse(move_ids[:10])._clinic_charge_saved_cards()
        cr.rollback()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        moves = env["account.move"].browse(move_ids)
        tokens = moves._clinic_saved_tokens()
        vals_list = []
        for move in moves:
            vals = move._clinic_charge_values(tokens[move.id])
            del vals["clinic_invoice_id"], vals["clinic_attempt"]
            vals_list.append(vals)
        charged = []
        clinic = timed(cr, env, lambda: charged.append(moves._clinic_charge_saved_cards()))
        assert len(charged[0]) == len(move_ids), "every invoice charged once"
        assert set(charged[0].mapped("state")) == {"done"}
        cr.rollback()
    results = [len(move_ids), clinic]
    for post_process in (False, True):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)

            def odoo_own(post_process=post_process, env=env):
                # One at a time: Odoo's check that a transaction's token is active reads one
                # transaction only.
                transactions = env["payment.transaction"]
                for vals in vals_list:
                    transactions |= env["payment.transaction"].create(vals)
                for transaction in transactions:
                    transaction._send_payment_request()
                if post_process:
                    transactions._post_process()

            results.append(timed(cr, env, odoo_own))
            cr.rollback()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="clinic_demo")
    parser.add_argument("--invoices", type=int, default=2000)
    parser.add_argument("--small", type=int, default=200)
    args = parser.parse_args()
    context = {"tracking_disable": True}
    today = datetime.now().date()
    sizes = (args.small, args.invoices)
    with database_copy(args.database, "bench_payments") as (registry, _copy):
        results = {}
        for weeks, size in zip((30, 40), sizes, strict=True):
            monday = today - timedelta(days=today.weekday(), weeks=weeks)
            results[size] = measure(registry, context, size, monday)
    for size in sizes:
        invoices, (c_s, c_cpu, c_q), (o_s, o_cpu, o_q), (p_s, p_cpu, p_q) = results[size]
        print(
            f"{invoices} invoices: clinic charge {c_s:.2f} s ({c_cpu:.2f} s CPU), {c_q} queries "
            f"({c_q / invoices:.2f} per invoice); Odoo create + _send_payment_request "
            f"{o_s:.2f} s ({o_cpu:.2f} s CPU), {o_q} queries ({o_q / invoices:.2f} per "
            f"invoice); + _post_process {p_s:.2f} s ({p_cpu:.2f} s CPU), {p_q} queries "
            f"({p_q / invoices:.2f} per invoice)"
        )
    for size in sizes:
        invoices, (c_s, c_cpu, _c), (o_s, _o_cpu, _o), (p_s, p_cpu, _p) = results[size]
        print(
            f"ratio clinic charge / Odoo create + _send_payment_request + _post_process at "
            f"{invoices} invoices: {c_s / p_s:.2f} wall, {c_cpu / p_cpu:.2f} CPU "
            "(target <= 1.1)"
        )
        print(
            f"ratio clinic charge / Odoo create + _send_payment_request alone at {invoices} "
            f"invoices: {c_s / o_s:.2f} (the clinic's charge also pays the invoices)"
        )
    small, large = results[sizes[0]], results[sizes[1]]
    growth = (large[1][2] / large[0]) / (small[1][2] / small[0])
    print(
        f"clinic charge: queries per invoice, large / small: {growth:.2f} "
        "(must not grow: about 1 or less)"
    )


if __name__ == "__main__":
    main()
