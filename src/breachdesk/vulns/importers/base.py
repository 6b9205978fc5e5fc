"""The Importer contract: sniff a report, parse it into normalised findings or skips."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib.resources import files
from typing import BinaryIO, Protocol, runtime_checkable

from breachdesk.core.finding import Finding, Skipped

SNIFF_BYTES = 65_536


@runtime_checkable
class Importer(Protocol):
    """Reads one scanner's report format; never raises on bad input (yields ``Skipped``)."""

    name: str  # "bandit": the --tool value and the default scan label
    version: int  # bumped when the mapping of a format to findings changes
    extensions: tuple[str, ...]

    def sniff(self, head: bytes, name: str) -> bool:
        """Whether the first bytes of a file look like this format."""
        ...

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every finding of the report, and a ``Skipped`` for each part that cannot be read."""
        ...

    def samples(self) -> Mapping[str, bytes]:
        """Small reports in this format shipped with the importer (for contract tests)."""
        ...


def shipped_samples(prefix: str) -> dict[str, bytes]:
    """The files in ``vulns/importers/samples/`` whose names start with ``prefix``."""
    folder = files("breachdesk.vulns.importers") / "samples"
    return {
        entry.name: entry.read_bytes()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.startswith(prefix) and entry.is_file()
    }
