"""E-mail transport over SMTP: STARTTLS/TLS, auth, a connection per worker thread, domain limits."""

from __future__ import annotations

import binascii
import hashlib
import re
import smtplib
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.header import Header
from email.utils import formatdate
from pathlib import Path
from typing import Literal

from breachdesk.core.delivery import OutboxMessage, Receipt, Verdict, message_id

Security = Literal["none", "starttls", "tls"]
_ADDRESS = re.compile(r"[^\s<>\"']+@[^\s<>\"']+")


DKIM_HEADERS = ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type")


@dataclass(frozen=True, slots=True)
class DkimKey:
    """A DKIM signing identity: selector, signing domain and the PEM private key (never in repr)."""

    selector: str
    domain: str
    private_key: bytes = field(repr=False)

    @classmethod
    def from_file(cls, selector: str, domain: str, path: Path) -> DkimKey:
        """Load the PEM private key from ``path``."""
        return cls(selector, domain, path.read_bytes())


def dkim_sign(data: bytes, key: DkimKey) -> bytes:
    """``data`` with a DKIM-Signature header (rsa-sha256, relaxed/relaxed) on top."""
    import dkim  # type: ignore[import-untyped]  # optional (extra "dkim"), imported on use

    signature: bytes = dkim.sign(
        data,
        key.selector.encode(),
        key.domain.encode(),
        key.private_key,
        canonicalize=(b"relaxed", b"relaxed"),
        signature_algorithm=b"rsa-sha256",
        include_headers=[h.encode() for h in DKIM_HEADERS],
    )
    return signature + data


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to submit mail; the password never appears in repr."""

    host: str
    port: int
    sender: str
    domain: str  # right-hand side of Message-IDs
    security: Security = "none"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    per_domain: int = 8  # concurrent deliveries per recipient domain
    per_connection: int = 1_000  # messages before a connection is renewed
    verify_tls: bool = True
    dkim: DkimKey | None = None  # sign every message when set


def scrub(response: str) -> str:
    """A server response with every address replaced, safe to store and show."""
    return _ADDRESS.sub("<address>", response)[:500]


def _header(value: str) -> str:
    if value.isascii() and "\n" not in value and "\r" not in value:
        return value
    return Header(value.replace("\r", " ").replace("\n", " "), "utf-8").encode()


def _part(subtype: str, text: str) -> bytes:
    body = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return (
        f"Content-Type: text/{subtype}; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    ).encode() + body.replace(b"\n", b"\r\n")


def compose(message: OutboxMessage, settings: SmtpSettings, mid: str) -> bytes:
    """The MIME bytes of a rendered message (text, plus an HTML alternative when present).

    Built directly rather than through ``email.message``: six times faster, same wire format.
    """
    head = (
        f"From: {_header(settings.sender)}\r\nTo: {_header(message.recipient)}\r\n"
        f"Subject: {_header(message.subject)}\r\nDate: {formatdate(usegmt=True)}\r\n"
        f"Message-ID: {mid}\r\nMIME-Version: 1.0\r\n"
    ).encode()
    if not message.body_html:
        return head + _part("plain", message.body_text)
    boundary = f"=_bd_{hashlib.sha256(mid.encode()).hexdigest()[:24]}"
    return b"".join(
        (
            head,
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode(),
            f"--{boundary}\r\n".encode(),
            _part("plain", message.body_text),
            f"\r\n--{boundary}\r\n".encode(),
            _part("html", message.body_html),
            f"\r\n--{boundary}--\r\n".encode(),
        )
    )


def _verdict(code: int) -> Verdict:
    if 200 <= code < 300:
        return Verdict.ACCEPTED
    return Verdict.TEMPORARY if code < 500 else Verdict.PERMANENT


class _BeforeDataError(Exception):
    """The connection failed before the message data was sent."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


class _Session:
    """One thread's SMTP connection and how many messages it carried."""

    def __init__(self, conn: smtplib.SMTP) -> None:
        self.conn = conn
        self.sent = 0
        self.pipelining = conn.has_extn("pipelining")


_PLAIN_ADDRESS = re.compile(r"[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+")
_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)


def _plain(address: str) -> bool:
    """An ASCII address with nothing that needs quoting (no spaces, angle brackets, CR or LF)."""
    return _PLAIN_ADDRESS.fullmatch(address) is not None


def _dot_stuffed(data: bytes) -> bytes:
    """Message data ready for the wire: leading dots doubled, ended by CRLF.CRLF."""
    data = _LEADING_DOT.sub(b"..", data)
    return data + (b".\r\n" if data.endswith(b"\r\n") else b"\r\n.\r\n")


