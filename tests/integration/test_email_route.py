"""The e-mail route of `notify send/test`: the configured SMTP server, else the embedded sink."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from breachdesk.adapters.mail_sink import MailSink, message_ids
from breachdesk.bootstrap import email_route
from breachdesk.config import Settings
from breachdesk.core.delivery import OutboxMessage, Verdict


def _message(n: int) -> OutboxMessage:
    return OutboxMessage(
        id=n,
        incident_id=7,
        person_id=None,
        campaign="test",
        channel="email",
        recipient="qa@internal.test",
        subject="Route check",
        body_text="text",
        body_html=None,
        content_hash="0" * 64,
        template_version="v",
        attempts=1,
    )


def test_without_smtp_settings_the_embedded_sink_files_into_the_workspace(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    with email_route(Settings(home=home, smtp_from="dpo@acme.test"), home) as route:
        receipt = route.transport.send(_message(1))
    assert receipt.verdict is Verdict.ACCEPTED
    assert route.maildir == home / "mail"
    assert message_ids(home / "mail") == ["<outbox-1.7@acme.test>"]


def test_configured_smtp_server_receives_the_mail(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    with MailSink(tmp_path / "server") as server:
        settings = Settings(
            home=home,
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_from="dpo@acme.test",
            smtp_domain="mail.acme.test",
            smtp_password=SecretStr("never-shown"),
        )
        with email_route(settings, home) as route:
            receipt = route.transport.send(_message(2))
    assert receipt.verdict is Verdict.ACCEPTED
    assert route.maildir is None
    assert route.description == f"127.0.0.1:{server.port}"
    assert message_ids(tmp_path / "server") == ["<outbox-2.7@mail.acme.test>"]
    assert not (home / "mail").exists()
    assert "never-shown" not in repr(settings)
