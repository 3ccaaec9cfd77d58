#!/usr/bin/env python3
"""Take the README's screenshots of the demo clinic in headless Chromium.

    bin/clinic run                      # in another terminal: the demo on 127.0.0.1:8069
    python3 tools/screenshots.py        # writes docs/screenshots/*.png

It logs in (admin / admin by default) and passes the second factor with the code of the
demo's published authenticator secret (``--totp-secret``; README, *Sign-in policy*), opens
each screen at 1280 x 800 (the patient's intake form and the patient portal, logged in as the
demo patient ana / ana-clinic-demo, at 390 x 844, as on a phone), waits until Odoo has drawn
it, and saves a PNG under
``docs/screenshots/``, reduced to a 256-colour palette when larger than 300 KB. ``--url`` and
``--db`` point it at another server; ``--only calendar`` takes one screen. Needs Chromium and
the ``requests``, ``websocket-client`` and ``Pillow`` packages Odoo itself installs.

The demo data hold no episode of care (the tests count episodes on the demo's company): for
the therapist's outcome view and the letter, the script opens one for Ana Ribeiro, whose demo
treatment history has weeks of signed notes, when she has none, with two PSFS answers. The
letter is photographed as a PDF, its first page drawn by the pdf.js viewer Odoo ships.
"""

import argparse
import base64
import hashlib
import hmac
import io
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DESKTOP = (1280, 800)
PHONE = (390, 844)
MAX_BYTES = 300_000
BROWSERS = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")
# Odoo has drawn the action: a view is mounted and no request is pending.
# The patient portal is photographed as this demo patient (see demo/clinic_schedule_demo.xml).
PORTAL_LOGIN = "ana"
PORTAL_PASSWORD = "ana-clinic-demo"
# The demo staff's authenticator secret, published in the README (demo/clinic_signin_demo.xml).
DEMO_TOTP_SECRET = "CLINICDEMOTOTPSECRETKEY2"
PDF_VIEWER = "/web/static/lib/pdfjs/web/viewer.html?file="
BACKEND_READY = (
    "!!document.querySelector('.o_action_manager .o_view_controller') && "
    "!document.querySelector('.o_loading_indicator, .o-main-components-container .o_blockUI')"
)


def screens(odoo):
    """What to photograph: (file name, size, URL path, JavaScript true once it is drawn,
    JavaScript run before the photo)."""
    patient = odoo.ref("trigger_point_clinic.clinic_patient_farid_demo")
    # Ana's latest signed note charts two regions (neck, upper back): the body chart shows them.
    note = odoo.call(
        "clinic.treatment.note",
        "search",
        [
            ("patient_id", "=", odoo.ref("trigger_point_clinic.clinic_patient_ana_demo")),
            ("state", "=", "signed"),
            ("line_ids", "!=", False),
        ],
        limit=1,
        order="date desc",
    )
    if not note:
        raise SystemExit("the demo holds no signed note of Ana Ribeiro with charted regions")
    intake = odoo.ref("trigger_point_clinic.clinic_intake_tara_demo")
    [link] = odoo.call("clinic.intake", "read", [intake], ["access_token"])
    if not link["access_token"]:
        raise SystemExit("the demo intake of Tara Singh has no link: was it submitted?")
    action = "/odoo/action-trigger_point_clinic"
    episode = demo_episode(odoo)
    letter = f"/report/pdf/trigger_point_clinic.report_episode_letter/{episode}"
    return [
        (
            "calendar",
            DESKTOP,
            f"{action}.clinic_session_action?view_type=calendar",
            f"{BACKEND_READY} && "
            "!!document.querySelector('.o_calendar_renderer .fc-event:not(.fc-bg-event)')",
            "",
        ),
        (
            "patient_screening",
            DESKTOP,
            f"{action}.clinic_patient_action/{patient}",
            f"{BACKEND_READY} && !!document.querySelector('.o_form_view .o_notebook')",
            "document.querySelector('.o_form_view .o_notebook').scrollIntoView()",
        ),
        (
            "treatment_note",
            DESKTOP,
            f"{action}.clinic_treatment_note_action/{note[0]}",
            f"{BACKEND_READY} && !!document.querySelector('.o_form_view .o_data_row') && "
            "!!document.querySelector('.o_clinic_body_chart .o_clinic_body_chart_shape.o_charted')",
            "",
        ),
        (
            "phone_intake",
            PHONE,
            f"/clinic/intake/{intake}?access_token={link['access_token']}",
            "document.readyState === 'complete' && !!document.querySelector('form')",
            "",
        ),
        (
            "utilisation",
            DESKTOP,
            f"{action}.clinic_utilisation_action",
            f"{BACKEND_READY} && !!document.querySelector('.o_pivot table')",
            "",
        ),
        (
            "outcomes",
            DESKTOP,
            f"{action}.clinic_episode_action/{episode}",
            f"{BACKEND_READY} && !!document.querySelector('.o_clinic_outcome_chart svg')",
            "document.querySelector('.o_clinic_outcomes').scrollIntoView()",
        ),
        (
            "letter",
            DESKTOP,
            PDF_VIEWER + letter.replace("/", "%2F"),
            "!!document.querySelector('.page[data-page-number=\"1\"] canvas') && "
            "!document.querySelector('.page[data-page-number=\"1\"] .loadingIcon')",
            "",
        ),
    ]