class SmtpTransport:
    """Submits e-mail over SMTP; each worker thread reuses its own connection."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sessions: list[_Session] = []
        self._domains: dict[str, threading.BoundedSemaphore] = {}
        self._context: ssl.SSLContext | None = None
        self._plain_sender = _plain(settings.sender)

    @property
    def channel(self) -> str:
        """The channel this transport serves."""
        return "email"

    def send(self, message: OutboxMessage) -> Receipt:
        """Submit one message; connection trouble is a temporary failure, never an exception."""
        mid = message_id(message.id, message.incident_id, self._settings.domain)
        data = compose(message, self._settings, mid)
        if self._settings.dkim is not None:
            data = dkim_sign(data, self._settings.dkim)
        domain = message.recipient.rpartition("@")[2].lower()
        with self._domain_slot(domain):
            for retry in (True, False):
                reused = getattr(self._local, "session", None) is not None
                try:
                    session = self._session()
                    if session.pipelining and _plain(message.recipient) and self._plain_sender:
                        return self._pipelined(session, message.recipient, data, mid)
                    return self._transmit(session, message.recipient, data, mid)
                except _BeforeDataError as exc:
                    # A stale pooled connection fails before DATA: one fresh try is safe.
                    self._drop()
                    if not (retry and reused):
                        return Receipt(Verdict.TEMPORARY, f"connection: {exc.cause}", mid)
                except smtplib.SMTPResponseException as exc:
                    self._drop()
                    return Receipt(_verdict(exc.smtp_code), scrub(_text(exc.smtp_error)), mid)
                except (OSError, smtplib.SMTPException) as exc:
                    self._drop()
                    return Receipt(Verdict.TEMPORARY, f"connection: {type(exc).__name__}", mid)
        raise AssertionError("unreachable")

    def _transmit(self, session: _Session, recipient: str, data: bytes, mid: str) -> Receipt:
        conn = session.conn
        try:
            code, resp = conn.mail(self._settings.sender)
            if code == 250:
                code, resp = conn.rcpt(recipient)
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise _BeforeDataError(type(exc).__name__) from exc
        if code not in (250, 251):
            conn.rset()
            return Receipt(_verdict(code), scrub(_text(resp)), mid)
        code, resp = conn.data(data)
        session.sent += 1
        if session.sent >= self._settings.per_connection:
            self._drop()
        return Receipt(_verdict(code), scrub(_text(resp)), mid)

    def _pipelined(self, session: _Session, recipient: str, data: bytes, mid: str) -> Receipt:
        """MAIL, RCPT and DATA in one write (RFC 2920): two round trips per message, not four."""
        conn = session.conn
        try:
            conn.send(f"MAIL FROM:<{self._settings.sender}>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n")
            replies = [conn.getreply() for _ in range(3)]
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise _BeforeDataError(type(exc).__name__) from exc
        refused = next(((c, r) for c, r in replies[:2] if c not in (250, 251)), None)
        if replies[2][0] == 354 and refused is not None:
            conn.send(b".\r\n")  # a server that opened DATA anyway: end the empty message
            conn.getreply()
        if replies[2][0] != 354 or refused is not None:
            code, resp = refused or replies[2]
            conn.rset()
            return Receipt(_verdict(code), scrub(_text(resp)), mid)
        conn.send(_dot_stuffed(data))
        code, resp = conn.getreply()
        session.sent += 1
        if session.sent >= self._settings.per_connection:
            self._drop()
        return Receipt(_verdict(code), scrub(_text(resp)), mid)

    def _session(self) -> _Session:
        session: _Session | None = getattr(self._local, "session", None)
        if session is None:
            session = _Session(self._connect())
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _tls_context(self) -> ssl.SSLContext:
        # Built once: loading the system CA bundle costs milliseconds per call.
        with self._lock:
            if self._context is None:
                context = ssl.create_default_context()
                if not self._settings.verify_tls:
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                self._context = context
            return self._context

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        context = self._tls_context() if s.security != "none" else None
        conn: smtplib.SMTP
        if s.security == "tls":
            conn = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            conn.ehlo()
            if s.security == "starttls":
                conn.starttls(context=context)
                conn.ehlo()
            if s.username:
                conn.login(s.username, s.password or "")
        except BaseException:
            conn.close()
            raise
        return conn

    def _drop(self) -> None:
        session: _Session | None = getattr(self._local, "session", None)
        self._local.session = None
        if session is None:
            return
        with self._lock:
            if session in self._sessions:
                self._sessions.remove(session)
        _quit(session.conn)

    @contextmanager
    def _domain_slot(self, domain: str) -> Iterator[None]:
        with self._lock:
            slot = self._domains.setdefault(
                domain, threading.BoundedSemaphore(self._settings.per_domain)
            )
        with slot:
            yield

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            _quit(session.conn)


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


def _quit(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (OSError, smtplib.SMTPException):
        conn.close()
