"""The importer registry: an explicit tuple of built-ins plus the ``breachdesk.importers`` group."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import entry_points
from pathlib import Path

from breachdesk.core.finding import Finding, Skipped
from breachdesk.vulns.importers.base import SNIFF_BYTES, Importer

ENTRY_POINT_GROUP = "breachdesk.importers"


class DuplicateImporterError(Exception):
    """Two importers claim the same name."""


def builtin_importers() -> tuple[Importer, ...]:
    """One instance of every built-in importer, most specific sniffers first (SARIF last)."""
    from breachdesk.vulns.importers.bandit import BanditImporter
    from breachdesk.vulns.importers.detect_secrets import DetectSecretsImporter
    from breachdesk.vulns.importers.gitleaks import GitleaksImporter
    from breachdesk.vulns.importers.nmap import NmapImporter
    from breachdesk.vulns.importers.nuclei import NucleiImporter
    from breachdesk.vulns.importers.osv_scanner import OsvScannerImporter
    from breachdesk.vulns.importers.pip_audit import PipAuditImporter
    from breachdesk.vulns.importers.sarif import SarifImporter
    from breachdesk.vulns.importers.semgrep import SemgrepImporter
    from breachdesk.vulns.importers.sqlmap import SqlmapImporter
    from breachdesk.vulns.importers.trivy import TrivyImporter
    from breachdesk.vulns.importers.zap import ZapImporter

    return (
        BanditImporter(),
        SemgrepImporter(),
        PipAuditImporter(),
        ZapImporter(),
        NucleiImporter(),
        TrivyImporter(),
        NmapImporter(),
        DetectSecretsImporter(),
        GitleaksImporter(),
        OsvScannerImporter(),
        SqlmapImporter(),
        SarifImporter(),
    )


def plugin_factories() -> list[tuple[str, Callable[[], Importer]]]:
    """``(entry point name, factory)`` for every third-party importer installed."""
    return [(ep.name, ep.load()) for ep in entry_points(group=ENTRY_POINT_GROUP)]


def check_unique(importers: Iterable[Importer]) -> tuple[Importer, ...]:
    """The importers as a tuple; raises ``DuplicateImporterError`` if two share a name."""
    seen: set[str] = set()
    result = tuple(importers)
    for importer in result:
        if importer.name in seen:
            raise DuplicateImporterError(f"two importers are named {importer.name!r}")
        seen.add(importer.name)
    return result


def load_importers(*, plugins: bool = True) -> tuple[Importer, ...]:
    """Built-ins followed by installed plugins; duplicate names fail loudly."""
    found = list(builtin_importers())
    if plugins:
        for ep_name, factory in plugin_factories():
            importer = factory()
            if not isinstance(importer, Importer):
                raise TypeError(f"entry point {ep_name!r} did not produce an Importer")
            found.append(importer)
    return check_unique(found)


def importer_names(importers: Iterable[Importer] | None = None) -> list[str]:
    """The ``--tool`` values, ``auto`` first."""
    return ["auto", *(i.name for i in (importers or load_importers()))]


def detect(head: bytes, name: str, importers: Iterable[Importer] | None = None) -> Importer | None:
    """The first importer that recognises the head of a file."""
    for importer in importers or load_importers():
        if importer.sniff(head, name):
            return importer
    return None


def find(tool: str, importers: Iterable[Importer] | None = None) -> Importer | None:
    """The importer named ``tool`` (``-`` and ``_`` are the same)."""
    wanted = tool.strip().lower().replace("_", "-")
    for importer in importers or load_importers():
        if importer.name.replace("_", "-") == wanted:
            return importer
    return None


def read_report(
    path: Path, *, tool: str = "auto", importers: Iterable[Importer] | None = None
) -> tuple[str, Iterator[Finding | Skipped]] | Skipped:
    """The importer's name and the parsed items of one report file, or why it cannot be read."""
    known = tuple(importers or load_importers())
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skipped(path.name, "", f"cannot read ({exc.strerror})")
    if tool == "auto":
        importer = detect(data[:SNIFF_BYTES], path.name, known)
        if importer is None:
            return Skipped(path.name, "", "no importer recognises this file (use --tool)")
    else:
        importer = find(tool, known)
        if importer is None:
            return Skipped(path.name, "", f"unknown tool {tool[:40]!r}")
    return importer.name, importer.parse(io.BytesIO(data), path.name)
