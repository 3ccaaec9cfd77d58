"""Mail read where it arrives: ``bin/clinic test`` runs an SMTP server on 127.0.0.1 for the
suite (``CLINIC_TEST_SMTP_PORT``) and writes each message it receives as an ``.eml`` file into
``CLINIC_TEST_MAILDIR``. The tests of this mixin make Odoo really send (Odoo skips sending in
test mode) through its ordinary SMTP path, and read what the server received."""

import email
import html
import os
import re
import smtplib
import time
from email import policy
from pathlib import Path
from unittest import SkipTest
from unittest.mock import patch
from urllib.parse import urlsplit

from odoo.tools import config


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


class RealMailCase:
    """Mixin (before an Odoo test case): Odoo sends for real to the suite's SMTP server.

    Without that server the tests skip, except under CI (``CI`` set), where they fail: CI
    must have run them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        port = os.environ.get("CLINIC_TEST_SMTP_PORT")
        folder = os.environ.get("CLINIC_TEST_MAILDIR")
        problem = None
        if not (port and folder):
            problem = "no SMTP server for the tests (run them with bin/clinic test)"
        else:
            try:
                with smtplib.SMTP("127.0.0.1", int(port), timeout=5) as smtp:
                    smtp.noop()
            except OSError as exc:
                problem = f"the tests' SMTP server on 127.0.0.1:{port} does not answer: {exc}"
            if not problem and str(config.get("smtp_port")) != port:
                problem = (
                    f"Odoo sends to port {config.get('smtp_port')}, the tests' SMTP server "
                    f"listens on {port}"
                )
        if problem:
            if in_ci():
                raise RuntimeError(f"{problem}; CI is set, where the mail tests must run")
            raise SkipTest(problem)
        cls.maildir = Path(folder)
        # Odoo neither connects nor sends while a test runs (ir.mail_server._disable_send):
        # these tests send through the real path, to the server above.
        cls.startClassPatcher(
            patch.object(
                cls.registry["ir.mail_server"], "_disable_send", classmethod(lambda _cls: False)
            )
        )

    def setUp(self):
        super().setUp()
        self._mails_before = set(self._mail_files())

    def _mail_files(self):
        return sorted(path.name for path in self.maildir.glob("*.eml"))

    def received(self, to=None, count=None, wait=5.0):
        """The messages the server received since the test began (to ``to`` only, an address
        in the envelope), oldest first; with ``count``, wait up to ``wait`` seconds for them."""
        deadline = time.monotonic() + wait
        while True:
            mails = []
            for name in self._mail_files():
                if name in self._mails_before:
                    continue
                message = email.message_from_bytes(
                    (self.maildir / name).read_bytes(), policy=policy.default
                )
                if to and to.lower() not in message["X-Envelope-To"].lower():
                    continue
                mails.append(message)
            if count is None or len(mails) >= count or time.monotonic() > deadline:
                return mails
            time.sleep(0.1)

    def received_one(self, to, subject=None):
        mails = [
            mail
            for mail in self.received(to=to, count=1)
            if subject is None or subject in str(mail["Subject"])
        ]
        everything = [(m["X-Envelope-To"], str(m["Subject"])) for m in self.received()]
        self.assertEqual(
            len(mails), 1, f"one mail to {to} ({subject}): {len(mails)}; received: {everything}"
        )
        return mails[0]

    @staticmethod
    def html_of(message):
        part = message.get_body(preferencelist=("html", "plain"))
        return part.get_content() if part else ""

    def links(self, message, contains=""):
        """The links of ``message``'s HTML body (unescaped) that contain ``contains``."""
        hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', self.html_of(message))]
        return [href for href in hrefs if contains in href]

    def open_link(self, url, **kwargs):
        """Open a link of a received mail on the test server (the mail names the database's
        base URL; the path and query are what matter)."""
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.url_open(path, **kwargs)
