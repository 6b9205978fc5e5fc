"""The hand-built MIME of outgoing mail parses back to the same headers and bodies."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from breachdesk.adapters.smtp import SmtpSettings, compose, scrub
from breachdesk.core.delivery import OutboxMessage


def _message(html: str | None) -> OutboxMessage:
    return OutboxMessage(
        id=1,
        incident_id=2,
        person_id=None,
        campaign="c",
        channel="email",
        recipient="a@b.test",
        subject="Über Ihre Daten \u2013 wichtig\nBcc: x@y.test",
        body_text="Hallo Jürgen,\n.leading dot\n" + "x" * 200 + "\n",
        body_html=html,
        content_hash="h",
        template_version="t",
        attempts=1,
    )


def _parse(data: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_multipart_round_trip() -> None:
    data = compose(
        _message("<p>Hallo Jürgen</p>"), SmtpSettings("h", 25, "dpo@acme.test", "d"), "<m@d>"
    )
    parsed = _parse(data)
    assert parsed["Message-ID"] == "<m@d>"
    assert parsed["Bcc"] is None  # a newline in the subject cannot inject a header
    assert parsed["Subject"].startswith("Über Ihre Daten")
    assert parsed.get_content_type() == "multipart/alternative"
    plain = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert plain.get_content().replace("\r\n", "\n") == _message(None).body_text
    assert html.get_content().strip() == "<p>Hallo Jürgen</p>"


def test_text_only() -> None:
    parsed = _parse(compose(_message(None), SmtpSettings("h", 25, "s@d.test", "d"), "<m@d>"))
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content().replace("\r\n", "\n") == _message(None).body_text


def test_scrub_removes_addresses() -> None:
    assert scrub("550 5.1.1 <jo@example.org>: Recipient address rejected") == (
        "550 5.1.1 <<address>>: Recipient address rejected"
    )
