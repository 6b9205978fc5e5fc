"""detect-secrets baselines and scan output (``detect-secrets scan``): hashed secrets per line."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import BinaryIO

from breachdesk.core.finding import Finding, Location, Severity, Skipped
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import int_of, load_json, sniff_json_keys, text_of


class DetectSecretsImporter:
    """One finding per reported secret; entries audited as not secret (``is_secret: false``) are
    left out. The report holds only a hash of each secret, so no value can leak."""

    name: str = "detect-secrets"
    version: int = 1
    extensions: tuple[str, ...] = (".json", ".baseline")

    def sniff(self, head: bytes, name: str) -> bool:
        """``results`` keyed by file, entries with ``hashed_secret``, or ``plugins_used``."""
        return sniff_json_keys(head, b"results") and (
            b'"hashed_secret"' in head or b'"plugins_used"' in head
        )

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every secret of every file."""
        report = load_json(stream, name)
        if isinstance(report, Skipped):
            yield report
            return
        if report is None:
            return
        results = report.get("results") if isinstance(report, Mapping) else None
        if not isinstance(results, Mapping):
            yield Skipped(name, "results", "not a detect-secrets report (no results object)")
            return
        for f, (path, entries) in enumerate(results.items()):
            if not isinstance(entries, list):
                yield Skipped(name, f"results[{f}]", "not a list of secrets")
                continue
            for i, entry in enumerate(entries):
                where = f"results[{f}][{i}]"
                if not isinstance(entry, Mapping) or text_of(entry.get("type")) is None:
                    yield Skipped(name, where, "missing secret type")
                    continue
                if entry.get("is_secret") is False:
                    continue  # audited: not a secret
                kind = str(entry["type"]).strip()
                verified = entry.get("is_verified") is True
                yield Finding(
                    title=f"{kind} committed to the source tree",
                    tool=self.name,
                    rule_id=kind,
                    severity=Severity.CRITICAL if verified else Severity.HIGH,
                    location=Location.file(
                        text_of(entry.get("filename")) or str(path),
                        int_of(entry.get("line_number")),
                    ),
                    cwe=(798,),
                    description=f"detect-secrets found a {kind}"
                    + (" (verified live)" if verified else "")
                    + ". Rotate it, then remove it from the code and its history.",
                )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("detect-secrets")
