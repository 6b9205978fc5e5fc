"""Files that should never be served: VCS metadata, environment files, backups, status pages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import Issue, Site

RULE = "web.exposed-file"


@dataclass(frozen=True, slots=True)
class _Candidate:
    path: str
    signature: re.Pattern[bytes]  # proves the content, so catch-all "200 OK" pages do not count
    what: str
    severity: Severity
    cwe: int


def _c(path: str, pattern: bytes, what: str, severity: Severity, cwe: int) -> _Candidate:
    return _Candidate(path, re.compile(pattern, re.IGNORECASE | re.MULTILINE), what, severity, cwe)


_DUMP = rb"(CREATE TABLE|INSERT INTO|-- MySQL dump|PostgreSQL database dump)"
_H, _M = Severity.HIGH, Severity.MEDIUM
CANDIDATES: tuple[_Candidate, ...] = (
    _c("/.git/HEAD", rb"\Aref: refs/|\A[0-9a-f]{40}\s*\Z", "Git metadata", _H, 527),
    _c("/.git/config", rb"^\[core\]", "Git metadata", _H, 527),
    _c("/.env", rb"^[A-Z][A-Z0-9_]*=", "environment file", _H, 538),
    _c("/.env.bak", rb"^[A-Z][A-Z0-9_]*=", "environment file", _H, 538),
    _c("/backup.sql", _DUMP, "database dump", _H, 530),
    _c("/dump.sql", _DUMP, "database dump", _H, 530),
    _c("/db.sql", _DUMP, "database dump", _H, 530),
    _c("/database.sql", _DUMP, "database dump", _H, 530),
    _c("/backup.zip", rb"\APK\x03\x04", "backup archive", _H, 530),
    _c("/backup.tar.gz", rb"\A\x1f\x8b", "backup archive", _H, 530),
    _c("/server-status", rb"Apache Server Status|Server uptime", "server status page", _M, 200),
    _c("/server-info", rb"Apache Server Information", "server information page", _M, 200),
    _c("/phpinfo.php", rb"phpinfo\(\)|<title>PHP \d", "phpinfo page", _M, 200),
    _c("/.DS_Store", rb"\A\x00\x00\x00\x01Bud1", "Finder metadata", Severity.LOW, 538),
)
BASELINE_PATHS = frozenset(
    {"/.git/HEAD", "/.env", "/backup.sql", "/dump.sql", "/backup.zip", "/server-status"}
)


class ExposedFilesCheck:
    """Request well-known sensitive paths; report those whose content proves what they are."""

    name = "exposed-files"
    rules = (RULE,)

    def run(self, site: Site) -> Sequence[Issue]:
        """One issue per exposed file (``baseline`` tries the most common paths only)."""
        base = site.probe.origin.base
        issues = []
        for candidate in CANDIDATES:
            if site.profile == "baseline" and candidate.path not in BASELINE_PATHS:
                continue
            url = base + candidate.path
            response = site.probe.fetch(url)
            if response.status == 200 and candidate.signature.search(response.body[:65536]):
                issues.append(
                    Issue(
                        RULE,
                        f"Exposed {candidate.what}: {candidate.path}",
                        candidate.severity,
                        url,
                        None,
                        candidate.cwe,
                        f"HTTP 200, {len(response.body)} bytes; content is a {candidate.what}",
                    )
                )
        return issues
