"""Values of the built-in web test: responses, pages, issues, and the probe it talks through."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit

from breachdesk.core.errors import InvalidInputError
from breachdesk.core.finding import Severity


class Profile(StrEnum):
    """How much the web test does: ``baseline`` is light, ``full`` crawls and probes more."""

    BASELINE = "baseline"
    FULL = "full"


class OutOfScopeError(Exception):
    """A request outside the authorised origin was refused before it was sent."""


class BudgetExhaustedError(Exception):
    """The run's request budget is spent; the check that hit it is incomplete."""


class ProbeError(Exception):
    """The target could not be reached or answered garbage (connection, timeout, protocol)."""


@dataclass(frozen=True, slots=True)
class Origin:
    """The scheme, host and port the test is locked to."""

    scheme: str
    host: str
    port: int

    @classmethod
    def of(cls, url: str) -> Origin:
        """The origin of ``url``; only absolute http(s) URLs with a host are accepted."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInputError(f"{url}: not an http(s) URL with a host")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise InvalidInputError(f"{url}: invalid port") from None
        return cls(scheme, parts.hostname.lower(), port)

    def contains(self, url: str) -> bool:
        """True when ``url`` has exactly this scheme, host and port."""
        try:
            return Origin.of(url) == self
        except InvalidInputError:
            return False

    @property
    def base(self) -> str:
        """``scheme://host:port`` (IPv6 hosts bracketed)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP response as the checks see it (body capped by the probe)."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]  # names lower-cased, in order, repeats kept
    body: bytes = field(repr=False)

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k == wanted), None)

    def all(self, name: str) -> list[str]:
        """Every value of header ``name``."""
        wanted = name.lower()
        return [v for k, v in self.headers if k == wanted]

    @property
    def text(self) -> str:
        """The body decoded leniently (UTF-8, undecodable bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower-cased."""
        return (self.header("content-type") or "").split(";")[0].strip().lower()


@dataclass(frozen=True, slots=True)
class TlsReport:
    """What a TLS handshake study of the origin found."""

    protocols: tuple[str, ...]  # accepted versions, e.g. ("TLSv1", "TLSv1.2", "TLSv1.3")
    certificate_problems: tuple[str, ...]  # "expired", "self-signed", "hostname mismatch", ...


class Probe(Protocol):
    """Sends requests to one origin only, within a rate and a request budget."""

    @property
    def origin(self) -> Origin: ...
    @property
    def used(self) -> int: ...
    def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one request (never following redirects); raise when out of scope or budget."""
        ...

    def tls_report(self) -> TlsReport | None:
        """Study the origin's TLS (None for plain http)."""
        ...


@dataclass(frozen=True, slots=True)
class InjectionPoint:
    """A parameter the crawl found: a link's query parameter or a form field."""

    url: str  # without query string
    method: str
    params: tuple[tuple[str, str], ...]  # every parameter with its sample value
    name: str  # the parameter under test

    def with_value(self, value: str) -> dict[str, str]:
        """The parameters with ``name`` set to ``value``."""
        return {k: (value if k == self.name else v) for k, v in self.params}


@dataclass(frozen=True, slots=True)
class Page:
    """A crawled page with the links and forms it offered."""

    response: Response
    links: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem a check proved, with evidence that never carries personal data."""

    rule_id: str
    title: str
    severity: Severity
    url: str
    parameter: str | None
    cwe: int | None
    evidence: str


PiiDetector = Callable[[str], Sequence[str]]
"""Names of the kinds of personal data found in a text (breachdesk's own detectors)."""


@dataclass(frozen=True, slots=True)
class Site:
    """What a check works with: the probe, the crawl, the profile and the PII detector."""

    probe: Probe
    start: str
    pages: tuple[Page, ...]
    points: tuple[InjectionPoint, ...]
    profile: Profile
    detect_pii: PiiDetector


class Check(Protocol):
    """A built-in web check."""

    @property
    def name(self) -> str: ...
    @property
    def rules(self) -> tuple[str, ...]: ...
    def run(self, site: Site) -> Sequence[Issue]:
        """Every issue this check proves on the site (requests go through ``site.probe``)."""
        ...
