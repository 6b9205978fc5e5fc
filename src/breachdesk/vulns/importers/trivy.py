"""Trivy JSON reports: images, filesystems, repositories and Kubernetes clusters (all schemas)."""

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
    severity_of,
    strings,
    text_of,
)

_VECTOR_KEYS = ("V40Vector", "V3Vector", "V2Vector")


def _cvss(vuln: Mapping[str, Any]) -> str | None:
    """The vector of the vendor Trivy took the severity from, else NVD's, else any."""
    table = vuln.get("CVSS")
    if not isinstance(table, Mapping):
        return None
    vendors = [str(vuln.get("SeveritySource") or ""), "nvd", *map(str, table)]
    for vendor in vendors:
        entry = table.get(vendor)
        if isinstance(entry, Mapping):
            for key in _VECTOR_KEYS:
                if isinstance(entry.get(key), str) and entry[key]:
                    return str(entry[key])
    return None


def _results(report: Any) -> Iterator[tuple[str, Any, str]]:
    """``(where, result, context)`` for every result list of every report shape."""
    if isinstance(report, list):  # legacy: a bare list of results
        for i, result in enumerate(report):
            yield f"[{i}]", result, ""
        return
    if not isinstance(report, Mapping):
        return
    for i, result in enumerate(report.get("Results") or []):
        yield f"Results[{i}]", result, ""
    for group in ("Vulnerabilities", "Misconfigurations", "Resources"):
        entries = report.get(group) if "ClusterName" in report else None
        for i, resource in enumerate(entries or []):
            if not isinstance(resource, Mapping):
                continue
            context = "/".join(
                str(resource.get(k)) for k in ("Namespace", "Kind", "Name") if resource.get(k)
            )
            for j, result in enumerate(resource.get("Results") or []):
                yield f"{group}[{i}].Results[{j}]", result, context


