"""Load test: the clinic on Odoo's multi-process server (workers = 4, max_cron_threads = 2) on a
throw-away copy of a database, driven over HTTP on 127.0.0.1 only, bounded in count and time:

- 20 front-desk clients book one week of overlapping slots (every client tries every slot):
  each slot must end booked exactly once, every refusal must carry a message, no HTTP 500;
- 20 therapists chart and sign a treatment note each, at the same time;
- 20 patients open and submit their intake link.

It prints throughput and p50/p95 latency per operation, then the counts it checks in the
database afterwards.

    python3 bench/load_test.py -d clinic_demo

Needs a database with trigger_point_clinic and its demo data (``bin/clinic run`` makes
clinic_demo) and the PG* variables of its server.
"""

import argparse
import base64
import contextlib
import http.cookiejar
import io
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg2
import pytz
from common import ROOT, admin_sql, clinic_workflow

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

CLIENTS = 20
# The one-time code every load patient types to open their intake (see build).
INTAKE_CODE = "424242"
PASSWORD = "load-test-password"
TIMEOUT = 60


def odoo_command():
    """Odoo's own launcher (the ``odoo`` script pip installs, or ``odoo-bin`` of ODOO_PATH): its
    multi-process server starts its long-polling process by running the same program again,
    which ``python -m odoo`` cannot be."""
    candidates = [Path(sys.executable).with_name("odoo"), shutil.which("odoo")]
    if os.environ.get("ODOO_PATH"):
        candidates.insert(0, Path(os.environ["ODOO_PATH"]) / "odoo-bin")
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return [sys.executable, str(candidate)]
    raise RuntimeError("Odoo's launcher (odoo or odoo-bin) was not found")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signature_png():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 100), "white")
    ImageDraw.Draw(image).line((10, 80, 150, 10, 290, 80), fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --------------------------------------------------------------------------- the clinic


def build(env, week):
    """Users, resources, patients and records the three scenarios need; returns their ids."""
    attendances = [
        odoo.fields.Command.create(
            {"name": f"d{day}", "dayofweek": str(day), "hour_from": 7, "hour_to": 21}
        )
        for day in range(7)
    ]
    calendar = env["resource.calendar"].create(
        {"name": "Load hours", "tz": env.company._clinic_tz().zone, "attendance_ids": attendances}
    )
    groups = {
        role: env.ref(f"trigger_point_clinic.group_clinic_{role}").id
        for role in ("front_desk", "therapist")
    }
    users = {
        role: env["res.users"].create(
            [
                {
                    "name": f"Load {role} {n}",
                    "login": f"load_{role}_{n}",
                    "password": PASSWORD,
                    "group_ids": [(6, 0, [env.ref("base.group_user").id, groups[role]])],
                }
                for n in range(CLIENTS)
            ]
        )
        for role in groups
    }
    therapists = env["clinic.therapist"].create(
        [
            {"name": f"Load therapist {n}", "calendar_id": calendar.id, "user_id": user.id}
            for n, user in enumerate(users["therapist"])
        ]
    )
    rooms = env["clinic.room"].create(
        [{"name": f"Load room {n}", "calendar_id": calendar.id} for n in range(CLIENTS)]
    )
    patients = env["clinic.patient"].create(
        [
            {"name": f"Load patient {n}", "email": f"load.patient.{n}@example.com"}
            for n in range(2 * CLIENTS)
        ]
    )
    signature = base64.b64encode(signature_png())
    treated = patients[:CLIENTS]
    for patient in treated:
        intake = env["clinic.intake"].create({"patient_id": patient.id})
        intake.answer_ids.write({"answer": "no"})
        intake.write({"consent": True, "signer_name": patient.name, "signature": signature})
        intake.action_submit()
    # Booking: two therapists (each in a room of their own), a slot an hour, 8:00-18:00 for a
    # week: every front-desk client tries every slot.
    tz = env.company._clinic_tz()
    slots = []
    for therapist, room in zip(therapists[:2], rooms[:2], strict=True):
        for day in range(5):
            for hour in range(8, 18):
                local = datetime.combine(week + timedelta(days=day), datetime.min.time())
                start = tz.localize(local + timedelta(hours=hour)).astimezone(pytz.utc)
                slots.append((therapist.id, room.id, start.replace(tzinfo=None)))
    # Charting: each therapist has a session that ended an hour ago, in progress.
    now = datetime.now().replace(microsecond=0, second=0)
    charted = env["clinic.session"]
    workflow = clinic_workflow()
    for n, (therapist, room, patient) in enumerate(
        zip(therapists[2:] | therapists[:2], rooms[2:] | rooms[:2], treated, strict=False)
    ):
        start = now - timedelta(hours=2, minutes=n)
        with workflow("clinic.session", "schedule_checked"):
            session = env["clinic.session"].create(
                {
                    "patient_id": patient.id,
                    "therapist_id": therapist.id,
                    "room_id": room.id,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                }
            )
            session.action_confirm()
            session.action_start()
        charted |= session
    # Intakes: sent to the other patients.
    intakes = env["clinic.intake"].create([{"patient_id": p.id} for p in patients[CLIENTS:]])
    for intake in intakes:
        intake._portal_ensure_token()
        with workflow("clinic.intake"):
            intake.write({"state": "sent"})
    # Each patient proves it is them with the one-time code e-mailed to them: the bench reads
    # no mail, so each intake has the same code waiting, as if it had just been e-mailed.
    codes = env["clinic.intake.code"]
    sent = datetime.now()
    for intake in intakes:
        digest = codes._token_digest(intake, intake.access_token)
        codes.create(
            {
                "intake_id": intake.id,
                "token_digest": digest,
                "code_hash": codes._code_hash(intake, digest, INTAKE_CODE),
                "date_sent": sent,
                "date_expiry": sent + timedelta(hours=2),
                "delivered": True,
            }
        )
    return {
        "front_desk": users["front_desk"].mapped("login"),
        "therapist": {
            user.login: session.id
            for user, session in zip(charted.therapist_id.user_id, charted, strict=True)
        },
        "booking_patient": treated[0].id,
        "slots": slots,
        "intakes": [(i.id, i.access_token, i.answer_ids.ids) for i in intakes],
        "region": env.ref("trigger_point_clinic.body_region_upper_trapezius").id,
    }


# --------------------------------------------------------------------------- HTTP


class Supervisor:
    """Keeps the Odoo server running, as systemd's ``Restart=always`` does in production:
    Odoo's multi-process master exits when it cannot reach PostgreSQL while replacing a worker
    (``PreforkServer.process_spawn``), and the supervisor starts it again."""

    def __init__(self, command):
        self.command = command
        self.restarts = 0
        self.gave_up = False
        self._stopping = False
        self.process = subprocess.Popen(command, cwd=ROOT)
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self):
        while not self._stopping:
            if self.process.poll() is not None and not self._stopping:
                if self.restarts >= 20:
                    self.gave_up = True
                    return
                time.sleep(2)
                self.restarts += 1
                self.process = subprocess.Popen(self.command, cwd=ROOT)
            time.sleep(0.5)

    def stop(self):
        self._stopping = True
        self.process.terminate()
        self.process.wait(timeout=60)


