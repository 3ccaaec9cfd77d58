"""Benchmark: do the screens whose result is bounded (a day, a week, a month, a year, one patient)
cost the same whatever the clinic's history? A copy of the database is grown to 10k and 100k
sessions (1M with ``--max 1000000``) and each screen is timed as the web client calls it, as the
role that opens it (the patient's portal pages through Odoo's WSGI application, as a browser
asks them): median server time, query count, and the growth ratio per 10x sessions (target
<= 1.5, query count constant; the last column says whether both hold).

    python3 bench/bench_scale.py -d clinic_demo [--max 1000000]

Needs a database with trigger_point_clinic installed (``bin/clinic run`` makes clinic_demo) and
the PG* variables of its server. It works on a copy of that database, dropped at the end.

What stays fixed at every size: 20 therapists and rooms with a weekday calendar, one session a
day per therapist in the measured year (2026), and a patient with 200 sessions and their signed
notes. What grows: the history before 2026 (sessions of 1,000 patients, each with a signed note
and a charted region, and the available hours of each day), inserted with SQL, not the ORM.
"""

import argparse
import itertools
import json
import statistics
import time
from datetime import date

from common import admin_sql, database_copy, work_calendar
from lxml import etree
from werkzeug.test import Client

from odoo import SUPERUSER_ID, api, fields, http, sql_db
from odoo.fields import Command

YEAR = date(2026, 1, 1), date(2026, 12, 31)
MONTH = date(2026, 11, 1), date(2026, 11, 30)
WEEK = date(2026, 11, 30), date(2026, 12, 6)
BILLING_WEEK = date(2026, 11, 23), date(2026, 11, 29)
PORTAL_PASSWORD = "bench-portal-password-2026"
LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}
MAX_GROWTH = 1.5
THERAPISTS = 20
UTILISATION_MEASURES = [
    "available_hours:sum",
    "booked_hours:sum",
    "attended_hours:sum",
    "sessions:sum",
    "no_shows:sum",
    "revenue:sum",
    "utilisation_booked:sum",
    "utilisation_attended:sum",
]

SESSIONS_SQL = """
    INSERT INTO clinic_session (patient_id, therapist_id, room_id, product_id, company_id,
                                start, stop, duration, local_date, state, late_cancel,
                                treatment_note_state, create_uid, write_uid,
                                create_date, write_date)
    SELECT slot.patient_id, t.ids[slot.k], r.ids[slot.k], %(product)s, %(company)s,
           slot.start, slot.start + interval '1 hour', 1.0,
           (slot.start AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
           CASE WHEN slot.start > now() THEN 'confirmed'
                WHEN slot.n %% 25 = 0 THEN 'cancelled'
                WHEN slot.n %% 20 = 0 THEN 'no_show' ELSE 'done' END,
           slot.n %% 50 = 0, 'none', 1, 1, now(), now()
      FROM (SELECT %(therapists)s::int[] AS ids) t, (SELECT %(rooms)s::int[] AS ids) r,
           (SELECT %(patients)s::int[] AS ids) p,
           LATERAL (
               SELECT n, 1 + n %% %(per_day)s %% array_length(t.ids, 1) AS k,
                      p.ids[1 + n %% array_length(p.ids, 1)] AS patient_id,
                      ((%(first)s::date + (n / %(per_day)s / 5 * 7
                                          + n / %(per_day)s %% 5) * interval '1 day'
                        + (%(hour)s + n %% %(per_day)s / array_length(t.ids, 1))
                          * interval '1 hour')
                       AT TIME ZONE %(tz)s AT TIME ZONE 'UTC') AS start
                 FROM generate_series(0, %(count)s - 1) AS n
           ) slot
"""
NOTES_SQL = """
    INSERT INTO clinic_treatment_note (session_id, patient_id, therapist_id, company_id,
                                       signed_by_id, state, date, date_signed, subjective,
                                       create_uid, write_uid, create_date, write_date)
    SELECT s.id, s.patient_id, s.therapist_id, s.company_id, 1, 'signed', s.start, s.stop,
           'Bench note', 1, 1, now(), now()
      FROM clinic_session s
     WHERE s.state = 'done' AND s.id > %(after)s;
    UPDATE clinic_session SET treatment_note_state = 'signed'
     WHERE state = 'done' AND id > %(after)s;
    INSERT INTO clinic_treatment_note_line (note_id, patient_id, date, note_state, region_id,
                                            side, pressure, pain_before, pain_after, ppt,
                                            ppt_measured, create_uid, write_uid, create_date,
                                            write_date)
    SELECT note.id, note.patient_id, note.date, 'signed',
           (%(regions)s::int[])[1 + note.id %% array_length(%(regions)s::int[], 1)],
           'bilateral', 'moderate', 3 + note.id %% 6, 1 + note.id %% 3, 3.5, true,
           1, 1, now(), now()
      FROM clinic_treatment_note note
     WHERE note.session_id > %(after)s
"""
AVAILABILITY_SQL = """
    INSERT INTO clinic_availability_day (resource_id, date, hours, create_uid, write_uid,
                                         create_date, write_date)
    SELECT resource_id, day::date, CASE WHEN extract(isodow FROM day) < 6 THEN 10 ELSE 0 END,
           1, 1, now(), now()
      FROM unnest(%(resources)s::int[]) AS resource_id,
           generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS day
    ON CONFLICT DO NOTHING
"""


