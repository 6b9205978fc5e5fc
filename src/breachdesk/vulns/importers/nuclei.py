"""Nuclei results: JSON lines (``-jsonl``/``-json``) or a JSON array (``-je``)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from breachdesk.core.finding import Finding, Location, Skipped, cve_ids, cwe_ids
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import (
    int_of,
    load_json,
    load_json_lines,
    read_all,
    safe_text,
    severity_of,
    strings,
    text_of,
)


def nuclei_location(result: Mapping[str, Any]) -> Location:
    """A URL for web matches, ``host:port`` for network ones, the host for DNS."""
    matched = text_of(result.get("matched-at")) or text_of(result.get("matched"))
    target = matched or text_of(result.get("url")) or text_of(result.get("host")) or ""
    if "://" in target and urlsplit(target).scheme in ("http", "https"):
        return Location.web(target)
    if "://" in target:
        target = urlsplit(target).netloc or target
    host, sep, port = target.rpartition(":")
    if sep and port.isdigit() and "]" not in port:
        return Location.network(host.strip("[]"), int(port))
    port_value = int_of(result.get("port"))
    return Location.network(target, port_value)


def _failed_match(result: object) -> bool:
    """A template that ran and did not match (``-matcher-status`` output) is not a finding."""
    return isinstance(result, Mapping) and result.get("matcher-status") is False


class NucleiImporter:
    """One finding per nuclei match (template id, plus matcher name when it has one)."""

    name: str = "nuclei"
    version: int = 1
    extensions: tuple[str, ...] = (".json", ".jsonl")

    def sniff(self, head: bytes, name: str) -> bool:
        """Nuclei's ``template-id``/``templateID`` with an ``info`` block."""
        return (b'"template-id"' in head or b'"templateID"' in head) and b'"info"' in head

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every match of a JSON array or of JSON lines."""
        data = read_all(stream, name)
        if isinstance(data, Skipped):
            yield data
            return
        if data.lstrip()[:1] == b"[":
            report = load_json(io.BytesIO(data), name)
            if isinstance(report, Skipped):
                yield report
                return
            for index, result in enumerate(report):
                if not _failed_match(result):
                    yield self._finding(result, name, f"[{index}]")
            return
        for item in load_json_lines(io.BytesIO(data), name):
            if isinstance(item, Skipped):
                yield item
            elif not _failed_match(item[1]):
                yield self._finding(item[1], name, f"line {item[0]}")

    def _finding(self, result: Any, name: str, where: str) -> Finding | Skipped:
        if not isinstance(result, Mapping) or not isinstance(result.get("info"), Mapping):
            return Skipped(name, where, "not a nuclei result (no info object)")
        template = text_of(result.get("template-id")) or text_of(result.get("templateID"))
        if template is None:
            return Skipped(name, where, "missing template-id")
        info = result["info"]
        matcher = text_of(result.get("matcher-name"))
        rule = f"{template}:{matcher}" if matcher else template
        classification = info.get("classification")
        classes = classification if isinstance(classification, Mapping) else {}
        severity, vector, score = severity_of(classes.get("cvss-metrics"), info.get("severity"))
        if vector is None and isinstance(info.get("severity"), str):
            severity = severity_of(None, info["severity"])[0]
        extracted = ", ".join(strings(result.get("extracted-results")))
        return Finding(
            title=safe_text(info.get("name"), 200) + (f" ({matcher})" if matcher else "") or rule,
            tool=self.name,
            rule_id=rule,
            severity=severity,
            location=nuclei_location(result),
            cwe=cwe_ids(*strings(classes.get("cwe-id"))),
            cve=cve_ids(*strings(classes.get("cve-id")), template),
            cvss_vector=vector,
            cvss_score=score,
            description=safe_text(info.get("description")),
            evidence=safe_text(extracted or matcher or "", 300),
        )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("nuclei")
