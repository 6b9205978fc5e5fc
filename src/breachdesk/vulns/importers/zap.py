"""OWASP ZAP reports: the XML report (``-x``, also ``xml-plus``) and the JSON report (``-J``)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

from breachdesk.core.finding import Finding, Location, Severity, Skipped
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import (
    evidence,
    int_of,
    load_json,
    load_xml,
    read_all,
    safe_text,
    text_of,
)

RISK = {0: Severity.INFO, 1: Severity.LOW, 2: Severity.MEDIUM, 3: Severity.HIGH}


def _strip_html(text: str | None) -> str:
    """ZAP wraps descriptions in ``<p>``; keep the words."""
    if not text:
        return ""
    return safe_text(text.replace("<p>", "").replace("</p>", "\n"))


def _child(element: Element, tag: str) -> str | None:
    node = element.find(tag)
    return node.text.strip() if node is not None and node.text and node.text.strip() else None


class ZapImporter:
    """One finding per alert instance (URI + parameter); alerts without instances at the site."""

    name: str = "zap"
    version: int = 1
    extensions: tuple[str, ...] = (".xml", ".json")

    def sniff(self, head: bytes, name: str) -> bool:
        """``<OWASPZAPReport`` or JSON with ``@programName`` / ``site`` and ``alerts``."""
        return b"<OWASPZAPReport" in head or (
            head.lstrip()[:1] == b"{"
            and b'"site"' in head
            and (b'"@programName"' in head or b'"alerts"' in head or b'"@version"' in head)
        )

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every instance of every alert of every site."""
        data = read_all(stream, name)
        if isinstance(data, Skipped):
            yield data
            return
        if data.lstrip()[:1] == b"{":
            yield from self._json(data, name)
        else:
            yield from self._xml(data, name)

    def _xml(self, data: bytes, name: str) -> Iterator[Finding | Skipped]:
        root = load_xml(io.BytesIO(data), name)
        if isinstance(root, Skipped):
            yield root
            return
        if root.tag != "OWASPZAPReport":
            yield Skipped(name, root.tag[:40], "not a ZAP report (root element)")
            return
        for s, site in enumerate(root.iter("site")):
            base = site.get("name") or site.get("host") or ""
            for a, item in enumerate(site.iter("alertitem")):
                alert: dict[str, Any] = {
                    tag: _child(item, tag)
                    for tag in (
                        "pluginid",
                        "alertRef",
                        "alert",
                        "name",
                        "riskcode",
                        "confidence",
                        "desc",
                        "solution",
                        "cweid",
                    )
                }
                fields = ("uri", "method", "param", "evidence")
                alert["instances"] = [
                    {t: _child(inst, t) for t in fields} for inst in item.iter("instance")
                ]
                if not alert["instances"] and _child(item, "uri"):  # ZAP before 2.9
                    alert["instances"] = [{t: _child(item, t) for t in fields}]
                yield from self._alert(alert, base, name, f"site[{s}].alertitem[{a}]")

    def _json(self, data: bytes, name: str) -> Iterator[Finding | Skipped]:
        report = load_json(io.BytesIO(data), name)
        if isinstance(report, Skipped):
            yield report
            return
        sites = report.get("site") if isinstance(report, Mapping) else None
        if isinstance(sites, Mapping):
            sites = [sites]
        if not isinstance(sites, list):
            yield Skipped(name, "site", "not a ZAP JSON report (no site list)")
            return
        for s, site in enumerate(sites):
            if not isinstance(site, Mapping) or not isinstance(site.get("alerts"), list):
                yield Skipped(name, f"site[{s}]", "no alerts list")
                continue
            base = str(site.get("@name") or site.get("@host") or "")
            for a, alert in enumerate(site["alerts"]):
                if not isinstance(alert, Mapping):
                    yield Skipped(name, f"site[{s}].alerts[{a}]", "not an object")
                    continue
                yield from self._alert(dict(alert), base, name, f"site[{s}].alerts[{a}]")

    def _alert(
        self, alert: dict[str, Any], base: str, name: str, where: str
    ) -> Iterator[Finding | Skipped]:
        if int_of(alert.get("confidence")) == 0:
            return  # confidence 0: marked as a false positive in ZAP itself
        plugin = text_of(alert.get("alertRef")) or text_of(alert.get("pluginid"))
        risk = int_of(alert.get("riskcode"))
        if plugin is None or risk not in RISK:
            yield Skipped(name, where, "missing pluginid or riskcode")
            return
        title = text_of(alert.get("name")) or text_of(alert.get("alert")) or plugin
        cwe = int_of(alert.get("cweid"))
        instances = [i for i in alert.get("instances") or [] if isinstance(i, Mapping)]
        for instance in instances or [{"uri": base}]:
            yield Finding(
                title=safe_text(title, 200),
                tool=self.name,
                rule_id=plugin,
                severity=RISK[risk],
                location=Location.web(
                    text_of(instance.get("uri")) or base, text_of(instance.get("param"))
                ),
                cwe=(cwe,) if cwe and cwe > 0 else (),
                description=_strip_html(text_of(alert.get("desc")))
                + (
                    f"\nSolution: {_strip_html(text_of(alert.get('solution')))}"
                    if alert.get("solution")
                    else ""
                ),
                evidence=evidence(instance.get("evidence")),
            )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("zap")