def insert_sessions(env, clinic, count, first, hour, per_day, patients, therapists=None):
    """``count`` sessions on weekdays from ``first`` on, ``per_day`` a day from ``hour`` (local),
    spread over the therapists (and their rooms) and ``patients``; signed notes for the done."""
    env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM clinic_session")
    after = env.cr.fetchone()[0]
    therapists = therapists or clinic["therapists"]
    env.cr.execute(
        SESSIONS_SQL,
        {
            "product": clinic["product"],
            "company": env.company.id,
            "tz": clinic["tz"],
            "therapists": therapists.ids,
            "rooms": [clinic["room_of"][t.id] for t in therapists],
            "patients": patients,
            "first": first,
            "hour": hour,
            "per_day": per_day,
            "count": count,
        },
    )
    env.cr.execute(NOTES_SQL, {"after": after, "regions": clinic["regions"]})


def build_base(env):
    """What every size shares: staff, patients, the measured year, the patient of 200."""
    calendar = work_calendar(env, 5, 8, 18)
    therapist_group = env.ref("trigger_point_clinic.group_clinic_therapist")
    users = env["res.users"].create(
        [
            {
                "name": f"Bench therapist {i}",
                "login": f"bench_therapist_{i}",
                "group_ids": [Command.set(therapist_group.ids)],
            }
            for i in range(THERAPISTS)
        ]
    )
    therapists = env["clinic.therapist"].create(
        [{"name": user.name, "user_id": user.id, "calendar_id": calendar.id} for user in users]
    )
    rooms = env["clinic.room"].create(
        [{"name": f"Bench room {i}", "calendar_id": calendar.id} for i in range(THERAPISTS)]
    )
    desk = env["res.users"].create(
        {
            "name": "Bench desk",
            "login": "bench_desk",
            "group_ids": [Command.set(env.ref("trigger_point_clinic.group_clinic_front_desk").ids)],
        }
    )
    manager = env["res.users"].create(
        {
            "name": "Bench manager",
            "login": "bench_manager",
            "group_ids": [Command.set(env.ref("trigger_point_clinic.group_clinic_manager").ids)],
        }
    )
    patients = env["clinic.patient"].create([{"name": f"Bench patient {i}"} for i in range(1000)])
    focus = env["clinic.patient"].create({"name": "Bench patient of 200 sessions"})
    portal = env["res.users"].create(
        {
            "name": focus.name,
            "login": "bench_portal",
            "password": PORTAL_PASSWORD,
            "partner_id": focus.partner_id.id,
            "group_ids": [Command.set(env.ref("base.group_portal").ids)],
        }
    )
    env.flush_all()
    clinic = {
        "tz": calendar.tz,
        "product": env.ref("trigger_point_clinic.product_trigger_point_session").id,
        "therapists": therapists,
        "room_of": dict(zip(therapists.ids, rooms.ids, strict=True)),
        "regions": env["clinic.body.region"].search([], limit=8).ids,
        "resources": (therapists.resource_id | rooms.resource_id).ids,
        "therapist_user": users[0],
        "desk": desk,
        "manager": manager,
        "focus": focus,
        "portal": portal,
    }
    env.cr.execute("SET session_replication_role = replica")
    # The measured year: one session a day per therapist, at 08:00.
    insert_sessions(env, clinic, 261 * THERAPISTS, date(2025, 12, 29), 8, THERAPISTS, patients.ids)
    # The patient of 200 sessions, with the first therapist, at 09:00 in 2025 and 2026.
    insert_sessions(env, clinic, 200, date(2025, 1, 6), 9, 1, [focus.id], therapists=therapists[:1])
    env.cr.execute(
        AVAILABILITY_SQL,
        {"resources": clinic["resources"], "first": date(2025, 1, 1), "last": YEAR[1]},
    )
    env.cr.execute("SET session_replication_role = DEFAULT")
    # Inserted without triggers: the utilisation's aggregate is counted once from the sessions.
    env["clinic.utilisation.day"]._recount()
    clinic["patients"] = patients.ids
    return clinic


