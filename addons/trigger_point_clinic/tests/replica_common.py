"""A streaming replica of the test cluster and an Odoo server that reads from it.

``StreamingReplica`` copies the cluster the tests run on with ``pg_basebackup -R`` into the
project's scratch folder (``.clinic/replica-<pid>``), starts it as a hot standby on 127.0.0.1 on
a port of its own, and stops and removes it at the end. ``ReplicaServer`` starts Odoo on the test
database with ``db_replica_host``/``db_replica_port`` pointing at it, as a deployment would, so
that what Odoo 19 routes to the replica (routes with ``readonly=True``, methods marked
``@api.readonly``) really is answered by the standby; it reads committed data only, hence the
tests that use it commit what they make (``CommittedCase``).

When the cluster is the project's own (``bin/clinic`` started it: ``CLINIC_PRIVATE_CLUSTER``),
the replica must start, or the test fails. When the tests run on an external PostgreSQL that
cannot be copied from here (another machine, no replication right, ``wal_level = minimal``), the
harness says why and the tests are skipped with that reason.
"""

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request
from http.cookiejar import Cookie, CookieJar
from pathlib import Path

import psycopg2

import odoo
from odoo.service import security
from odoo.sql_db import connection_info_for
from odoo.tools import config

LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1"}
# What Odoo logs when a request it served read-only wrote, and it serves it again on the
# primary (odoo/http.py, ``_serve_db``): a page rendered twice.
RETRIED = "retrying with a read/write cursor"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_dir():
    """The project's scratch folder (``.clinic``, the parent of Odoo's data_dir)."""
    return Path(config["data_dir"]).resolve().parent


def pg_bindir():
    """The folder holding pg_basebackup and pg_ctl, or None."""
    candidates = []
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        candidates.append(
            subprocess.run(
                ["pg_config", "--bindir"], capture_output=True, text=True, check=True
            ).stdout.strip()
        )
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    which = shutil.which("pg_basebackup")
    if which:
        candidates.append(str(Path(which).parent))
    for folder in candidates:
        if all((Path(folder) / name).exists() for name in ("pg_basebackup", "pg_ctl")):
            return Path(folder)
    return None


class ReplicaUnavailable(Exception):
    """The cluster cannot be replicated from here; the message says why."""


