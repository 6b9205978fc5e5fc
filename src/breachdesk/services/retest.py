"""``retest``: re-run what produced an incident's open findings, so the re-import closes the fixed.

Web findings are re-tested by the built-in test on the recorded target and profile, under the
authorisation recorded for it (the new run names it as ``retest_of``); nmap and sqlmap findings
come back with that run. Code findings are re-scanned by the same tool on the same tree. Reports
imported by hand cannot be re-run: they are listed, so a fresh report can be imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breachdesk.core.audit import AuditAction
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.finding import FindingStatus
from breachdesk.core.ids import IncidentId
from breachdesk.services.codescan import CODE_TOOLS, CodeScanService, ToolResult
from breachdesk.services.findings import FindingService
from breachdesk.services.pentest import (
    NETWORK_TOOLS,
    WEB_TOOL,
    PentestOutcome,
    PentestRequest,
    PentestService,
)
from breachdesk.services.ports import UnitOfWorkFactory
from breachdesk.vulns.webcheck.engine import Progress
from breachdesk.vulns.webcheck.model import Origin, Profile

ACTIVE = (FindingStatus.OPEN, FindingStatus.REOPENED)


@dataclass(frozen=True, slots=True)
class RetestReport:
    """What was re-run, what could not be, and how many findings the re-runs closed."""

    web: list[PentestOutcome] = field(default_factory=list)
    code: list[ToolResult] = field(default_factory=list)
    not_rerunnable: list[tuple[str, str, str]] = field(default_factory=list)  # tool, label, why
    fixed: int = 0
    still_open: int = 0


def _request(details: Mapping[str, Any]) -> PentestRequest:
    ca = details.get("ca_file")
    return PentestRequest(
        target=str(details["target"]),
        profile=Profile(details["profile"]),
        max_requests=int(details["max_requests"]),
        rate=float(details["rate"]),
        ca_file=Path(ca) if ca else None,
        network_tools=bool(details.get("network_tools", True)),
    )


class RetestService:
    """Re-run the scans behind the open findings of an incident."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        findings: FindingService,
        pentest: PentestService,
        code: CodeScanService,
    ) -> None:
        self._uow, self._findings, self._pentest, self._code = uow, findings, pentest, code

    def scopes(self, incident_id: IncidentId) -> list[tuple[str, str]]:
        """(tool, label) of the scans that last reported each open finding."""
        rows = self._findings.list_findings(incident_id, status=ACTIVE)
        wanted = {r.stored.last_scan_id for r in rows}
        scans = self._findings.scans(incident_id)
        return sorted({(s.tool, s.label) for s in scans if s.id in wanted})

    def authorisations(self, incident_id: IncidentId) -> dict[tuple[str, str], tuple[int, Any]]:
        """Newest recorded authorisation per (origin, profile): its audit seq and details."""
        found: dict[tuple[str, str], tuple[int, Any]] = {}
        with self._uow() as uow:
            for entry in uow.audit.entries(incident_id):
                if entry.action == AuditAction.PENTEST_AUTHORISED.value:
                    d = entry.details
                    found[(str(d["origin"]), str(d["profile"]))] = (entry.seq, d)
        return found

    def retest(
        self, incident_id: IncidentId, *, actor: str, on_progress: Progress | None = None
    ) -> RetestReport:
        """Re-run every re-runnable scope with open findings; count what the runs closed."""
        before = {r.stored.id for r in self._findings.list_findings(incident_id, status=ACTIVE)}
        granted = self.authorisations(incident_id)
        report = RetestReport()
        web: dict[tuple[str, str], tuple[int, Any]] = {}
        paths: dict[str, list[str]] = {}
        for tool, label in self.scopes(incident_id):
            if tool == WEB_TOOL or tool in NETWORK_TOOLS:
                key = self._web_key(tool, label, granted)
                if key is None:
                    report.not_rerunnable.append((tool, label, "no recorded authorisation"))
                else:
                    web[key] = granted[key]
            elif tool in CODE_TOOLS and Path(label).exists():
                paths.setdefault(label, []).append(tool)
            else:
                why = "imported report: import a new one" if tool not in CODE_TOOLS else (
                    "source tree no longer there"
                )  # fmt: skip
                report.not_rerunnable.append((tool, label, why))
        for seq, details in web.values():
            report.web.append(
                self._pentest.run(
                    incident_id,
                    _request(details),
                    actor=actor,
                    authorized=True,
                    on_progress=on_progress,
                    basis={"retest_of": seq, "authorised_by": details["authorised_by"]},
                )
            )
        for label, tools in paths.items():
            report.code.extend(
                self._code.scan(incident_id, Path(label), actor=actor, only=tuple(tools))
            )
        after = {r.stored.id for r in self._findings.list_findings(incident_id, status=ACTIVE)}
        fixed = {
            r.stored.id
            for r in self._findings.list_findings(incident_id, status=(FindingStatus.FIXED,))
        }
        return RetestReport(
            report.web, report.code, report.not_rerunnable, len(before & fixed), len(after)
        )

    @staticmethod
    def _web_key(
        tool: str, label: str, granted: Mapping[tuple[str, str], tuple[int, Any]]
    ) -> tuple[str, str] | None:
        if tool == WEB_TOOL:
            origin, _, rest = label.partition(" [")
            key = (origin, rest.rstrip("]"))
            return key if key in granted else None
        try:
            origin = Origin.of(label).base
        except InvalidInputError:
            return None
        keys = [k for k in granted if k[0] == origin]
        return max(keys, key=lambda k: granted[k][0]) if keys else None