def grow(env, clinic, total):
    """History before 2025, ten sessions a weekday per therapist going back, until ``total``."""
    env.cr.execute("SELECT count(*) FROM clinic_session")
    missing = total - env.cr.fetchone()[0]
    if missing <= 0:
        return
    env.cr.execute("SELECT MIN(local_date) FROM clinic_session")
    before = env.cr.fetchone()[0]
    per_day = 10 * THERAPISTS
    weeks = missing // (per_day * 5) + 1
    first = date.fromordinal(before.toordinal() - (before.weekday()) - 7 * weeks)
    env.cr.execute("SET session_replication_role = replica")
    insert_sessions(env, clinic, missing, first, 8, per_day, clinic["patients"])
    env.cr.execute(
        AVAILABILITY_SQL,
        {"resources": clinic["resources"], "first": first, "last": before},
    )
    env.cr.execute("SET session_replication_role = DEFAULT")
    env["clinic.utilisation.day"]._recount()


def form_specification(env, model, view_type="form"):
    """What the web client asks ``web_read`` for when it opens the form (x2many lists
    included), from the form as the user gets it."""
    views = env[model].get_views([(False, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    model_fields = env[model]._fields
    spec = {}
    for node in arch.iter("field"):
        if any(ancestor.tag == "field" for ancestor in node.iterancestors()):
            continue
        name = node.get("name")
        field = model_fields.get(name)
        if field is None:
            continue
        if field.type in ("one2many", "many2many"):
            sub = {
                child.get("name"): {}
                for child in node.iter("field")
                if child is not node
                and child.get("name") in env[field.comodel_name]._fields
                and env[field.comodel_name]._fields[child.get("name")].type
                not in ("one2many", "many2many", "many2one")
            }
            sub["display_name"] = {}
            spec[name] = {"fields": sub, "limit": 40}
        elif field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def screens(env, clinic):
    """{screen: callable} of the screens measured, each as its user."""
    therapist = env(user=clinic["therapist_user"])
    desk = env(user=clinic["desk"])
    manager = env(user=clinic["manager"])
    focus = clinic["focus"].id
    therapist_ids = clinic["therapists"].ids
    my_day_spec = {
        name: {"fields": {"display_name": {}}} if name.endswith("_id") else {}
        for name in ("start", "stop", "patient_id", "room_id", "state", "treatment_note_state")
    }
    calendar_spec = {
        name: {"fields": {"display_name": {}}} if name.endswith("_id") else {}
        for name in ("start", "stop", "patient_id", "therapist_id", "room_id", "state")
    }
    patient_spec = form_specification(therapist, "clinic.patient")

    def my_day():
        return therapist["clinic.session"].web_search_read(
            [
                ("therapist_id.user_id", "=", therapist.uid),
                ("is_today", "=", True),
                ("state", "!=", "cancelled"),
            ],
            my_day_spec,
            order="start, id",
        )

    def patient_form():
        return therapist["clinic.patient"].browse(focus).web_read(patient_spec)

    def calendar_week():
        return desk["clinic.session"].web_search_read(
            [
                ("start", ">=", fields.Datetime.to_datetime(WEEK[0])),
                ("start", "<", fields.Datetime.to_datetime(WEEK[1])),
                ("therapist_id", "in", therapist_ids),
                ("state", "!=", "cancelled"),
            ],
            calendar_spec,
        )

    def utilisation(period):
        def screen():
            wizard = manager["clinic.utilisation.wizard"].create(
                {"date_from": period[0], "date_to": period[1]}
            )
            action = wizard.action_open()
            return manager["clinic.utilisation"].formatted_read_group(
                action["domain"] + [("kind", "=", "therapist")],
                ["therapist_id"],
                UTILISATION_MEASURES,
            )

        return screen

    def billing_week():
        """The manager's billing run of a past week (about 100 invoices), undone afterwards."""
        try:
            with env.cr.savepoint():
                run = manager["clinic.billing.run"].create(
                    {"date_from": BILLING_WEEK[0], "date_to": BILLING_WEEK[1]}
                )
                run.action_run()
                assert run.move_ids, "the week was billed"
                raise Undo
        except Undo:
            pass

    browser = portal_browser(env.cr.dbname, "bench_portal")

    def portal(path):
        def screen():
            response = browser.get(path, environ_base=LOOPBACK)
            assert response.status_code == 200, (path, response.status_code, response.text[:500])
            return response

        return screen

    return {
        "My Day (therapist)": my_day,
        "patient form, 200 sessions (therapist)": patient_form,
        "calendar week, 20 therapists (front desk)": calendar_week,
        "utilisation month, wizard + pivot (manager)": utilisation(MONTH),
        "utilisation year, wizard + pivot (manager)": utilisation(YEAR),
        "billing run of a week (manager)": billing_week,
        "portal: home /my/clinic (patient)": portal("/my/clinic"),
        "portal: sessions /my/clinic/sessions (patient)": portal("/my/clinic/sessions"),
        "portal: one session (patient)": portal(f"/my/clinic/sessions/{clinic['focus_session']}"),
        "portal: balance /my/clinic/balance (patient)": portal("/my/clinic/balance"),
    }


class Undo(Exception):
    """Raised to roll a measured run back to its savepoint."""


def portal_browser(dbname, login):
    """A browser signed in as the portal user ``login``, served in this process by Odoo's WSGI
    application (each request in its own transaction, as on a server)."""
    browser = Client(http.root)
    response = browser.post(
        "/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": dbname, "login": login, "password": PORTAL_PASSWORD},
        },
        environ_base=LOOPBACK,
    )
    body = json.loads(response.text)
    assert "error" not in body, body
    return browser


def measure(env, screen, repeat):
    """Median milliseconds of ``repeat`` calls after a warm-up, and the queries of one call."""
    screen()
    times, queries = [], []
    for _ in range(repeat):
        env.invalidate_all()
        env.registry.clear_cache()
        before = sql_db.sql_counter
        started = time.perf_counter()
        screen()
        times.append(time.perf_counter() - started)
        queries.append(sql_db.sql_counter - before)
    return statistics.median(times) * 1000, max(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="clinic_demo")
    parser.add_argument("--max", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    sizes = [size for size in (10_000, 100_000, 1_000_000) if size <= args.max]
    results = {}
    with database_copy(args.database, "bench_scale") as (registry, copy):
        context = {"tracking_disable": True}
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)
            clinic = build_base(env)
            clinic = {
                key: value.ids if hasattr(value, "ids") else value for key, value in clinic.items()
            }
        for size in sizes:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, context)
                live = dict(clinic, therapists=env["clinic.therapist"].browse(clinic["therapists"]))
                grow(env, live, size)
            admin_sql(copy, "VACUUM ANALYZE")
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, context)
                cr.execute("SELECT count(*) FROM clinic_session")
                sessions = cr.fetchone()[0]
                live = {
                    "therapists": env["clinic.therapist"].browse(clinic["therapists"]),
                    "therapist_user": env["res.users"].browse(clinic["therapist_user"]),
                    "desk": env["res.users"].browse(clinic["desk"]),
                    "manager": env["res.users"].browse(clinic["manager"]),
                    "focus": env["clinic.patient"].browse(clinic["focus"]),
                    "focus_session": env["clinic.session"]
                    .search([("patient_id", "=", clinic["focus"])], order="start desc", limit=1)
                    .id,
                }
                for name, screen in screens(env, live).items():
                    results.setdefault(name, []).append(measure(env, screen, args.repeat))
                cr.rollback()
            print(f"measured at {sessions} sessions", flush=True)

    header = "".join(f"{size:>17,}" for size in sizes)
    print(f"\n{'screen':<50}{header}   growth per 10x (ms)   queries   target")
    for name, rows in results.items():
        cells = "".join(f"{ms:>9.0f} ms {q:>4}q" for ms, q in rows)
        ratios = [b[0] / a[0] for a, b in itertools.pairwise(rows)]
        growth = " ".join(f"{ratio:.2f}x" for ratio in ratios)
        constant = len({q for _ms, q in rows}) == 1
        met = constant and all(ratio <= MAX_GROWTH for ratio in ratios)
        print(
            f"{name:<50}{cells}   {growth:<20}  {'constant' if constant else 'grows':<8}  "
            f"{'met' if met else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()