class TrivyImporter:
    """Vulnerabilities, misconfigurations, secrets and licences of every Trivy result."""

    name: str = "trivy"
    version: int = 1
    extensions: tuple[str, ...] = (".json",)

    def sniff(self, head: bytes, name: str) -> bool:
        """Trivy's capitalised keys (``SchemaVersion``, ``Results``/``ClusterName``, ``Target``)."""
        start = head.lstrip()[:1]
        return start in (b"[", b"{") and (
            b'"SchemaVersion"' in head
            or b'"ClusterName"' in head
            or (b'"Target"' in head and b'"Vulnerabilities"' in head)
        )

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every finding of every result."""
        report = load_json(stream, name)
        if isinstance(report, Skipped):
            yield report
            return
        if report is None:
            return  # trivy writes ``null`` when a legacy scan finds nothing
        if not isinstance(report, list | Mapping) or (
            isinstance(report, Mapping)
            and not ({"Results", "ClusterName", "SchemaVersion"} & set(report))
        ):
            yield Skipped(name, "", "not a trivy report")
            return
        for where, result, context in _results(report):
            if not isinstance(result, Mapping):
                yield Skipped(name, where, "not an object")
                continue
            target = text_of(result.get("Target")) or ""
            yield from self._result(result, target, context, name, where)

    def _result(
        self, result: Mapping[str, Any], target: str, context: str, name: str, where: str
    ) -> Iterator[Finding | Skipped]:
        place = f"{context}: {target}" if context else target
        for i, vuln in enumerate(result.get("Vulnerabilities") or []):
            yield self._vuln(vuln, place, name, f"{where}.Vulnerabilities[{i}]")
        for i, misconf in enumerate(result.get("Misconfigurations") or []):
            if isinstance(misconf, Mapping) and misconf.get("Status") == "PASS":
                continue  # a check that passed is not a finding
            yield self._misconf(misconf, target, context, name, f"{where}.Misconfigurations[{i}]")
        for i, secret in enumerate(result.get("Secrets") or []):
            yield self._secret(secret, target, name, f"{where}.Secrets[{i}]")
        for i, licence in enumerate(result.get("Licenses") or []):
            yield self._licence(licence, place, name, f"{where}.Licenses[{i}]")

    def _vuln(self, vuln: Any, place: str, name: str, where: str) -> Finding | Skipped:
        if not isinstance(vuln, Mapping):
            return Skipped(name, where, "not an object")
        vid, package = text_of(vuln.get("VulnerabilityID")), text_of(vuln.get("PkgName"))
        if vid is None or package is None:
            return Skipped(name, where, "missing VulnerabilityID or PkgName")
        word = text_of(vuln.get("Severity"))
        severity, vector, score = severity_of(_cvss(vuln), None)
        if word and word.upper() != "UNKNOWN":
            severity = Severity.parse(word) or severity
        fixed = text_of(vuln.get("FixedVersion"))
        return Finding(
            title=safe_text(vuln.get("Title"), 200) or f"{vid} in {package}",
            tool=self.name,
            rule_id=vid,
            severity=severity,
            location=Location.dependency(package, text_of(vuln.get("InstalledVersion")), place),
            cwe=cwe_ids(*strings(vuln.get("CweIDs"))),
            cve=cve_ids(vid, *strings(vuln.get("VendorIDs"))),
            cvss_vector=vector,
            cvss_score=score,
            description=safe_text(vuln.get("Description"))
            + (f"\nFixed in: {fixed}" if fixed else ""),
            evidence=f"{package} {vuln.get('InstalledVersion') or ''}".strip(),
        )

    def _misconf(
        self, misconf: Any, target: str, context: str, name: str, where: str
    ) -> Finding | Skipped:
        if not isinstance(misconf, Mapping) or text_of(misconf.get("ID")) is None:
            return Skipped(name, where, "missing ID")
        cause = as_map(misconf.get("CauseMetadata"))
        # a cluster resource's target repeats its Kind/Name: namespace/Kind/Name says it once
        path = (context if target in context else f"{context}/{target}") if context else target
        return Finding(
            title=safe_text(misconf.get("Title"), 200) or str(misconf["ID"]),
            tool=self.name,
            rule_id=str(misconf.get("AVDID") or misconf["ID"]),
            severity=Severity.parse(text_of(misconf.get("Severity"))) or Severity.MEDIUM,
            location=Location.file(path or "-", int_of(cause.get("StartLine"))),
            description=safe_text(misconf.get("Description"))
            + (f"\nResolution: {misconf['Resolution']}" if misconf.get("Resolution") else ""),
            evidence=first_line(misconf.get("Message")),
        )

    def _secret(self, secret: Any, target: str, name: str, where: str) -> Finding | Skipped:
        if not isinstance(secret, Mapping) or text_of(secret.get("RuleID")) is None:
            return Skipped(name, where, "missing RuleID")
        return Finding(
            title=safe_text(secret.get("Title"), 200) or str(secret["RuleID"]),
            tool=self.name,
            rule_id=str(secret["RuleID"]),
            severity=Severity.parse(text_of(secret.get("Severity"))) or Severity.HIGH,
            location=Location.file(target or "-", int_of(secret.get("StartLine"))),
            cwe=(798,),
            description=f"Secret of kind {secret.get('Category') or secret['RuleID']} in {target}",
            evidence=evidence(secret.get("Match")),
        )

    def _licence(self, licence: Any, place: str, name: str, where: str) -> Finding | Skipped:
        if not isinstance(licence, Mapping) or text_of(licence.get("Name")) is None:
            return Skipped(name, where, "missing licence Name")
        package = text_of(licence.get("PkgName"))
        path = text_of(licence.get("FilePath"))
        location = (
            Location.dependency(package, None, place)
            if package
            else Location.file(path or place or "-")
        )
        return Finding(
            title=f"Licence {licence['Name']} ({licence.get('Category') or 'unknown'})",
            tool=self.name,
            rule_id=f"license:{licence['Name']}",
            severity=Severity.parse(text_of(licence.get("Severity"))) or Severity.LOW,
            location=location,
            description=f"Licence {licence['Name']} of category {licence.get('Category')}",
        )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("trivy")