def demo_episode(odoo):
    """Ana Ribeiro's episode of care: the open one, else one opened now over her demo weeks of
    signed notes (which join it from its start), with a PSFS at the start and one today."""
    patient = odoo.ref("trigger_point_clinic.clinic_patient_ana_demo")
    found = odoo.call("clinic.episode", "search", [("patient_id", "=", patient)], limit=1)
    if found:
        return found[0]
    [first] = odoo.call(
        "clinic.session",
        "search_read",
        [("patient_id", "=", patient), ("state", "=", "done")],
        ["local_date"],
        limit=1,
        order="start",
    )
    episode = odoo.call(
        "clinic.episode",
        "create",
        {
            "patient_id": patient,
            "complaint": "Neck pain and tension headaches after long days at the desk.",
            "planned_sessions": 8,
            "date_start": first["local_date"],
            "goal_ids": [
                (0, 0, {"activity": "Work a full day at the desk without a headache"}),
                (0, 0, {"activity": "Turn my head to check the blind spot"}),
                (0, 0, {"activity": "Carry the shopping home"}),
            ],
        },
    )
    psfs = odoo.ref("trigger_point_clinic.questionnaire_psfs")
    for scores in ((3, 2, 4), (6, 7, 6)):
        response = odoo.call(
            "clinic.questionnaire.response",
            "create",
            {"episode_id": episode, "questionnaire_id": psfs},
        )
        answers = odoo.call(
            "clinic.questionnaire.answer",
            "search",
            [("response_id", "=", response)],
            order="sequence, id",
        )
        for answer, value in zip(answers, scores, strict=False):
            odoo.call("clinic.questionnaire.answer", "write", [answer], {"value": str(value)})
        odoo.call("clinic.questionnaire.response", "action_submit", [response])
    return episode