class ServerUnavailable(Exception):
    """The server answered nothing usable (HTTP 5xx, connection refused): a real client tries
    again."""


class Client:
    """One browser: its own cookies; JSON-RPC and form posts, each timed."""

    def __init__(self, base, timings):
        self.base = base
        self.timings = timings
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def _open(self, operation, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode()
        except OSError as error:
            raise ServerUnavailable(f"{operation}: {error}") from error
        self.timings.setdefault(operation, []).append(time.perf_counter() - started)
        if status >= 500:
            raise ServerUnavailable(f"HTTP {status} on {operation}: {body[:300]}")
        return status, body

    def rpc(self, operation, route, params):
        payload = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        status, body = self._open(
            operation, route, payload.encode(), {"Content-Type": "application/json"}
        )
        try:
            answer = json.loads(body)
        except ValueError as error:
            raise ServerUnavailable(
                f"HTTP {status} on {operation}, not JSON: {body[:200]}"
            ) from error
        if "error" in answer:
            return False, answer["error"]["data"]["message"]
        return True, answer["result"]

    def login(self, database, login):
        ok, result = self.rpc(
            "login",
            "/web/session/authenticate",
            {"db": database, "login": login, "password": PASSWORD},
        )
        assert ok, result

    def call(self, operation, model, method, *args, **kwargs):
        return self.rpc(
            operation,
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def get(self, operation, path):
        return self._open(operation, path)

    def post_form(self, operation, path, fields):
        return self._open(operation, path, urllib.parse.urlencode(fields).encode())


# --------------------------------------------------------------------------- scenarios


def book(base, database, login, data, timings, refusals, failures):
    """Try every slot once, in an order of this client's own. A booking the server could not
    process (5xx, connection lost, database unavailable) is tried again, as a person would;
    ``failures`` counts those."""
    client = Client(base, timings)
    client.login(database, login)
    booked = []
    for therapist, room, start in random.sample(data["slots"], len(data["slots"])):
        values = {
            "patient_id": data["booking_patient"],
            "therapist_id": therapist,
            "room_id": room,
            "start": start.strftime("%Y-%m-%d %H:%M:%S"),
            "stop": (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
        }
        for _attempt in range(120):
            try:
                ok, result = client.call("book session", "clinic.session", "create", [values])
            except ServerUnavailable as error:
                failures.append(str(error))
                time.sleep(0.5)
                continue
            if ok or "booked" in result:
                break
            failures.append(result)
            time.sleep(0.5)
            if "Session expired" in result:
                with contextlib.suppress(ServerUnavailable, AssertionError):
                    client.login(database, login)
        else:
            raise RuntimeError(f"slot {values['start']} never answered: {failures[-1]}")
        if ok:
            booked.append(result[0] if isinstance(result, list) else result)
        else:
            refusals.append(result)
    return booked


def chart_and_sign(base, database, login, session_id, region, timings):
    client = Client(base, timings)
    client.login(database, login)
    ok, note = client.call(
        "create note", "clinic.treatment.note", "create", [{"session_id": session_id}]
    )
    assert ok, note
    note_id = note[0] if isinstance(note, list) else note
    ok, result = client.call(
        "chart line",
        "clinic.treatment.note.line",
        "create",
        [
            {
                "note_id": note_id,
                "region_id": region,
                "technique": "pressure_release",
                "minutes": 10,
                "pain_before": 6,
                "pain_after": 3,
            }
        ],
    )
    assert ok, result
    ok, result = client.call("sign note", "clinic.treatment.note", "action_sign", [note_id])
    assert ok, result
    return note_id


def submit_intake(base, intake_id, token, answer_ids, signature, timings):
    client = Client(base, timings)
    path = f"/clinic/intake/{intake_id}?access_token={token}"
    status, page = client.get("open intake", path)
    assert status == 200, status
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    status, page = client.post_form(
        "prove intake",
        f"/clinic/intake/{intake_id}/verify?access_token={token}",
        {"csrf_token": csrf, "code": INTAKE_CODE},
    )
    assert status == 200 and "o_clinic_intake_form" in page, (status, page[:300])
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {
        "csrf_token": csrf,
        "consent": "yes",
        "signer_name": f"Patient {intake_id}",
        "signature": "data:image/png;base64," + signature,
        "goals": "Less neck pain",
        **{f"answer_{answer}": "no" for answer in answer_ids},
    }
    status, page = client.post_form(
        "submit intake", f"/clinic/intake/{intake_id}/submit?access_token={token}", form
    )
    assert status == 200 and "Thank you" in page, (status, page[:300])


# --------------------------------------------------------------------------- run


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="clinic_demo")
    parser.add_argument(
        "--restart-postgresql",
        metavar="COMMAND",
        help="a shell command that restarts the PostgreSQL server, run a few seconds into the "
        "booking scenario: the Odoo server must recover by itself and keep every booking it "
        "acknowledged (e.g. 'pg_ctlcluster --skip-systemctl-redirect 15 main restart')",
    )
    args = parser.parse_args()
    copy = f"{args.database}_load"
    odoo.tools.config.parse_config(["-c", str(ROOT / "odoo.conf"), "-d", copy])
    admin_sql("postgres", f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    admin_sql("postgres", f'CREATE DATABASE "{copy}" TEMPLATE "{args.database}"')
    today = date.today()
    week = today + timedelta(days=7 - today.weekday(), weeks=3)
    server = None
    try:
        with Registry(copy).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            data = build(env, week)
        odoo.sql_db.close_db(copy)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [
            *odoo_command(),
            "-c",
            str(ROOT / "odoo.conf"),
            "-d",
            copy,
            "--db-filter",
            f"^{copy}$",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(port),
            "--workers",
            "4",
            "--max-cron-threads",
            "2",
            "--log-level",
            "warn",
        ]
        server = Supervisor(command)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/web/login", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.gave_up:
                    raise RuntimeError("the Odoo server did not start")
                time.sleep(1)

        timings, refusals, failures = {}, [], []
        restart = None
        if args.restart_postgresql:
            restart = threading.Timer(
                5, subprocess.run, [args.restart_postgresql], {"shell": True, "check": True}
            )
            restart.start()
        signature = base64.b64encode(signature_png()).decode()
        scenarios = {}
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            started = time.perf_counter()
            booked = [
                slot
                for slots in pool.map(
                    lambda login: book(base, copy, login, data, timings, refusals, failures),
                    data["front_desk"],
                )
                for slot in slots
            ]
            scenarios["booking"] = time.perf_counter() - started
            if restart:
                restart.join()
            started = time.perf_counter()
            notes = list(
                pool.map(
                    lambda item: chart_and_sign(
                        base, copy, item[0], item[1], data["region"], timings
                    ),
                    data["therapist"].items(),
                )
            )
            scenarios["charting"] = time.perf_counter() - started
            started = time.perf_counter()
            list(
                pool.map(
                    lambda intake: submit_intake(base, *intake, signature, timings),
                    data["intakes"],
                )
            )
            scenarios["intakes"] = time.perf_counter() - started
    finally:
        restarts = server.restarts if server else 0
        if server:
            server.stop()

    print(f"Odoo: workers 4, max_cron_threads 2; {CLIENTS} clients per scenario")
    for scenario, seconds in scenarios.items():
        print(f"scenario {scenario}: {seconds:.1f} s")
    scenario_of = {
        "book session": "booking",
        "create note": "charting",
        "chart line": "charting",
        "sign note": "charting",
        "open intake": "intakes",
        "prove intake": "intakes",
        "submit intake": "intakes",
    }
    for operation, values in timings.items():
        seconds = scenarios.get(scenario_of.get(operation))
        print(
            f"{operation:>15}: {len(values):5d} requests, "
            f"p50 {1000 * statistics.median(values):7.1f} ms, "
            f"p95 {1000 * percentile(values, 0.95):7.1f} ms"
            + (f", {len(values) / seconds:.1f} per s" if seconds else "")
        )

    conn = psycopg2.connect(dbname=copy)
    with conn.cursor() as cr:
        therapist_ids = sorted({slot[0] for slot in data["slots"]})
        cr.execute(
            "SELECT count(*), count(DISTINCT (therapist_id, start)) FROM clinic_session "
            "WHERE therapist_id = ANY(%s) AND state != 'cancelled' AND start >= %s",
            [therapist_ids, min(slot[2] for slot in data["slots"])],
        )
        sessions, distinct = cr.fetchone()
        cr.execute(
            "SELECT count(*) FROM clinic_session WHERE id = ANY(%s) AND state != 'cancelled'",
            [booked],
        )
        (acknowledged_kept,) = cr.fetchone()
        cr.execute(
            "SELECT count(*) FROM clinic_treatment_note WHERE id = ANY(%s) AND state = 'signed' "
            "AND content_hash IS NOT NULL",
            [notes],
        )
        (signed,) = cr.fetchone()
        cr.execute(
            "SELECT count(*) FROM clinic_intake WHERE id = ANY(%s) AND state = 'submitted'",
            [[intake[0] for intake in data["intakes"]]],
        )
        (submitted,) = cr.fetchone()
    conn.close()
    admin_sql("postgres", f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')

    slots = len(data["slots"])
    attempts = slots * CLIENTS
    unclear = [r for r in refusals if "already booked" not in r and "booked at that time" not in r]
    print(
        f"bookings: {attempts} attempts on {slots} slots, {len(booked)} acknowledged, "
        f"{len(refusals)} refused ({len(unclear)} without a clear message), "
        f"{sessions} sessions in the database, {distinct} distinct slots"
    )
    print(
        f"notes: {signed} signed of {len(notes)}; intakes: {submitted} submitted of "
        f"{len(data['intakes'])}; server errors (HTTP 5xx, lost connections): {len(failures)}"
    )
    if args.restart_postgresql:
        print(
            f"PostgreSQL restarted 5 s into the booking: {len(failures)} attempts failed while "
            "it was down and were tried again; Odoo's master exited and was started again "
            f"{restarts} time(s); every acknowledged booking is in the database: "
            f"{acknowledged_kept == len(booked)}"
        )
    elif failures:
        print(f"{len(failures)} attempts failed on the server: {failures[:3]}")
    # Across a restart a booking can be made and its answer lost: tried again, it reads as
    # taken. What must hold then is what was acknowledged, and each slot booked once.
    exact = not args.restart_postgresql
    ok = (
        (not exact or not failures)
        and acknowledged_kept == len(booked)
        and sessions == distinct == slots
        and len(booked) + len(refusals) == attempts
        and (not exact or len(booked) == slots)
        and not unclear
        and signed == len(notes) == CLIENTS
        and submitted == len(data["intakes"])
    )
    print("checks:", "passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
