"""pip-audit JSON reports (``pip-audit -f json``, old list and new ``dependencies`` forms)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from breachdesk.core.finding import Finding, Location, Severity, Skipped, cve_ids
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import (
    first_line,
    load_json,
    safe_text,
    strings,
    text_of,
)


class PipAuditImporter:
    """One finding per vulnerability of each audited dependency (PyPI advisories)."""

    name: str = "pip-audit"
    version: int = 1
    extensions: tuple[str, ...] = (".json",)

    def sniff(self, head: bytes, name: str) -> bool:
        """A list (or ``dependencies``) of objects with ``name``, ``version`` and ``vulns``."""
        start = head.lstrip()[:1]
        return (
            start in (b"[", b"{")
            and b'"vulns"' in head
            and b'"name"' in head
            and (b'"fix_versions"' in head or b'"version"' in head)
            and b'"advisory"' not in head
        )

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every vulnerability; dependencies pip-audit could not audit are not findings."""
        report = load_json(stream, name)
        if isinstance(report, Skipped):
            yield report
            return
        if report is None:
            return
        deps = report.get("dependencies") if isinstance(report, Mapping) else report
        if not isinstance(deps, list):
            yield Skipped(name, "", "not a pip-audit report (no dependency list)")
            return
        for index, dep in enumerate(deps):
            where = f"dependencies[{index}]"
            if not isinstance(dep, Mapping) or text_of(dep.get("name")) is None:
                yield Skipped(name, where, "not a dependency object with a name")
                continue
            vulns = dep.get("vulns")
            if vulns is None:
                continue  # skipped by pip-audit itself (skip_reason): nothing was audited
            if not isinstance(vulns, list):
                yield Skipped(name, f"{where}.vulns", "not a list")
                continue
            for number, vuln in enumerate(vulns):
                yield self._finding(dep, vuln, name, f"{where}.vulns[{number}]")

    def _finding(
        self, dep: Mapping[str, Any], vuln: Any, name: str, where: str
    ) -> Finding | Skipped:
        if not isinstance(vuln, Mapping) or text_of(vuln.get("id")) is None:
            return Skipped(name, where, "missing vulnerability id")
        advisory = str(vuln["id"]).strip()
        aliases = strings(vuln.get("aliases"))
        fixes = ", ".join(strings(vuln.get("fix_versions")))
        package = str(dep["name"]).strip()
        return Finding(
            title=f"{package} {dep.get('version') or ''}: {advisory}".replace("  ", " "),
            tool=self.name,
            rule_id=advisory,
            # pip-audit reports no severity; an advisory against a dependency is treated as high
            # until triaged (fix it or accept it with a rationale).
            severity=Severity.HIGH,
            location=Location.dependency(package, text_of(dep.get("version"))),
            cve=cve_ids(advisory, *aliases),
            description=safe_text(vuln.get("description"))
            + (f"\nFixed in: {fixes}" if fixes else ""),
            evidence=first_line(vuln.get("description")),
        )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("pip-audit")