def totp(secret, when=None):
    """The 6-digit code an authenticator app shows for ``secret`` (RFC 6238: SHA-1, 30 s), as
    Odoo's auth_totp checks it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if when is None else when) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


class Odoo:
    """A logged-in JSON-RPC session on the server."""

    def __init__(self, url, db, login, password, totp_secret=None):
        self.url = url.rstrip("/")
        self.http = requests.Session()
        result = self._rpc(
            "/web/session/authenticate", {"db": db, "login": login, "password": password}
        )
        if not result.get("uid") and totp_secret:
            self._second_factor(totp_secret)
            result = self._rpc("/web/session/get_session_info", {})
        if not result.get("uid"):
            raise SystemExit(
                f"login {login!r} refused by {self.url} (database {db!r})"
                + ("" if totp_secret else ": it asks a second factor, give --totp-secret")
            )
        self.session_id = self.http.cookies["session_id"]

    def _second_factor(self, secret):
        """The password was right and Odoo asks the second factor (auth_totp): the sign-in
        page's form, answered with the authenticator code of ``secret``."""
        page = self.http.get(self.url + "/web/login/totp")
        page.raise_for_status()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        if not csrf:
            raise SystemExit(f"{self.url}/web/login/totp shows no second-factor form")
        answer = self.http.post(
            self.url + "/web/login/totp",
            data={"csrf_token": csrf.group(1), "totp_token": totp(secret)},
            allow_redirects=False,
        )
        if answer.status_code not in (302, 303):
            raise SystemExit("the second factor was refused: is --totp-secret the user's?")

    def _rpc(self, path, params):
        response = self.http.post(
            self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params}
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise SystemExit(f"{path}: {body['error']['data']['message']}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._rpc(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        [data] = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        return data["res_id"]


class Chromium:
    """Headless Chromium driven over the DevTools protocol (one tab)."""

    def __init__(self):
        binary = next(filter(None, map(shutil.which, BROWSERS)), None)
        if not binary:
            raise SystemExit("no Chromium found: apt-get install chromium")
        self.profile = tempfile.mkdtemp(prefix="clinic-screenshots-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        port = None
        for line in self.process.stderr:
            if "DevTools listening on ws://" in line:
                port = line.split("ws://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
                break
        if not port:
            raise SystemExit("Chromium did not start its DevTools endpoint")
        pages = requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
        page = next(target for target in pages if target["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def photograph(self, url, size, ready, script, timeout=30):
        width, height = size
        phone = size == PHONE
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=phone,
        )
        self.send("Emulation.setTouchEmulationEnabled", enabled=phone)
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while not self.evaluate(ready):
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} was not drawn within {timeout} s")
            time.sleep(0.25)
        if script:
            self.evaluate(script)
        # Let animations (charts, fading dialogs) and late images settle.
        time.sleep(1.5)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        return base64.b64decode(data)

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def small_png(png):
    """The PNG as is when under MAX_BYTES, else reduced to a 256-colour palette."""
    if len(png) <= MAX_BYTES:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
        buffer, format="PNG", optimize=True
    )
    return buffer.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="clinic_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument(
        "--totp-secret",
        default=DEMO_TOTP_SECRET,
        help="the user's authenticator secret (default: the demo's published one)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", help="names of the screens to take (default: all)")
    args = parser.parse_args(argv)

    odoo = Odoo(args.url, args.db, args.login, args.password, args.totp_secret)
    browser = Chromium()
    try:
        browser.send("Page.enable")
        # Odoo's web client shows times in the browser's timezone: the clinic's, as its staff see.
        browser.send("Emulation.setTimezoneOverride", timezoneId="Europe/Paris")
        browser.send(
            "Network.setCookie",
            name="session_id",
            value=odoo.session_id,
            url=odoo.url,
            httpOnly=True,
        )
        args.out.mkdir(parents=True, exist_ok=True)
        shots = screens(odoo)
        shots.append(
            (
                "phone_portal",
                PHONE,
                "/my/clinic",
                "document.readyState === 'complete' && "
                "!!document.querySelector('.o_clinic_portal')",
                "",
            )
        )
        # In the demo patient's session, like phone_portal.
        shots.append(
            (
                "phone_today",
                PHONE,
                "/my/clinic/today",
                "document.readyState === 'complete' && !!document.querySelector('.o_clinic_today')",
                "",
            )
        )
        for name, size, path, ready, script in shots:
            if args.only and name not in args.only:
                continue
            if name in ("phone_portal", "phone_today"):
                patient = Odoo(args.url, args.db, PORTAL_LOGIN, PORTAL_PASSWORD)
                # Odoo's frontend prefers the language cookie of the admin's earlier pages to the
                # patient's own language: a patient's phone has no such cookie.
                browser.send("Network.deleteCookies", name="frontend_lang", url=odoo.url)
                browser.send(
                    "Network.setCookie",
                    name="session_id",
                    value=patient.session_id,
                    url=odoo.url,
                    httpOnly=True,
                )
            png = small_png(browser.photograph(odoo.url + path, size, ready, script))
            target = args.out / f"{name}.png"
            target.write_bytes(png)
            print(
                f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
                f"{size[0]}x{size[1]}, {len(png) // 1024} KB"
            )
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
