"""SMTP transport against the real aiosmtpd sink: STARTTLS, reconnects, per-domain limits."""

from __future__ import annotations

from pathlib import Path

from breachdesk.adapters.mail_sink import MailSink, message_ids, self_signed_tls
from breachdesk.adapters.smtp import Security, SmtpSettings, SmtpTransport
from breachdesk.core.delivery import OutboxMessage, Verdict


def _message(i: int) -> OutboxMessage:
    return OutboxMessage(
        id=i,
        incident_id=9,
        person_id=None,
        campaign="c",
        channel="email",
        recipient=f"p{i}@example.org",
        subject="s",
        body_text="b",
        body_html=None,
        content_hash="h",
        template_version="t",
        attempts=1,
    )


def _transport(port: int, security: Security = "none") -> SmtpTransport:
    settings = SmtpSettings(
        "127.0.0.1", port, "dpo@acme.test", "x.test", security, verify_tls=False
    )
    return SmtpTransport(settings)


def test_starttls_delivery(tmp_path: Path) -> None:
    with MailSink(tmp_path / "mail", tls_context=self_signed_tls(tmp_path)) as sink:
        transport = _transport(sink.port, "starttls")
        receipt = transport.send(_message(1))
        transport.close()
    assert receipt.verdict is Verdict.ACCEPTED
    assert message_ids(tmp_path / "mail") == ["<outbox-1.9@x.test>"]


def test_stale_pooled_connection_is_renewed(tmp_path: Path) -> None:
    sink = MailSink(tmp_path / "mail").start()
    transport = _transport(sink.port)
    assert transport.send(_message(1)).verdict is Verdict.ACCEPTED
    sink.stop()  # the pooled connection dies with the server
    sink.start()
    assert transport.send(_message(2)).verdict is Verdict.ACCEPTED
    transport.close()
    sink.stop()
    assert sorted(message_ids(tmp_path / "mail")) == ["<outbox-1.9@x.test>", "<outbox-2.9@x.test>"]


def test_server_gone_is_temporary(tmp_path: Path) -> None:
    sink = MailSink(tmp_path / "mail").start()
    transport = _transport(sink.port)
    sink.stop()
    receipt = transport.send(_message(1))
    assert receipt.verdict is Verdict.TEMPORARY
    assert receipt.response.startswith("connection: ")
