"""``scan-code``: run the installed code scanners over a source tree and import their reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from breachdesk.core.errors import InvalidInputError
from breachdesk.core.finding import Skipped
from breachdesk.core.ids import EvidenceId, IncidentId
from breachdesk.services.findings import FindingService, ImportOutcome

CODE_TOOLS = ("bandit", "semgrep", "detect-secrets", "pip-audit")


class CodeTools(Protocol):
    """Runs one scanner over a path; its report file, or Skipped with the reason."""

    def run(self, tool: str, target: str, workdir: Path) -> Path | Skipped: ...


AddEvidence = Callable[[IncidentId, Path, str], EvidenceId]


@dataclass(frozen=True, slots=True)
class ToolResult:
    """One scanner's part of a code scan: its import, or why it was skipped."""

    tool: str
    outcome: ImportOutcome | Skipped


def code_label(path: Path) -> str:
    """The scan label of a source tree: its absolute path (re-runs compare within it)."""
    return str(path.resolve())


class CodeScanService:
    """Run bandit, semgrep (own rules), detect-secrets and pip-audit; import what they report."""

    def __init__(
        self,
        findings: FindingService,
        tools: CodeTools,
        add_evidence: AddEvidence,
        *,
        workdir: Path,
    ) -> None:
        self._findings, self._tools, self._add = findings, tools, add_evidence
        self._workdir = workdir

    def scan(
        self,
        incident_id: IncidentId,
        path: Path,
        *,
        actor: str,
        only: tuple[str, ...] = CODE_TOOLS,
        on_tool: Callable[[str], None] | None = None,
    ) -> list[ToolResult]:
        """Each tool's report stored as evidence and imported with the tree's path as label."""
        if not path.exists():
            raise InvalidInputError(f"{path}: no such file or folder")
        label = code_label(path)
        results = []
        for tool in only:
            if on_tool is not None:
                on_tool(tool)
            report = self._tools.run(tool, label, self._workdir / f"incident-{incident_id}")
            if isinstance(report, Skipped):
                results.append(ToolResult(tool, report))
                continue

            def evidence(file: Path, tool: str = tool) -> EvidenceId:
                return self._add(incident_id, file, f"{tool} report of {label}")

            for _, outcome in self._findings.import_files(
                incident_id, [report], actor=actor, add_evidence=evidence, tool=tool, label=label
            ):
                results.append(ToolResult(tool, outcome))
        return results
