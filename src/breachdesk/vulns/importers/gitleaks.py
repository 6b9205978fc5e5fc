"""Gitleaks JSON reports (v7 lower-case fields and v8 ``RuleID``/``Secret`` fields)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from breachdesk.core.finding import Finding, Location, Severity, Skipped
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import evidence, int_of, load_json, text_of

REDACTED = "REDACTED"  # gitleaks --redact writes this instead of the secret


class GitleaksImporter:
    """One finding per leak: rule, file and line, with the secret masked out of the evidence.

    Commit authors and e-mail addresses in the report are personal data and are not kept.
    """

    name: str = "gitleaks"
    version: int = 1
    extensions: tuple[str, ...] = (".json",)

    def sniff(self, head: bytes, name: str) -> bool:
        """A JSON list with v8 ``RuleID``/``Secret`` or v7 ``offender``/``rule``."""
        return head.lstrip()[:1] == b"[" and (
            (b'"RuleID"' in head and b'"Secret"' in head)
            or (b'"offender"' in head and b'"rule"' in head)
        )

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every leak of the report."""
        report = load_json(stream, name)
        if isinstance(report, Skipped):
            yield report
            return
        if report is None:
            return  # gitleaks writes ``null`` or nothing when it finds nothing
        if not isinstance(report, list):
            yield Skipped(name, "", "not a gitleaks report (no list of leaks)")
            return
        for index, leak in enumerate(report):
            yield self._finding(leak, name, f"[{index}]")

    def _finding(self, leak: Any, name: str, where: str) -> Finding | Skipped:
        if not isinstance(leak, Mapping):
            return Skipped(name, where, "not an object")
        v8 = "RuleID" in leak
        rule = text_of(leak.get("RuleID") if v8 else leak.get("rule"))
        path = text_of(leak.get("File") if v8 else leak.get("file"))
        if rule is None or path is None:
            return Skipped(name, where, "missing rule or file")
        secret = text_of(leak.get("Secret") if v8 else leak.get("offender")) or ""
        line = int_of(leak.get("StartLine") if v8 else leak.get("lineNumber"))
        shown = leak.get("Match") if v8 else leak.get("line")
        commit = text_of(leak.get("Commit") if v8 else leak.get("commit"))
        what = text_of(leak.get("Description")) if v8 else rule
        return Finding(
            title=f"{what or rule} committed to the repository",
            tool=self.name,
            rule_id=rule,
            severity=Severity.HIGH,
            location=Location.file(path, line),
            cwe=(798,),
            description=f"Gitleaks rule {rule} matched"
            + (f" in commit {commit[:12]}" if commit else "")
            + ". Rotate the secret, then remove it from the code and its history.",
            evidence=evidence(shown, (secret,) if secret != REDACTED else ()),
        )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("gitleaks")
