"""De-duplication of one report's findings by fingerprint (see ``core.finding`` for the recipe)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from breachdesk.core.finding import Finding


@dataclass(frozen=True, slots=True)
class Merged:
    """Every finding of one report that shares a fingerprint, folded into one."""

    fingerprint: str
    finding: Finding
    count: int


def merge(a: Finding, b: Finding) -> Finding:
    """One finding from two reports of the same flaw: the worse severity wins, ids are unioned."""
    first, second = (a, b) if a.severity.rank >= b.severity.rank else (b, a)
    return replace(
        first,
        cwe=tuple(sorted(set(first.cwe) | set(second.cwe))),
        cve=tuple(sorted(set(first.cve) | set(second.cve))),
        cvss_vector=first.cvss_vector or second.cvss_vector,
        cvss_score=first.cvss_score if first.cvss_score is not None else second.cvss_score,
        evidence=first.evidence or second.evidence,
        description=first.description or second.description,
    )


def dedupe(findings: Iterable[Finding]) -> list[Merged]:
    """Findings grouped by fingerprint, in order of first appearance."""
    groups: dict[str, tuple[Finding, int]] = {}
    for finding in findings:
        fp = finding.fingerprint
        if fp in groups:
            held, count = groups[fp]
            groups[fp] = (merge(held, finding), count + 1)
        else:
            groups[fp] = (finding, 1)
    return [Merged(fp, f, n) for fp, (f, n) in groups.items()]
