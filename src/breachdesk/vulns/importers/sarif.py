"""SARIF 2.1.0 logs from any tool (CodeQL, Semgrep, ShellCheck, dependency-check, ...)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from breachdesk.core.finding import (
    Finding,
    Location,
    Severity,
    Skipped,
    cve_ids,
    cwe_ids,
)
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import (
    evidence,
    first_line,
    int_of,
    load_json,
    safe_text,
    sniff_json_keys,
    strings,
    text_of,
)
from breachdesk.vulns.severity import from_score

LEVELS = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "note": Severity.LOW,
    "none": Severity.INFO,
}
_PLACEHOLDER = re.compile(r"\{(\d+)\}")


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(message: object, rule: Mapping[str, Any]) -> str:
    """A result message with ``{0}`` arguments filled in (or the rule's message string)."""
    message = _map(message)
    text = text_of(message.get("text"))
    if text is None and isinstance(message.get("id"), str):
        strings_of_rule = _map(rule.get("messageStrings"))
        text = text_of(_map(strings_of_rule.get(message["id"])).get("text"))
    arguments = strings(message.get("arguments"))
    if text and arguments:
        text = _PLACEHOLDER.sub(
            lambda m: arguments[int(m[1])] if int(m[1]) < len(arguments) else m[0], text
        )
    return text or ""


def _rules(run: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], dict[str, Mapping[str, Any]]]:
    """The driver's rules by index, and every rule (driver and extensions) by id."""
    tool = _map(run.get("tool"))
    driver = _map(tool.get("driver"))
    indexed = [r for r in driver.get("rules") or [] if isinstance(r, Mapping)]
    by_id: dict[str, Mapping[str, Any]] = {}
    components = [driver, *(e for e in tool.get("extensions") or [] if isinstance(e, Mapping))]
    for component in components:
        for rule in component.get("rules") or []:
            if isinstance(rule, Mapping) and isinstance(rule.get("id"), str):
                by_id.setdefault(rule["id"], rule)
    return indexed, by_id


def _suppressed(result: Mapping[str, Any]) -> bool:
    """Not a flaw now: a passed or inapplicable check, absent by the baseline, or suppressed
    (accepted, or with no status given)."""
    if result.get("kind") in ("pass", "notApplicable") or result.get("baselineState") == "absent":
        return True
    return any(
        isinstance(s, Mapping) and s.get("status", "accepted") == "accepted"
        for s in result.get("suppressions") or []
    )


def _location(result: Mapping[str, Any]) -> Location:
    for loc in result.get("locations") or []:
        physical = _map(_map(loc).get("physicalLocation"))
        uri = text_of(_map(physical.get("artifactLocation")).get("uri"))
        if uri:
            return Location.file(uri, int_of(_map(physical.get("region")).get("startLine")))
        for logical in _map(loc).get("logicalLocations") or []:
            name = text_of(_map(logical).get("fullyQualifiedName")) or text_of(
                _map(logical).get("name")
            )
            if name:
                return Location.file(name)
    return Location.nowhere()


def _severity(result: Mapping[str, Any], rule: Mapping[str, Any]) -> Severity:
    """``security-severity`` score (GitHub convention), else a severity property, else level."""
    for props in (_map(result.get("properties")), _map(rule.get("properties"))):
        score = props.get("security-severity")
        try:
            if score is not None:
                return from_score(float(score))
        except (TypeError, ValueError):
            pass
        word = (
            Severity.parse(props.get("severity"))
            if isinstance(props.get("severity"), str)
            else None
        )
        if word is not None:
            return word
    if result.get("kind") == "informational":
        return Severity.INFO
    level = result.get("level") or _map(rule.get("defaultConfiguration")).get("level")
    return LEVELS.get(str(level), Severity.MEDIUM) if level else Severity.MEDIUM


class SarifImporter:
    """One finding per result of every run; suppressed and baseline-absent results are left out."""

    name: str = "sarif"
    version: int = 1
    extensions: tuple[str, ...] = (".sarif", ".json")

    def sniff(self, head: bytes, name: str) -> bool:
        """A JSON object with ``runs`` and a SARIF ``version`` or ``$schema``."""
        return sniff_json_keys(head, b"runs") and (b"sarif" in head.lower() or b'"2.1.0"' in head)

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every result of every run."""
        log = load_json(stream, name)
        if isinstance(log, Skipped):
            yield log
            return
        if not isinstance(log, Mapping) or not isinstance(log.get("runs"), list):
            yield Skipped(name, "runs", "not a SARIF log (no runs list)")
            return
        if str(log.get("version", "2.1.0")) != "2.1.0":
            yield Skipped(name, "version", "only SARIF 2.1.0 is supported")
            return
        for r, run in enumerate(log["runs"]):
            if not isinstance(run, Mapping):
                yield Skipped(name, f"runs[{r}]", "not an object")
                continue
            yield from self._run(run, name, f"runs[{r}]")

    def _run(self, run: Mapping[str, Any], name: str, where: str) -> Iterator[Finding | Skipped]:
        driver = _map(_map(run.get("tool")).get("driver"))
        tool = re.sub(r"\s+", "-", (text_of(driver.get("name")) or "sarif").lower())[:64]
        indexed, by_id = _rules(run)
        for i, result in enumerate(run.get("results") or []):
            if not isinstance(result, Mapping):
                yield Skipped(name, f"{where}.results[{i}]", "not an object")
                continue
            if _suppressed(result):
                continue
            yield self._finding(result, tool, indexed, by_id)

    def _finding(
        self,
        result: Mapping[str, Any],
        tool: str,
        indexed: list[Mapping[str, Any]],
        by_id: Mapping[str, Mapping[str, Any]],
    ) -> Finding:
        rule_ref = _map(result.get("rule"))
        rule_id = text_of(result.get("ruleId")) or text_of(rule_ref.get("id")) or ""
        index = int_of(result.get("ruleIndex"))
        if index is None:
            index = int_of(rule_ref.get("index"))
        rule = by_id.get(rule_id) or (
            indexed[index] if index is not None and 0 <= index < len(indexed) else {}
        )
        rule_id = rule_id or text_of(rule.get("id")) or ""
        message = _text(result.get("message"), rule)
        short = text_of(_map(rule.get("shortDescription")).get("text"))
        tags = strings(_map(rule.get("properties")).get("tags")) + strings(
            _map(result.get("properties")).get("tags")
        )
        region: Mapping[str, Any] = {}
        for loc in result.get("locations") or []:
            region = _map(_map(_map(loc).get("physicalLocation")).get("region"))
            break
        return Finding(
            title=first_line(message) or first_line(short) or rule_id or "SARIF result",
            tool=tool,
            rule_id=rule_id,
            severity=_severity(result, rule),
            location=_location(result),
            cwe=cwe_ids(*tags),
            cve=cve_ids(rule_id, *tags),
            description=safe_text(
                text_of(_map(rule.get("fullDescription")).get("text")) or message
            ),
            evidence=evidence(_map(region.get("snippet")).get("text")),
        )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("sarif")
