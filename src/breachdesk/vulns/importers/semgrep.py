"""Semgrep JSON reports (``semgrep --json``) and Semgrep supply-chain exports (``vulns``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from breachdesk.core.finding import Finding, Location, Severity, Skipped, cve_ids, cwe_ids
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import (
    as_map,
    evidence,
    first_line,
    int_of,
    load_json,
    safe_text,
    sniff_json_keys,
    strings,
    text_of,
)

# Semgrep's levels: ERROR/WARNING/INFO (rules) and CRITICAL..LOW (supply chain, newer rules).
_LEVELS = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "info": Severity.LOW,
    "inventory": Severity.INFO,
    "experiment": Severity.INFO,
}


def semgrep_severity(word: object) -> Severity:
    """A semgrep level or severity word as a normalised severity."""
    text = word.strip().lower() if isinstance(word, str) else ""
    return _LEVELS.get(text) or Severity.parse(text) or Severity.MEDIUM


class SemgrepImporter:
    """Semgrep ``results`` (rule id, CWE, file and line) and supply-chain ``vulns``."""

    name: str = "semgrep"
    version: int = 1
    extensions: tuple[str, ...] = (".json",)

    def sniff(self, head: bytes, name: str) -> bool:
        """``results`` with ``check_id``, or ``vulns`` with ``advisory`` (supply-chain export)."""
        return sniff_json_keys(head, b"results", b"check_id") or sniff_json_keys(
            head, b"vulns", b"advisory"
        )

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """One finding per result or per vulnerable dependency."""
        report = load_json(stream, name)
        if isinstance(report, Skipped):
            yield report
            return
        if report is None:
            return
        if not isinstance(report, Mapping) or not (
            isinstance(report.get("results"), list) or isinstance(report.get("vulns"), list)
        ):
            yield Skipped(name, "", "not a semgrep report (no results or vulns list)")
            return
        for index, result in enumerate(report.get("results") or []):
            yield self._result(result, name, f"results[{index}]")
        for index, vuln in enumerate(report.get("vulns") or []):
            yield self._vuln(vuln, name, f"vulns[{index}]")

    def _result(self, result: Any, name: str, where: str) -> Finding | Skipped:
        if not isinstance(result, Mapping):
            return Skipped(name, where, "not an object")
        rule = text_of(result.get("check_id"))
        path = text_of(result.get("path"))
        if rule is None or path is None:
            return Skipped(name, where, "missing check_id or path")
        start = result.get("start")
        line = int_of(start.get("line")) if isinstance(start, Mapping) else None
        extra = as_map(result.get("extra"))
        meta = as_map(extra.get("metadata"))
        message = extra.get("message")
        return Finding(
            title=first_line(message) or rule.rsplit(".", 1)[-1],
            tool=self.name,
            rule_id=rule,
            severity=semgrep_severity(extra.get("severity")),
            location=Location.file(path, line),
            cwe=cwe_ids(*strings(meta.get("cwe"))),
            cve=cve_ids(*strings(meta.get("cve"))),
            description=safe_text(message),
            evidence=evidence(extra.get("lines")),
        )

    def _vuln(self, vuln: Any, name: str, where: str) -> Finding | Skipped:
        if not isinstance(vuln, Mapping) or not isinstance(vuln.get("advisory"), Mapping):
            return Skipped(name, where, "not a supply-chain vulnerability object")
        advisory = vuln["advisory"]
        dep = as_map(vuln.get("matchedDependency"))
        package = text_of(dep.get("name"))
        if package is None:
            return Skipped(name, where, "missing matchedDependency.name")
        refs = as_map(advisory.get("references"))
        return Finding(
            title=safe_text(vuln.get("title") or advisory.get("title"), 200) or package,
            tool=self.name,
            rule_id=text_of(advisory.get("ruleId")) or "",
            severity=semgrep_severity(advisory.get("severity")),
            location=Location.dependency(package, text_of(dep.get("versionSpecifier"))),
            cwe=cwe_ids(*strings(refs.get("cweIds"))),
            cve=cve_ids(*strings(refs.get("cveIds"))),
            description=safe_text(advisory.get("description")),
        )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("semgrep")
