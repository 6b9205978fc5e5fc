"""Normalised security findings: one shape for every scanner, the store and the re-test loop.

Fingerprint recipe (version ``v1``), the identity of "the same flaw" across tools and re-imports:

    sha256("v1" "\\n" location_key "\\n" weakness_key)

``location_key`` (``Location.key``):
  - file     ``file:<path>:<line>``; backslashes become ``/``, ``file://``, ``./`` and leading
             ``/`` are dropped, ``..`` segments resolved; no line -> ``file:<path>``.
  - url      ``url:<scheme>://<host>[:port]<path>#<parameter>``; scheme and host lower-cased,
             default ports (80/443) dropped, query and fragment dropped, trailing ``/`` dropped.
  - host     ``host:<host>:<port>/<protocol>``; host lower-cased, protocol defaults to ``tcp``.
  - package  ``pkg:<name>@<version>``; name lower-cased with runs of ``-_.`` made one ``-``
             (PEP 503), so ``Django``/``django`` from pip-audit, osv-scanner and trivy meet.
  - none     ``none:<tool>`` (findings about a whole target).

``weakness_key`` (first that applies):
  1. the lowest CVE id (``cve:CVE-2023-1234``): advisories for one package or URL, from any tool;
  2. for package locations, the tool's advisory id (``adv:GHSA-...``);
  3. the lowest canonical CWE (``cwe:89``): CWE ids are first folded onto a common parent
     (``CANONICAL_CWE``) so bandit's CWE-89 and a semgrep rule's CWE-564 agree; classes too
     broad to name one flaw (``GENERIC_CWE``: 16, 20, 200, 693, ...) are not used;
  4. ``rule:<tool>:<rule id>`` when the tool names no (specific) weakness.

Lines are part of a file location, so a flaw moved by an edit elsewhere in the file is a new
finding (and the old one is closed by the re-import that proves it gone): stable re-imports of
an unchanged tree, never silent merging of two different places.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NewType
from urllib.parse import urlsplit

from breachdesk.core.clock import iso

FINGERPRINT_VERSION = "v1"
EVIDENCE_LIMIT = 500


class Severity(StrEnum):
    """Normalised severity, most severe first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """4 for critical down to 0 for info: larger is worse."""
        return _RANK[self]

    @classmethod
    def parse(cls, text: str | None) -> Severity | None:
        """A severity from common scanner words (``error``, ``moderate``, ``informational``...)."""
        if text is None:
            return None
        return _WORDS.get(text.strip().lower())


_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}
_WORDS = {
    "critical": Severity.CRITICAL,
    "crit": Severity.CRITICAL,
    "very high": Severity.CRITICAL,
    "high": Severity.HIGH,
    "error": Severity.HIGH,
    "severe": Severity.HIGH,
    "important": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "moderate": Severity.MEDIUM,
    "warning": Severity.MEDIUM,
    "warn": Severity.MEDIUM,
    "med": Severity.MEDIUM,
    "low": Severity.LOW,
    "minor": Severity.LOW,
    "note": Severity.LOW,
    "info": Severity.INFO,
    "informational": Severity.INFO,
    "information": Severity.INFO,
    "none": Severity.INFO,
    "unknown": Severity.INFO,
    "negligible": Severity.INFO,
}


class FindingStatus(StrEnum):
    """Where a finding stands in its workflow."""

    OPEN = "open"
    FIXED = "fixed"
    REOPENED = "reopened"
    ACCEPTED = "accepted"
    FALSE_POSITIVE = "false_positive"

    @property
    def active(self) -> bool:
        """Open or reopened: still needs a fix, counts for SLA and re-test."""
        return self in (FindingStatus.OPEN, FindingStatus.REOPENED)

    @classmethod
    def parse(cls, text: str) -> FindingStatus:
        """A status from user text (``false-positive`` and ``false_positive`` both work)."""
        return cls(text.strip().lower().replace("-", "_"))


class LocationKind(StrEnum):
    """What a finding's location points at."""

    FILE = "file"
    URL = "url"
    HOST = "host"
    PACKAGE = "package"
    NONE = "none"


# Child weaknesses folded onto the parent most tools report, so two tools agree on one flaw.
CANONICAL_CWE: dict[int, int] = {
    80: 79,  # XSS variants
    83: 79,
    84: 79,
    85: 79,
    86: 79,
    87: 79,
    564: 89,  # SQL injection through an ORM / Hibernate
    943: 89,
    77: 78,  # command injection
    88: 78,
    23: 22,  # path traversal variants
    36: 22,
    73: 22,
    259: 798,  # hard-coded password / key -> hard-coded credentials
    321: 798,
    328: 327,  # weak hash / crypto
    916: 327,
    1004: 614,  # cookie without HttpOnly / Secure
    319: 311,  # cleartext transmission -> missing encryption
}

