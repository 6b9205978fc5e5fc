"""The web test's HTTP client: one origin only, never follows redirects, rate-limited, budgeted."""

from __future__ import annotations

import socket
import ssl
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

from breachdesk.core.errors import InvalidInputError
from breachdesk.services.outbox import TokenBucket
from breachdesk.vulns.webcheck.model import (
    BudgetExhaustedError,
    Origin,
    OutOfScopeError,
    ProbeError,
    Response,
    TlsReport,
)

BODY_LIMIT = 1 << 20  # bytes kept per response; checks look at the start of pages only
USER_AGENT = "breachdesk-pentest (authorised security test)"
_VERSIONS = (
    ("TLSv1", ssl.TLSVersion.TLSv1),
    ("TLSv1.1", ssl.TLSVersion.TLSv1_1),
    ("TLSv1.2", ssl.TLSVersion.TLSv1_2),
    ("TLSv1.3", ssl.TLSVersion.TLSv1_3),
)


def parse_rate(text: str) -> float:
    """Requests per second from ``10/s``, ``600/m`` or a bare number."""
    value, _, unit = text.strip().partition("/")
    per = {"": 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0}.get(unit.strip().lower())
    try:
        rate = float(value) / per if per else -1.0
    except ValueError:
        rate = -1.0
    if rate <= 0:
        raise InvalidInputError(f"--rate {text!r}: expected a positive number like 10/s or 300/m")
    return rate


class HttpProbe:
    """Sends the test's requests to one origin; anything else is refused before it leaves."""

    def __init__(
        self,
        target: str,
        *,
        max_requests: int,
        rate: float,
        timeout: float = 10.0,
        ca_file: Path | None = None,
    ) -> None:
        self._origin = Origin.of(target)
        self._max = max_requests
        self._used = 0
        self._bucket = TokenBucket(rate, burst=1.0)
        self._timeout = timeout
        self._ca_file = ca_file
        # Certificates are judged by tls_report(); the test must still talk to broken-TLS sites.
        self._client = httpx.Client(
            verify=False,  # noqa: S501  # nosec B501 - certificates are judged by tls_report()
            follow_redirects=False,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,  # no proxy from the environment: requests go to the target only
        )

    @property
    def origin(self) -> Origin:
        """The origin the probe is locked to."""
        return self._origin

    @property
    def used(self) -> int:
        """Requests sent so far."""
        return self._used

    def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one request without credentials or cookies; never follow a redirect."""
        if not self._origin.contains(url):
            raise OutOfScopeError(f"{url}: outside the authorised origin {self._origin.base}")
        if self._used >= self._max:
            raise BudgetExhaustedError(f"request budget of {self._max} spent")
        self._used += 1
        self._bucket.take()
        try:
            with self._client.stream(
                method, url, params=dict(params or {}), data=dict(data) if data else None
            ) as r:
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk[: BODY_LIMIT - len(body)]
                    if len(body) >= BODY_LIMIT:
                        break
                headers = tuple((k.lower(), v) for k, v in r.headers.multi_items())
                response = Response(str(r.url), r.status_code, headers, bytes(body))
        except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as exc:
            raise ProbeError(f"{type(exc).__name__} on {self._origin.base}") from None
        finally:
            self._client.cookies.clear()  # every request goes out unauthenticated
        return response

    def tls_report(self) -> TlsReport | None:
        """Protocol versions the server accepts and what is wrong with its certificate."""
        if self._origin.scheme != "https":
            return None
        accepted = tuple(name for name, version in _VERSIONS if self._handshake(version))
        return TlsReport(accepted, self._certificate_problems())

    def _connect(self, context: ssl.SSLContext, hostname: str | None) -> ssl.SSLSocket:
        self._bucket.take()
        raw = socket.create_connection((self._origin.host, self._origin.port), self._timeout)
        try:
            return context.wrap_socket(raw, server_hostname=hostname)
        except BaseException:
            raw.close()
            raise

    def _handshake(self, version: ssl.TLSVersion) -> bool:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        try:
            with warnings.catch_warnings():  # offering old versions is the point of the probe
                warnings.simplefilter("ignore", DeprecationWarning)
                context.minimum_version = context.maximum_version = version
            context.set_ciphers("ALL:@SECLEVEL=0")  # so that old versions can be offered at all
        except (ValueError, ssl.SSLError):
            return False  # this OpenSSL cannot speak the version: not testable here
        try:
            with self._connect(context, self._origin.host):
                return True
        except (OSError, ssl.SSLError):
            return False

    def _certificate_problems(self) -> tuple[str, ...]:
        context = ssl.create_default_context(cafile=str(self._ca_file) if self._ca_file else None)
        try:
            with self._connect(context, self._origin.host):
                return ()
        except ssl.SSLCertVerificationError as exc:
            problems = [_label(exc.verify_message or str(exc))]
        except (OSError, ssl.SSLError):
            return ()  # no TLS handshake at all: nothing to judge here
        problems += [p for p in self._dates() if p not in problems]
        return tuple(problems)

    def _dates(self) -> list[str]:
        """Validity-period problems of the served certificate, read without verifying it."""
        from cryptography import x509

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        try:
            with self._connect(context, self._origin.host) as tls:
                der = tls.getpeercert(binary_form=True)
        except (OSError, ssl.SSLError):
            return []
        if not der:
            return []
        cert = x509.load_der_x509_certificate(der)
        now = datetime.now(UTC)
        if cert.not_valid_after_utc < now:
            return ["expired"]
        return ["not yet valid"] if cert.not_valid_before_utc > now else []

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _label(message: str) -> str:
    text = message.lower()
    for needle, label in (
        ("expired", "expired"),
        ("not yet valid", "not yet valid"),
        ("self-signed", "self-signed"),
        ("self signed", "self-signed"),
        ("hostname mismatch", "hostname mismatch"),
        ("ip address mismatch", "hostname mismatch"),
        ("local issuer", "untrusted issuer"),
    ):
        if needle in text:
            return label
    return "untrusted"