class StreamingReplica:
    """A hot standby of the cluster that holds ``dbname``, fed by streaming replication."""

    def __init__(self, dbname):
        self.dbname = dbname
        self.primary = connection_info_for(dbname)[1]
        self.folder = scratch_dir() / f"replica-{os.getpid()}"
        self.port = None
        self.bindir = None
        self.started = False

    # ------------------------------------------------------------------ start, stop

    @classmethod
    def start_for_test(cls, dbname):
        """Start a replica, or skip the calling test class with the reason when the cluster is
        an external server that cannot be copied from here. The project's own cluster must
        replicate: a failure there fails."""
        if not os.environ.get("CLINIC_PRIVATE_CLUSTER"):
            raise unittest.SkipTest(
                "no read replica: the tests run on a PostgreSQL server of the PG* variables, "
                "not on the project's own cluster (bin/clinic's .clinic/pg, which CI uses); "
                "the harness copies only that one (locally: PGHOST=127.0.0.1 PGPORT=1 "
                "bin/clinic test ... makes bin/clinic start it)"
            )
        replica = cls(dbname)
        replica.check()
        replica.start()
        return replica

    def _as_owner(self, args):
        # PostgreSQL refuses to run as root; its files belong to the postgres account.
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *args]
        return args

    def _run(self, args, **kwargs):
        return subprocess.run(
            self._as_owner(args), capture_output=True, text=True, check=True, **kwargs
        )

    def check(self):
        """Raise ReplicaUnavailable naming what stops a copy of the cluster from here."""
        self.bindir = pg_bindir()
        if not self.bindir:
            raise ReplicaUnavailable(
                "PostgreSQL's server programs (pg_basebackup, pg_ctl) are not installed "
                "(Debian: apt-get install postgresql)"
            )
        host = self.primary.get("host")
        where = f"{host or 'the local socket'}:{self.primary.get('port') or 5432}"
        if host not in LOCAL_HOSTS and not host.startswith("/"):
            raise ReplicaUnavailable(
                f"the tests' PostgreSQL at {where} is an external server: the harness only "
                "replicates a cluster on this machine"
            )
        with contextlib.closing(self.connect_primary()) as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user"
            )
            if not cr.fetchone()[0]:
                raise ReplicaUnavailable(
                    f"the tests' PostgreSQL user at {where} has no REPLICATION right"
                )
            cr.execute("SELECT current_setting('wal_level'), current_setting('max_wal_senders')")
            wal_level, senders = cr.fetchone()
            if wal_level == "minimal" or int(senders) < 1:
                raise ReplicaUnavailable(
                    f"the server at {where} does not stream its WAL (wal_level = {wal_level}, "
                    f"max_wal_senders = {senders})"
                )

    def start(self):
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o700)
        host = self.primary.get("host")
        user = self.primary.get("user")
        args = [str(self.bindir / "pg_basebackup"), "-p", str(self.primary.get("port") or 5432)]
        if host and not host.startswith("/"):
            args += ["-h", host]
        elif os.geteuid() == 0:
            # Over the local socket, Debian's server knows the account by its name (peer): the
            # copy and then the standby's stream run as postgres, its own superuser.
            user = "postgres"
        if user:
            args += ["-U", user]
        # -R: standby.signal and primary_conninfo, the standby follows the primary at once.
        args += ["-D", str(self.folder), "-R", "-X", "stream", "-c", "fast", "--no-sync"]
        env = dict(os.environ)
        if self.primary.get("password"):
            env["PGPASSWORD"] = self.primary["password"]
        try:
            self._run(args, env=env, timeout=600)
        except subprocess.CalledProcessError as exc:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise ReplicaUnavailable(f"pg_basebackup failed: {exc.stderr.strip()}") from exc
        # A server configured outside its data folder (Debian: /etc/postgresql) leaves none
        # in the copy: the standby's own, on 127.0.0.1 only, for the tests' and bench's users.
        for name, text in (
            ("postgresql.conf", ""),
            ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"),
        ):
            path = self.folder / name
            if not path.exists():
                self._run(["tee", str(path)], input=text)
        self.port = free_port()
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            # The test decides the lag (pg_wal_replay_pause): queries are never cancelled for
            # the replay, and the primary keeps what the standby still reads.
            "-c hot_standby=on -c hot_standby_feedback=on -c max_standby_streaming_delay=-1 "
            "-c track_counts=on"
        )
        self._run(
            [
                str(self.bindir / "pg_ctl"),
                "start",
                "-w",
                "-t",
                "120",
                "-D",
                str(self.folder),
                "-l",
                str(self.folder / "server.log"),
                "-o",
                options,
            ]
        )
        self.started = True
        self.wait_for_replay()

    def stop(self):
        if self.started:
            subprocess.run(
                self._as_owner(
                    [
                        str(self.bindir / "pg_ctl"),
                        "stop",
                        "-m",
                        "fast",
                        "-w",
                        "-D",
                        str(self.folder),
                    ]
                ),
                capture_output=True,
                check=False,
            )
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ connections

    def connect_primary(self, dbname=None):
        params = {k: v for k, v in self.primary.items() if k not in ("database", "dsn")}
        conn = psycopg2.connect(dbname=dbname or self.dbname, **params)
        conn.autocommit = True
        return conn

    def connect(self, dbname=None):
        params = {k: v for k, v in self.primary.items() if k not in ("database", "dsn", "host")}
        params.update(host="127.0.0.1", port=self.port)
        conn = psycopg2.connect(dbname=dbname or self.dbname, **params)
        conn.autocommit = True
        return conn

    def query(self, statement, params=None, primary=False):
        connect = self.connect_primary if primary else self.connect
        with contextlib.closing(connect()) as conn, conn.cursor() as cr:
            cr.execute(statement, params)
            return cr.fetchall() if cr.description else None

    # ------------------------------------------------------------------ lag

    def wait_for_replay(self, timeout=60):
        """Wait until the standby replayed everything the primary committed so far."""
        (lsn,) = self.query("SELECT pg_current_wal_lsn()", primary=True)[0]
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(psycopg2.OperationalError):
                rows = self.query(
                    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]
                )
                if rows[0] == (True, True):
                    return
            if time.monotonic() > deadline:
                log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
                raise AssertionError(f"the replica did not catch up in {timeout} s:\n{log}")
            time.sleep(0.2)

    def pause(self):
        """Stop replaying the primary's WAL: the standby lags from now on."""
        self.query("SELECT pg_wal_replay_pause()")

    def resume(self):
        self.query("SELECT pg_wal_replay_resume()")
        self.wait_for_replay()

    # ------------------------------------------------------------------ what it answered

    def scans(self, tables, primary=False):
        """{table: sequential + index scans} counted by PostgreSQL on the replica (or the
        primary): each server counts only the queries it answered."""
        rows = self.query(
            "SELECT relname, seq_scan + COALESCE(idx_scan, 0) FROM pg_stat_user_tables "
            "WHERE relname = ANY(%s)",
            [list(tables)],
            primary=primary,
        )
        return dict.fromkeys(tables, 0) | dict(rows)

    def reads(self):
        """Table reads (sequential and index scans) the replica answered in the database."""
        return self.query(
            "SELECT COALESCE(sum(seq_scan + COALESCE(idx_scan, 0)), 0)::bigint "
            "FROM pg_stat_user_tables"
        )[0][0]

    def wait_for_scans(self, before, tables, timeout=30):
        """The tables of ``tables`` the replica scanned since ``before``. A backend reports its
        counts at most every few seconds while idle: wait for them."""
        deadline = time.monotonic() + timeout
        while True:
            now = self.scans(tables)
            grown = {t for t in tables if now[t] > before.get(t, 0)}
            if grown == set(tables) or time.monotonic() > deadline:
                return grown
            time.sleep(0.5)