# Classes so broad that two different flaws at one place share them (ZAP files both "CSP header
# not set" and "X-Content-Type-Options missing" under CWE-693): they never identify a weakness.
GENERIC_CWE: frozenset[int] = frozenset({16, 20, 200, 284, 664, 668, 693, 710})


def canonical_cwe(cwe: int) -> int:
    """The parent CWE a child is folded onto for de-duplication (itself when none)."""
    return CANONICAL_CWE.get(cwe, cwe)


_PKG_SEP = re.compile(r"[-_.]+")
_CVE = re.compile(r"CVE-\d{4}-\d{4,}", re.IGNORECASE)
_CWE = re.compile(r"CWE[-_ :]?(\d{1,5})", re.IGNORECASE)


def cve_ids(*texts: str | None) -> tuple[str, ...]:
    """Every CVE id mentioned in the texts, upper-cased, sorted, unique."""
    found = {m.group().upper() for t in texts if t for m in _CVE.finditer(t)}
    return tuple(sorted(found, key=_cve_order))


def cwe_ids(*texts: str | int | None) -> tuple[int, ...]:
    """Every CWE number in the texts (``CWE-89``, ``cwe_89``, ``89``), sorted, unique."""
    found: set[int] = set()
    for t in texts:
        if isinstance(t, int):
            found.add(t)
        elif t:
            found.update(int(m.group(1)) for m in _CWE.finditer(t))
            if t.strip().isdigit():
                found.add(int(t.strip()))
    return tuple(sorted(n for n in found if n > 0))


def _cve_order(cve: str) -> tuple[int, int]:
    _, year, number = cve.split("-")
    return int(year), int(number)


def normalise_path(path: str) -> str:
    """A file path as the fingerprint sees it (see the module docstring)."""
    text = path.strip().replace("\\", "/")
    if text.lower().startswith("file://"):
        text = text[7:]
    text = posixpath.normpath(text) if text else text
    while text.startswith(("./", "/")):
        text = text[2:] if text.startswith("./") else text[1:]
    return "" if text == "." else text


def normalise_package(name: str) -> str:
    """A package name in PEP 503 form (lower case, one ``-`` for runs of ``-_.``)."""
    return _PKG_SEP.sub("-", name.strip()).lower()


def normalise_url(url: str) -> str:
    """A URL as the fingerprint sees it: no query or fragment, default port and last ``/`` gone."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = posixpath.normpath(parts.path) if parts.path else "/"
    path = path.rstrip("/") or "/"
    if path == "/":
        path = ""
    return f"{scheme}://{host}{path}" if scheme else f"{host}{path}"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is: a file line, a URL parameter, a host port or a package version."""

    kind: LocationKind
    path: str | None = None
    line: int | None = None
    url: str | None = None
    parameter: str | None = None
    host: str | None = None
    port: int | None = None
    protocol: str | None = None
    package: str | None = None
    version: str | None = None

    @classmethod
    def file(cls, path: str, line: int | None = None) -> Location:
        """A place in a source file (1-based line)."""
        return cls(LocationKind.FILE, path=path, line=line if line and line > 0 else None)

    @classmethod
    def web(cls, url: str, parameter: str | None = None) -> Location:
        """A URL, optionally one of its parameters."""
        return cls(LocationKind.URL, url=url, parameter=parameter or None)

    @classmethod
    def network(cls, host: str, port: int | None = None, protocol: str | None = None) -> Location:
        """A host, optionally one port and protocol."""
        return cls(LocationKind.HOST, host=host, port=port, protocol=protocol)

    @classmethod
    def dependency(
        cls, package: str, version: str | None = None, path: str | None = None
    ) -> Location:
        """A package at a version, optionally with the manifest or image it was found in.

        ``path`` is shown but not part of the fingerprint, so tools that name the manifest
        differently (or not at all) still agree on the package.
        """
        return cls(LocationKind.PACKAGE, package=package, version=version, path=path)

    @classmethod
    def nowhere(cls) -> Location:
        """A finding about the target as a whole."""
        return cls(LocationKind.NONE)

    def key(self, tool: str) -> str:
        """The normalised location that goes into the fingerprint."""
        match self.kind:
            case LocationKind.FILE:
                path = normalise_path(self.path or "")
                return f"file:{path}:{self.line}" if self.line else f"file:{path}"
            case LocationKind.URL:
                return f"url:{normalise_url(self.url or '')}#{self.parameter or ''}"
            case LocationKind.HOST:
                proto = (self.protocol or "tcp").lower()
                return f"host:{(self.host or '').strip().lower()}:{self.port or ''}/{proto}"
            case LocationKind.PACKAGE:
                version = (self.version or "").strip()
                return f"pkg:{normalise_package(self.package or '')}@{version}"
            case LocationKind.NONE:
                return f"none:{tool}"

    def describe(self) -> str:
        """Human-readable location (``app.py:12``, ``https://x/login [user]``, ``pkg@1.0``)."""
        match self.kind:
            case LocationKind.FILE:
                return f"{self.path}:{self.line}" if self.line else f"{self.path}"
            case LocationKind.URL:
                url = self.url or "(URL not in report)"
                return f"{url} [{self.parameter}]" if self.parameter else url
            case LocationKind.HOST:
                port = f":{self.port}" if self.port is not None else ""
                proto = f"/{self.protocol}" if self.protocol else ""
                return f"{self.host}{port}{proto}"
            case LocationKind.PACKAGE:
                text = f"{self.package}@{self.version}" if self.version else f"{self.package}"
                return f"{text} ({self.path})" if self.path else text
            case LocationKind.NONE:
                return "-"


