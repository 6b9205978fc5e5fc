"""The Postfix that `.ci/postfix` configures on loopback: settings from the environment, or a skip.

Tests using it skip locally with the reason unless ``BREACHDESK_TEST_SMTP_URL`` is set, and fail
when ``BREACHDESK_REQUIRE_POSTFIX=1`` (CI) but Postfix is not configured.
"""

from __future__ import annotations

import mailbox
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

URL_VAR = "BREACHDESK_TEST_SMTP_URL"
REQUIRED_VAR = "BREACHDESK_REQUIRE_POSTFIX"


@dataclass(frozen=True)
class Postfix:
    """Where the test Postfix listens, its mail domain and the two mailboxes the tests read."""

    host: str
    port: int
    domain: str  # local mail domain: bdtest+TAG@ is delivered, unknown users bounce
    maildir: Path  # the recipient bdtest's Maildir
    bounce_maildir: Path  # the sender bdsender's Maildir, where DSNs arrive

    @property
    def sender(self) -> str:
        """Envelope sender whose mailbox receives the DSNs."""
        return f"bdsender@{self.domain}"

    def recipient(self, tag: str) -> str:
        """An address delivered to the test mailbox."""
        return f"bdtest+{tag}@{self.domain}"

    def unknown(self, tag: str) -> str:
        """An address Postfix accepts, then bounces with a DSN (no such local user)."""
        return f"bd-missing-{tag}@{self.domain}"

    def deferred(self, tag: str) -> str:
        """An address Postfix accepts and keeps deferring (a delay DSN follows)."""
        return f"{tag}@defer.{self.domain}"


def postfix_or_skip() -> Postfix:
    """The configured Postfix, or skip (fail when Postfix is required)."""
    url = os.environ.get(URL_VAR)
    if not url:
        if os.environ.get(REQUIRED_VAR) == "1":
            pytest.fail(f"{REQUIRED_VAR}=1 but {URL_VAR} is not set (run .ci/postfix)")
        pytest.skip(f"no Postfix configured: run `.ci/postfix` as root and export {URL_VAR} etc.")
    parts = urlsplit(url)
    return Postfix(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 25,
        domain=os.environ.get("BREACHDESK_TEST_MAIL_DOMAIN", "breachdesk.test"),
        maildir=Path(os.environ.get("BREACHDESK_TEST_MAILDIR", "/home/bdtest/Maildir")),
        bounce_maildir=Path(
            os.environ.get("BREACHDESK_TEST_BOUNCE_MAILDIR", "/home/bdsender/Maildir")
        ),
    )


def unique_domain() -> str:
    """A Message-ID domain no other test run uses, so shared mailboxes can be filtered."""
    return f"run-{uuid.uuid4().hex[:12]}.breachdesk.test"


def wait_for_mail(
    maildir: Path, wanted: Callable[[bytes], bool], count: int, *, timeout: float = 90.0
) -> list[bytes]:
    """Messages of a Maildir that ``wanted`` selects, once ``count`` of them have arrived."""
    deadline = time.monotonic() + timeout
    seen: dict[str, bytes] = {}
    while True:
        if (maildir / "new").is_dir():
            box = mailbox.Maildir(maildir, factory=None, create=False)
            for key in box.iterkeys():
                if key not in seen:
                    try:
                        seen[key] = box.get_bytes(key)
                    except (KeyError, FileNotFoundError):
                        continue
        found = [data for data in seen.values() if wanted(data)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)