class ReplicaServer:
    """Odoo (threaded, no cron) serving ``dbname`` from the test's configuration, its
    read-only requests sent to ``replica``; its log is kept to count Odoo's retries."""

    def __init__(self, dbname, replica):
        self.dbname = dbname
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = replica.folder.parent / f"replica-odoo-{os.getpid()}.log"
        command = [
            sys.executable,
            "-m",
            "odoo",
            "server",
            "-c",
            config["config"],
            "-d",
            dbname,
            "--db-filter",
            f"^{dbname}$",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(self.port),
            "--workers",
            "0",
            "--max-cron-threads",
            "0",
            "--db_replica_host",
            "127.0.0.1",
            "--db_replica_port",
            str(replica.port),
            "--log-level",
            "warn",
            "--logfile",
            str(self.log),
        ]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 180
        while True:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.base}/web/login", timeout=10) as response,
            ):
                if response.status == 200:
                    break
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"Odoo with a replica did not start; see {self.log}")
            time.sleep(1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def retries(self):
        """How many requests Odoo served twice (read-only first, refused, then read/write)."""
        if not self.log.exists():
            return 0
        return self.log.read_text(errors="replace").count(RETRIED)


class Browser:
    """One signed-in user of ``server``: a session made the way ``HttpCase.authenticate`` makes
    it (the password and second factor are Odoo's to check, not what these tests are about),
    saved in the session store the server reads."""

    def __init__(self, server, env, user):
        session = odoo.http.root.session_store.new()
        session.update(odoo.http.get_default_session(), db=server.dbname, _trace_disable=True)
        session.uid = user.id
        session.login = user.login
        user_env = env(user=user.id)
        session.session_token = security.compute_session_token(session, user_env)
        session.context = dict(user_env["res.users"].context_get())
        odoo.http.root.session_store.save(session)
        self.server = server
        jar = CookieJar()
        jar.set_cookie(
            Cookie(0, "session_id", session.sid, None, False, "127.0.0.1", False, False, "/",
                   True, False, None, False, None, None, {})
        )  # fmt: skip
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def open(self, path, data=None, headers=None):
        """(status, body) of ``path``."""
        request = urllib.request.Request(self.server.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def call(self, model, method, *args, **kwargs):
        """``model.method`` over ``/web/dataset/call_kw``: (True, result) or (False, message)."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        }
        status, body = self.open(
            f"/web/dataset/call_kw/{model}/{method}",
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        )
        if status != 200:
            raise AssertionError(f"HTTP {status} on {model}.{method}: {body[:500]}")
        answer = json.loads(body)
        if "error" in answer:
            return False, answer["error"]["data"]["message"]
        return True, answer["result"]
