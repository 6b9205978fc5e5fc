"""Nmap XML output (``nmap -oX``): open ports, and known vulnerabilities from ``vulners``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import BinaryIO
from xml.etree.ElementTree import Element

from breachdesk.core.finding import Finding, Location, Severity, Skipped, cve_ids
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import load_xml
from breachdesk.vulns.severity import from_score


def _host_name(host: Element) -> str | None:
    for address in host.iter("address"):
        if address.get("addrtype") in ("ipv4", "ipv6") and address.get("addr"):
            return address.get("addr")
    name = host.find("hostnames/hostname")
    return name.get("name") if name is not None else None


def _service(port: Element) -> str:
    service = port.find("service")
    if service is None:
        return ""
    parts = [service.get(k) for k in ("name", "product", "version", "extrainfo")]
    return " ".join(p for p in parts if p)


def _vulners(port: Element) -> Iterator[tuple[str, float | None]]:
    """``(CVE id, CVSS score)`` per CVE entry of the vulners script."""
    for script in port.iter("script"):
        if script.get("id") != "vulners":
            continue
        for table in script.iter("table"):
            elems = {e.get("key"): (e.text or "").strip() for e in table.findall("elem")}
            if elems.get("type") == "cve" and elems.get("id"):
                try:
                    score: float | None = float(elems.get("cvss") or "")
                except ValueError:
                    score = None
                yield elems["id"], score


class NmapImporter:
    """One informational finding per open port; one per CVE the ``vulners`` script lists."""

    name: str = "nmap"
    version: int = 1
    extensions: tuple[str, ...] = (".xml",)

    def sniff(self, head: bytes, name: str) -> bool:
        """An ``<nmaprun`` document."""
        return b"<nmaprun" in head

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every open port and every vulners CVE of every host."""
        root = load_xml(stream, name)
        if isinstance(root, Skipped):
            yield root
            return
        if root.tag != "nmaprun":
            yield Skipped(name, root.tag[:40], "not an nmap report (root element)")
            return
        for h, host in enumerate(root.iter("host")):
            address = _host_name(host)
            if address is None:
                yield Skipped(name, f"host[{h}]", "no address")
                continue
            for p, port in enumerate(host.iter("port")):
                yield from self._port(port, address, name, f"host[{h}].port[{p}]")

    def _port(
        self, port: Element, address: str, name: str, where: str
    ) -> Iterator[Finding | Skipped]:
        state = port.find("state")
        if state is None or state.get("state") != "open":
            return
        number, protocol = port.get("portid") or "", port.get("protocol") or "tcp"
        if not number.isdigit():
            yield Skipped(name, where, "port without a numeric portid")
            return
        location = Location.network(address, int(number), protocol)
        service = _service(port)
        yield Finding(
            title=f"Open port {number}/{protocol}" + (f" ({service})" if service else ""),
            tool=self.name,
            rule_id="open-port",
            severity=Severity.INFO,
            location=location,
            description="An open port: check that the service is meant to be reachable.",
            evidence=service,
        )
        for cve, score in _vulners(port):
            yield Finding(
                title=f"{cve} in {service or f'port {number}'}",
                tool=self.name,
                rule_id=cve,
                severity=from_score(score) if score is not None else Severity.MEDIUM,
                location=location,
                cve=cve_ids(cve),
                cvss_score=score,
                description=f"The vulners script lists {cve} for the service version found.",
                evidence=service,
            )

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("nmap")
