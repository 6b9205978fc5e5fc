"""OSV-Scanner JSON reports (``osv-scanner --format json``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from breachdesk.core.finding import Finding, Location, Severity, Skipped, cve_ids, cwe_ids
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import (
    as_map,
    first_line,
    load_json,
    safe_text,
    severity_of,
    sniff_json_keys,
    strings,
    text_of,
)


def _vector(vuln: Mapping[str, Any]) -> str | None:
    """The newest CVSS vector the advisory carries (v4 before v3 before v2)."""
    found = {
        str(s.get("type")): str(s.get("score"))
        for s in vuln.get("severity") or []
        if isinstance(s, Mapping) and isinstance(s.get("score"), str)
    }
    for kind in ("CVSS_V4", "CVSS_V3", "CVSS_V2"):
        if kind in found:
            return found[kind]
    return None


def _cwes(vuln: Mapping[str, Any]) -> tuple[int, ...]:
    texts: list[str] = []
    for holder in [vuln, *(a for a in vuln.get("affected") or [] if isinstance(a, Mapping))]:
        specific = holder.get("database_specific")
        if isinstance(specific, Mapping):
            texts += strings(specific.get("cwe_ids"))
            texts += [
                str(c.get("cweId")) for c in specific.get("cwes") or [] if isinstance(c, Mapping)
            ]
    return cwe_ids(*texts)


class OsvScannerImporter:
    """One finding per vulnerability of each package of each scanned source (lockfile, SBOM)."""

    name: str = "osv-scanner"
    version: int = 1
    extensions: tuple[str, ...] = (".json",)

    def sniff(self, head: bytes, name: str) -> bool:
        """``results`` of ``source`` and ``packages``."""
        return sniff_json_keys(head, b"results", b"packages") and b'"source"' in head

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every vulnerability of every package."""
        report = load_json(stream, name)
        if isinstance(report, Skipped):
            yield report
            return
        if report is None:
            return
        results = report.get("results") if isinstance(report, Mapping) else None
        if not isinstance(results, list):
            yield Skipped(name, "", "not an osv-scanner report (no results list)")
            return
        for r, result in enumerate(results):
            packages = result.get("packages") if isinstance(result, Mapping) else None
            if not isinstance(packages, list):
                yield Skipped(name, f"results[{r}]", "no packages list")
                continue
            source = text_of(as_map(result.get("source")).get("path")) or ""
            for p, entry in enumerate(packages):
                yield from self._package(entry, source, name, f"results[{r}].packages[{p}]")

    def _package(
        self, entry: Any, source: str, name: str, where: str
    ) -> Iterator[Finding | Skipped]:
        package = as_map(as_map(entry).get("package"))
        # a git source is a repository at a commit, not a named package
        label = text_of(package.get("name")) or (source if package.get("commit") else None)
        version = text_of(package.get("version")) or text_of(package.get("commit"))
        if label is None:
            yield Skipped(name, where, "missing package name")
            return
        vulns = entry.get("vulnerabilities")
        if not isinstance(vulns, list):
            yield Skipped(name, f"{where}.vulnerabilities", "not a list")
            return
        for v, vuln in enumerate(vulns):
            if not isinstance(vuln, Mapping) or text_of(vuln.get("id")) is None:
                yield Skipped(name, f"{where}.vulnerabilities[{v}]", "missing id")
                continue
            specific = vuln.get("database_specific")
            word = specific.get("severity") if isinstance(specific, Mapping) else None
            severity, vector, score = severity_of(_vector(vuln), word)
            if word is None and vector is None:
                severity = Severity.MEDIUM  # the advisory states no severity
            advisory = str(vuln["id"]).strip()
            summary = text_of(vuln.get("summary"))
            yield Finding(
                title=safe_text(summary, 200) or advisory,
                tool=self.name,
                rule_id=advisory,
                severity=severity,
                location=Location.dependency(label, version, source or None),
                cwe=_cwes(vuln),
                cve=cve_ids(advisory, *strings(vuln.get("aliases"))),
                cvss_vector=vector,
                cvss_score=score,
                description=safe_text(vuln.get("details")),
                evidence=first_line(summary),
            )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("osv-scanner")
