"""Bandit JSON reports (``bandit -f json``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from breachdesk.core.finding import Finding, Location, Severity, Skipped, cwe_ids
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import (
    evidence,
    int_of,
    load_json,
    safe_text,
    sniff_json_keys,
    text_of,
)


def flagged_code(code: object, line: int | None) -> str:
    """The flagged line(s) of bandit's numbered snippet, without the numbers."""
    if not isinstance(code, str):
        return ""
    picked = []
    for raw in code.splitlines():
        number, _, rest = raw.partition(" ")
        if number.isdigit() and (line is None or int(number) == line):
            picked.append(rest)
    return "\n".join(picked)


class BanditImporter:
    """Bandit's ``results``: test id, CWE (bandit 1.7.5+), severity, file and line."""

    name: str = "bandit"
    version: int = 1
    extensions: tuple[str, ...] = (".json",)

    def sniff(self, head: bytes, name: str) -> bool:
        """A JSON object with bandit's ``results``/``test_id`` or its ``_totals`` metrics."""
        if sniff_json_keys(head, b"results", b"test_id"):
            return True
        # large reports put per-file metrics before the results
        return sniff_json_keys(head, b"metrics", b"_totals") and b'"SEVERITY.' in head

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """One finding per result."""
        report = load_json(stream, name)
        if isinstance(report, Skipped):
            yield report
            return
        if report is None:
            return
        results = report.get("results") if isinstance(report, dict) else None
        if not isinstance(results, list):
            yield Skipped(name, "results", "not a bandit report (no results list)")
            return
        for index, result in enumerate(results):
            yield self._finding(result, name, index)

    def _finding(self, result: Any, name: str, index: int) -> Finding | Skipped:
        where = f"results[{index}]"
        if not isinstance(result, Mapping):
            return Skipped(name, where, "not an object")
        test_id = text_of(result.get("test_id"))
        path = text_of(result.get("filename"))
        if test_id is None or path is None:
            return Skipped(name, where, "missing test_id or filename")
        line = int_of(result.get("line_number"))
        cwe = result.get("issue_cwe")
        cwe_id = cwe.get("id") if isinstance(cwe, Mapping) else None
        test_name = text_of(result.get("test_name")) or test_id
        more = text_of(result.get("more_info"))
        return Finding(
            title=safe_text(result.get("issue_text"), 200) or test_name,
            tool=self.name,
            rule_id=test_id,
            severity=Severity.parse(text_of(result.get("issue_severity"))) or Severity.MEDIUM,
            location=Location.file(path, line),
            cwe=cwe_ids(cwe_id if isinstance(cwe_id, int | str) else None),
            description=f"{test_id} {test_name}" + (f" ({more})" if more else ""),
            evidence=evidence(flagged_code(result.get("code"), line)),
        )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("bandit")
