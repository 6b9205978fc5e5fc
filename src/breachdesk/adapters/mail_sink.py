"""The embedded mail sink: a real SMTP server on loopback writing every message to a Maildir."""

from __future__ import annotations

import mailbox
import socket
import ssl
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller

LOOPBACK = "127.0.0.1"


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


class MaildirHandler:
    """aiosmtpd handler: rejects chosen recipients with 550, files the rest in a Maildir."""

    def __init__(self, maildir: Path | None, reject: Callable[[str], bool] | None = None) -> None:
        self._box = mailbox.Maildir(maildir, create=True) if maildir is not None else None
        self._reject = reject
        self.received = 0

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        """Advertise PIPELINING: aiosmtpd reads pipelined commands in order (RFC 2920)."""
        session.host_name = hostname
        return [*responses[:-1], "250-PIPELINING", responses[-1]]

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        """Refuse the recipients the reject predicate selects (a permanent failure)."""
        if self._reject is not None and self._reject(address):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """File the message (or discard it without a Maildir) and answer with a queue id."""
        self.received += 1
        if self._box is None:
            return f"250 2.0.0 Ok: discarded {self.received}"
        key = self._box.add(envelope.original_content or envelope.content)
        return f"250 2.0.0 Ok: queued as {key}"


class MailSink:
    """Start and stop the sink from Python: ``with MailSink(dir) as sink: ... sink.port``."""

    def __init__(
        self,
        maildir: Path | None,
        *,
        host: str = LOOPBACK,
        port: int | None = None,
        reject: Callable[[str], bool] | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.maildir = maildir
        self._tls = tls_context  # offers STARTTLS when set
        self.host = host
        self.port = port or free_port(host)
        self.handler = MaildirHandler(maildir, reject)
        self._controller: Controller | None = None

    def start(self) -> Self:
        """Listen on ``host:port``."""
        if self._controller is None:
            controller = Controller(
                self.handler,
                hostname=self.host,
                port=self.port,
                ready_timeout=10.0,
                tls_context=self._tls,
            )
            controller.start()
            self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening (received mail stays in the Maildir)."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def message_ids(maildir: Path) -> list[str]:
    """The Message-ID header of every message in a Maildir (for counting deliveries)."""
    box = mailbox.Maildir(maildir, create=False)
    return [str(m["Message-ID"]) for m in box]


def self_signed_tls(directory: Path) -> ssl.SSLContext:
    """A server TLS context from a throwaway self-signed certificate for localhost.

    For the sink's STARTTLS in tests and benchmarks; writes ``cert.pem`` and ``key.pem`` into
    ``directory`` (the sink process may need to load them again).
    """
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return tls_from(directory)


def tls_from(directory: Path) -> ssl.SSLContext:
    """A server TLS context from ``cert.pem`` and ``key.pem`` in ``directory``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(directory / "cert.pem", directory / "key.pem")
    return context