@dataclass(frozen=True, slots=True)
class Finding:
    """One flaw reported by one tool, normalised; ``evidence`` is short and secret-free."""

    title: str
    tool: str
    rule_id: str
    severity: Severity
    location: Location
    cwe: tuple[int, ...] = ()
    cve: tuple[str, ...] = ()
    cvss_vector: str | None = None
    cvss_score: float | None = None
    description: str = ""
    evidence: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if len(self.evidence) > EVIDENCE_LIMIT:
            object.__setattr__(self, "evidence", self.evidence[: EVIDENCE_LIMIT - 1] + "…")

    @property
    def weakness_key(self) -> str:
        """What is wrong, tool-independently where the tool says (see the module docstring)."""
        if self.cve:
            return f"cve:{min(self.cve, key=_cve_order)}"
        if self.location.kind is LocationKind.PACKAGE and self.rule_id:
            return f"adv:{self.rule_id.strip().upper()}"
        specific = [canonical_cwe(c) for c in self.cwe if canonical_cwe(c) not in GENERIC_CWE]
        if specific:
            return f"cwe:{min(specific)}"
        return f"rule:{self.tool}:{self.rule_id}"

    @property
    def fingerprint(self) -> str:
        """Stable identity of the flaw across re-imports and tools (SHA-256 hex)."""
        text = f"{FINGERPRINT_VERSION}\n{self.location.key(self.tool)}\n{self.weakness_key}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Skipped:
    """Part of a scanner report that could not be read; the reason names a location, not values."""

    source: str
    location: str
    reason: str

    def describe(self) -> str:
        """``report.json: results[3]: reason``."""
        return (
            f"{self.source}: {self.location}: {self.reason}"
            if self.location
            else (f"{self.source}: {self.reason}")
        )


ImportItem = Finding | Skipped


FindingId = NewType("FindingId", int)
FindingScanId = NewType("FindingScanId", int)


@dataclass(frozen=True, slots=True)
class FindingScan:
    """One imported report (or built-in test run): its tool, scope label and evidence file."""

    id: FindingScanId
    incident_id: int
    tool: str
    label: str
    evidence_id: int | None
    imported_at: datetime
    imported_by: str
    findings: int
    skipped: int

    def state(self) -> dict[str, Any]:
        """Canonical fields for the audit digest."""
        return {
            "id": self.id,
            "tool": self.tool,
            "label": self.label,
            "evidence_id": self.evidence_id,
            "imported_at": iso(self.imported_at),
            "imported_by": self.imported_by,
            "findings": self.findings,
            "skipped": self.skipped,
        }


@dataclass(frozen=True, slots=True)
class StoredFinding:
    """A de-duplicated finding of an incident with its workflow state."""

    id: FindingId
    incident_id: int
    fingerprint: str
    finding: Finding
    status: FindingStatus
    due_at: datetime | None
    first_seen_at: datetime
    opened_at: datetime  # first seen, or last reopened: the SLA clock starts here
    last_seen_at: datetime
    first_scan_id: int
    last_scan_id: int
    fixed_by_scan_id: int | None = None
    fixed_at: datetime | None = None
    recurring: bool = False
    root_cause: bool = False
    note: str | None = None
    accepted_until: datetime | None = None
    tools: tuple[str, ...] = ()

    def overdue(self, now: datetime) -> bool:
        """Still active and past its due date."""
        return self.status.active and self.due_at is not None and self.due_at < now

    def state(self) -> dict[str, Any]:
        """Canonical fields for the audit digest."""
        f = self.finding
        return {
            "id": self.id,
            "fingerprint": self.fingerprint,
            "severity": f.severity.value,
            "title": f.title,
            "status": self.status.value,
            "due_at": iso(self.due_at) if self.due_at else None,
            "first_seen_at": iso(self.first_seen_at),
            "opened_at": iso(self.opened_at),
            "last_seen_at": iso(self.last_seen_at),
            "last_scan_id": self.last_scan_id,
            "fixed_by_scan_id": self.fixed_by_scan_id,
            "recurring": self.recurring,
            "root_cause": self.root_cause,
            "note": self.note,
            "accepted_until": iso(self.accepted_until) if self.accepted_until else None,
            "tools": list(self.tools),
        }


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A finding as one scan reported it (how many times, by which tool and rule)."""

    scan_id: int
    finding_id: int
    tool: str
    rule_id: str
    severity: Severity
    location: str
    count: int
