"""The README's promises and the configuration the scripts rely on."""

import configparser
import re
import struct

from .conftest import ROOT


def quick_start_commands():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", section, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_quick_start_has_exactly_the_two_commands():
    assert quick_start_commands() == ["bin/clinic run", "bin/clinic test"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bin/clinic test" in ci
    assert "set -euo pipefail" in ci
    assert 'export CI="${CI:-true}"' in ci, "CI fails, rather than skips, tours without Chromium"


def test_odoo_conf_points_at_the_addon_and_loopback():
    config = configparser.ConfigParser()
    config.read(ROOT / "odoo.conf")
    options = config["options"]
    addons = [ROOT / path.strip() for path in options["addons_path"].split(",")]
    assert any((path / "trigger_point_clinic" / "__manifest__.py").is_file() for path in addons)
    assert options["http_interface"] == "127.0.0.1"
    assert options["http_port"] == "8069"
    assert options["data_dir"].startswith(".clinic")


def test_private_state_is_ignored_by_git():
    assert ".clinic/" in (ROOT / ".gitignore").read_text().split()


def test_readme_shows_every_screenshot_small_and_at_screen_size():
    """The README shows each PNG ``tools/screenshots.py`` writes, no stale one, each small
    enough for the repository and taken at the desktop or the phone size."""
    readme = (ROOT / "README.md").read_text()
    shown = set(re.findall(r"docs/screenshots/[\w-]+\.png", readme))
    stored = {str(path.relative_to(ROOT)) for path in (ROOT / "docs/screenshots").glob("*.png")}
    assert shown == stored
    assert len(shown) >= 5
    for name in sorted(shown):
        data = (ROOT / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        assert len(data) < 300_000, f"{name}: {len(data) // 1024} KB"
        size = struct.unpack(">II", data[16:24])
        assert size in {(1280, 800), (390, 844)}, f"{name}: {size}"
