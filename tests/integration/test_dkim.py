"""DKIM signing of notices, verified with dkimpy against the public key (DNS answered locally)."""

from __future__ import annotations

import base64
import mailbox
from collections.abc import Callable
from pathlib import Path

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from tests.integration.postfix import postfix_or_skip, unique_domain, wait_for_mail

from breachdesk.adapters.mail_sink import MailSink
from breachdesk.adapters.smtp import DkimKey, SmtpSettings, SmtpTransport, compose, dkim_sign
from breachdesk.bootstrap import email_route
from breachdesk.config import Settings
from breachdesk.core.delivery import OutboxMessage, Verdict
from breachdesk.core.errors import ConfigError

SELECTOR, SIGNING_DOMAIN = "notices2026", "acme.test"


def _keys(pkcs8: bool = False) -> tuple[DkimKey, bytes]:
    """A fresh 2048-bit RSA key and the TXT record its public half would have in DNS."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    p = serialization.PrivateFormat
    fmt = p.PKCS8 if pkcs8 else p.TraditionalOpenSSL
    pem = private.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
    der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return DkimKey(SELECTOR, SIGNING_DOMAIN, pem), b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)


def _dns(record: bytes) -> Callable[..., bytes | None]:
    """A resolver answering only our selector's TXT query (no network)."""

    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        return record if name == f"{SELECTOR}._domainkey.{SIGNING_DOMAIN}.".encode() else None

    return lookup


def _message(i: int, recipient: str = "jane@example.org") -> OutboxMessage:
    body = f"Dear customer {i}, your e-mail address was exposed. Bitte ändern Sie Ihr Passwort."
    return OutboxMessage(
        id=i,
        incident_id=1,
        person_id=i,
        campaign="individuals",
        channel="email",
        recipient=recipient,
        subject="Über Ihre Daten",
        body_text=body,
        body_html=f"<p>{body}</p>",
        content_hash="0" * 64,
        template_version="email/gdpr/de@1",
        attempts=1,
    )


def test_signed_message_verifies_and_tampering_breaks_it() -> None:
    key, record = _keys()
    settings = SmtpSettings("127.0.0.1", 25, "dpo@acme.test", "notices.acme.test", dkim=key)
    signed = dkim_sign(compose(_message(1), settings, "<outbox-1.1@notices.acme.test>"), key)
    assert signed.startswith(b"DKIM-Signature:")
    assert b"d=acme.test" in signed
    assert b"s=notices2026" in signed
    assert dkim.verify(signed, dnsfunc=_dns(record))
    tampered = signed.replace(b"Dear customer 1", b"Dear customer 2")
    assert not dkim.verify(tampered, dnsfunc=_dns(record))
    assert not dkim.verify(signed.replace(b"Subject: ", b"Subject: Re: "), dnsfunc=_dns(record))
    _, other = _keys()
    assert not dkim.verify(signed, dnsfunc=_dns(other))
    assert "BEGIN" not in repr(key)


def test_messages_sent_over_smtp_arrive_signed(tmp_path: Path) -> None:
    key, record = _keys()
    with MailSink(tmp_path / "mail") as sink:
        settings = SmtpSettings("127.0.0.1", sink.port, "dpo@acme.test", "n.acme.test", dkim=key)
        transport = SmtpTransport(settings)
        assert [transport.send(_message(i)).verdict for i in range(3)] == [Verdict.ACCEPTED] * 3
        transport.close()
    received = [m.as_bytes() for m in mailbox.Maildir(tmp_path / "mail", create=False)]
    assert len(received) == 3
    assert all(dkim.verify(data, dnsfunc=_dns(record)) for data in received)


def test_signature_survives_postfix(tmp_path: Path) -> None:
    pf = postfix_or_skip()
    key, record = _keys()
    domain = unique_domain()
    transport = SmtpTransport(SmtpSettings(pf.host, pf.port, pf.sender, domain, dkim=key))
    assert transport.send(_message(1, pf.recipient("dkim"))).verdict is Verdict.ACCEPTED
    transport.close()
    [data] = wait_for_mail(pf.maildir, lambda d: domain.encode() in d, 1)
    assert data.startswith(b"Return-Path:")  # Postfix added its trace headers above ours
    assert dkim.verify(data, dnsfunc=_dns(record))


@pytest.mark.parametrize("pkcs8", [False, True])
def test_key_file_is_loaded_and_signs(tmp_path: Path, pkcs8: bool) -> None:
    key, record = _keys(pkcs8)
    path = tmp_path / "dkim.pem"
    path.write_bytes(key.private_key)
    loaded = DkimKey.from_file(SELECTOR, SIGNING_DOMAIN, path)
    assert loaded == key
    settings = SmtpSettings("127.0.0.1", 25, "dpo@acme.test", "n.acme.test")
    signed = dkim_sign(compose(_message(7), settings, "<outbox-7.1@n.acme.test>"), loaded)
    assert dkim.verify(signed, dnsfunc=_dns(record))
    with pytest.raises(FileNotFoundError):
        DkimKey.from_file(SELECTOR, SIGNING_DOMAIN, tmp_path / "missing.pem")


def test_settings_turn_signing_on_for_the_configured_route(tmp_path: Path) -> None:
    key, record = _keys()
    path = tmp_path / "dkim.pem"
    path.write_bytes(key.private_key)
    settings = Settings(
        home=tmp_path,
        smtp_from="dpo@acme.test",
        dkim_selector=SELECTOR,
        dkim_key_file=path,
    )
    with email_route(settings, tmp_path) as route:
        assert route.transport.send(_message(3)).verdict is Verdict.ACCEPTED
    [data] = [m.as_bytes() for m in mailbox.Maildir(tmp_path / "mail", create=False)]
    assert dkim.verify(data, dnsfunc=_dns(record))
    half = Settings(home=tmp_path, dkim_selector=SELECTOR)
    with pytest.raises(ConfigError, match="BREACHDESK_DKIM_KEY_FILE"), email_route(half, tmp_path):
        pass
