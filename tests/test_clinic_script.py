"""bin/clinic as a new user meets it: what it says when Odoo or Chromium is missing, and the
private PostgreSQL it starts when no server answers."""

import os
import shutil
import subprocess
import sys
import tempfile
import venv

import psycopg2
import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def python_without_odoo():
    """A Python that cannot import odoo: a bare virtual environment."""
    folder = tempfile.mkdtemp(prefix="clinic-noodoo-")
    venv.EnvBuilder(with_pip=False).create(folder)
    yield os.path.join(folder, "bin", "python")
    shutil.rmtree(folder, ignore_errors=True)


def run_script(python, command, env):
    return subprocess.run(
        [python, str(ROOT / "bin" / "clinic"), command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("command", ["run", "test"])
def test_commands_stop_at_once_without_odoo(python_without_odoo, command):
    env = {k: v for k, v in os.environ.items() if k not in ("ODOO_PATH", "PYTHONPATH")}
    result = run_script(python_without_odoo, command, env)
    assert result.returncode == 1
    assert "Odoo 19.0 was not found" in result.stderr
    assert "ODOO_PATH" in result.stderr
    assert "pip install" in result.stderr


def test_odoo_path_that_is_not_odoo_is_named(python_without_odoo, tmp_path):
    result = run_script(python_without_odoo, "test", dict(os.environ, ODOO_PATH=str(tmp_path)))
    assert result.returncode == 1
    assert f"ODOO_PATH={tmp_path} does not hold an Odoo tree" in result.stderr


def test_odoo_path_is_used(clinic_script, tmp_path):
    """An Odoo tree named by ODOO_PATH is what the commands import (a fake 19.0 tree here)."""
    (tmp_path / "odoo").mkdir()
    (tmp_path / "odoo" / "__init__.py").write_text("")
    (tmp_path / "odoo" / "release.py").write_text("version_info = (19, 0, 0, 'final', 0, '')\n")
    os.environ["ODOO_PATH"] = str(tmp_path)
    try:
        env = clinic_script.odoo_environment()
    finally:
        del os.environ["ODOO_PATH"]
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path)


def test_wrong_odoo_version_is_named(clinic_script, tmp_path):
    (tmp_path / "odoo").mkdir()
    (tmp_path / "odoo" / "__init__.py").write_text("")
    (tmp_path / "odoo" / "release.py").write_text("version_info = (17, 0, 0, 'final', 0, '')\n")
    os.environ["ODOO_PATH"] = str(tmp_path)
    try:
        with pytest.raises(clinic_script.ClinicError, match="Odoo 17 was found"):
            clinic_script.odoo_environment()
    finally:
        del os.environ["ODOO_PATH"]


def test_private_cluster_when_no_server_answers(clinic_script):
    """No server at PGHOST/PGPORT: a private cluster is made, answers, and is stopped after."""
    folder = ROOT / ".clinic" / f"pg-selftest-{os.getpid()}"
    dead = dict(os.environ, PGHOST="127.0.0.1", PGPORT=str(clinic_script.free_port()))
    assert not clinic_script.server_answers(dead)
    try:
        with clinic_script.database_environment(dead, folder=folder) as env:
            assert env["PGPORT"] != dead["PGPORT"]
            assert env["PGUSER"] == clinic_script.CLUSTER_USER
            conn = psycopg2.connect(
                dbname="postgres", host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"]
            )
            with conn.cursor() as cr:
                cr.execute("SELECT current_setting('data_directory')")
                assert cr.fetchone()[0] == str(folder)
            conn.close()
            assert (folder / "postmaster.pid").exists()
        # Stopped on exit: nothing answers on its port and the server's lock file is gone.
        assert not clinic_script.server_answers(env), "the private PostgreSQL was left running"
        assert not (folder / "postmaster.pid").exists()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_server_that_answers_is_used_as_is(clinic_script):
    env = dict(os.environ)
    if not clinic_script.server_answers(env):
        pytest.skip("the suite itself runs on the private cluster")
    with clinic_script.database_environment(env) as used:
        assert used is env


def test_replica_tests_run_again_on_the_projects_own_cluster(clinic_script):
    """The read-replica tests copy the cluster itself: on a server the PG* variables name they
    skip, so the whole suite (and a run naming them) runs them again on bin/clinic's own
    cluster; a run of other files or a -k selection does not."""
    replica = "addons/trigger_point_clinic/tests/test_replica.py"
    assert clinic_script.own_cluster_pass([]) == [replica]
    assert clinic_script.own_cluster_pass(["-q", "-p", "no:cacheprovider"]) == [
        "-q",
        "-p",
        "no:cacheprovider",
        replica,
    ]
    assert clinic_script.own_cluster_pass([f"{replica}::TestReplica", "-q"]) == [
        f"{replica}::TestReplica",
        "-q",
    ]
    assert clinic_script.own_cluster_pass(["addons/x/tests/test_desk.py"]) is None
    assert clinic_script.own_cluster_pass(["-k", "screening"]) is None


def test_private_cluster_on_request_even_when_a_server_answers(clinic_script):
    """database_environment(private=True) starts the project's own cluster whatever PG* name."""
    folder = ROOT / ".clinic" / f"pg-selftest-private-{os.getpid()}"
    try:
        with clinic_script.database_environment(
            dict(os.environ), folder=folder, private=True
        ) as env:
            assert env["CLINIC_PRIVATE_CLUSTER"] == str(folder)
            assert clinic_script.server_answers(env)
        assert not clinic_script.server_answers(env), "the private PostgreSQL was left running"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_lint_names_file_and_line_of_broken_xml(clinic_script, monkeypatch, tmp_path):
    addon = tmp_path / "addons" / "broken"
    addon.mkdir(parents=True)
    (addon / "views.xml").write_text('<?xml version="1.0"?>\n<odoo>\n  <record>\n</odoo>\n')
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setattr(clinic_script, "ROOT", tmp_path)
    with pytest.raises(clinic_script.ClinicError, match=r"addons/broken/views.xml:4: invalid XML"):
        clinic_script.lint()


def test_lint_fails_on_pylint_odoos_mandatory_checks(clinic_script, monkeypatch, tmp_path, capfd):
    """An append-only override that forgets super() is what pylint-odoo's method-required-super
    catches: the lint stops and names the file and line."""
    addon = tmp_path / "addons" / "sloppy"
    (addon / "models").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(
        '{"name": "Sloppy", "version": "19.0.1.0.0", "license": "LGPL-3",\n"author": "Us",'
        ' "depends": ["base"]}\n'
    )
    (addon / "README.rst").write_text("Sloppy\n======\n")
    (addon / "__init__.py").write_text("from . import models\n")
    (addon / "models" / "__init__.py").write_text("from . import sloppy\n")
    (addon / "models" / "sloppy.py").write_text(
        "from odoo import models\n\n\nclass Sloppy(models.Model):\n"
        '    _name = "sloppy.thing"\n    _description = "Sloppy"\n\n'
        "    def unlink(self):\n        return True\n"
    )
    for config in ("pyproject.toml", ".pylintrc-mandatory"):
        shutil.copy(ROOT / config, tmp_path)
    # Tidy for ruff, which runs first: only pylint-odoo is to find something here.
    for args in (["format", "-q", "."], ["check", "--fix", "-q", "."]):
        subprocess.run([sys.executable, "-m", "ruff", *args], cwd=tmp_path, check=True)
    monkeypatch.setattr(clinic_script, "ROOT", tmp_path)
    with pytest.raises(clinic_script.ClinicError, match="pylint-odoo's mandatory checks failed"):
        clinic_script.lint()
    assert (
        "addons/sloppy/models/sloppy.py:8: [W8106(method-required-super)" in capfd.readouterr().out
    )


def test_ci_stops_when_no_chromium_would_run_the_tours(tmp_path):
    """Odoo skips a browser tour when it finds no Chromium; in CI that must fail the run."""
    env = dict(os.environ, PATH=str(tmp_path), CI="true")
    result = run_script(sys.executable, "test", env)
    assert result.returncode == 1
    assert "no Chromium found" in result.stderr
    assert "apt-get install chromium" in result.stderr
    assert "lint:" not in result.stdout, "it stops before doing anything else"


def test_without_chromium_outside_ci_the_way_to_get_it_is_said(clinic_script, tmp_path, capsys):
    clinic_script.check_browser({"PATH": str(tmp_path)})
    out = capsys.readouterr().out
    assert "warning: no Chromium found" in out
    assert "apt-get install chromium" in out


def test_chromium_on_path_is_the_one_named(clinic_script, tmp_path, capsys):
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    clinic_script.check_browser({"PATH": str(tmp_path), "CI": "true"})
    assert f"browser tours run in {browser}" in capsys.readouterr().out


def test_the_suites_mail_server_keeps_each_message_for_the_tests(clinic_script):
    """bin/clinic test serves SMTP on 127.0.0.1 for the suite: a message sent to it is an .eml
    file in CLINIC_TEST_MAILDIR (envelope first), and the folder goes with the server."""
    import email
    import smtplib
    from pathlib import Path

    with clinic_script.mail_server() as variables:
        folder = Path(variables["CLINIC_TEST_MAILDIR"])
        port = int(variables["CLINIC_TEST_SMTP_PORT"])
        with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
            smtp.sendmail(
                "desk@clinic.example.com",
                ["ada@patient.example.com"],
                "Subject: Your intake\r\n\r\nhttp://x/clinic/intake/1?access_token=t\r\n",
            )
        (received,) = folder.glob("*.eml")
        message = email.message_from_bytes(received.read_bytes())
        assert message["X-Envelope-To"] == "ada@patient.example.com"
        assert message["Subject"] == "Your intake"
        config = clinic_script.test_config(smtp_port=port)
        try:
            text = config.read_text()
        finally:
            config.unlink()
        assert "smtp_server = 127.0.0.1" in text
        assert f"smtp_port = {port}" in text
    assert not folder.exists()
    with pytest.raises(OSError):
        smtplib.SMTP("127.0.0.1", port, timeout=2)
