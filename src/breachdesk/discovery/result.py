"""What a scan produces: per-source reports (no raw values) and per-record hits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from breachdesk.discovery.model import Skipped


@dataclass(frozen=True, slots=True)
class ColumnReport:
    """How one column of one table was classified."""

    table: str | None
    name: str
    element: str | None
    confidence: float
    share: float  # of non-empty values that validated as ``element``
    count: int  # non-empty values seen
    embedded: Mapping[str, int] = field(default_factory=dict)  # elements found inside free text

    def as_json(self) -> dict[str, Any]:
        """JSON form for the report."""
        return {
            "table": self.table,
            "name": self.name,
            "element": self.element,
            "confidence": round(self.confidence, 3),
            "share": round(self.share, 4),
            "count": self.count,
            "embedded": dict(sorted(self.embedded.items())),
        }


@dataclass(frozen=True, slots=True)
class RecordHit:
    """One leaked record holding personal data: its elements and its identifiers.

    ``identifiers`` holds normalised values (``("email", "ana@example.com")``) that the caller
    turns into keyed hashes and encrypted contacts; they never appear in repr.
    """

    table: str | None
    row: int
    elements: tuple[str, ...]
    identifiers: tuple[tuple[str, str], ...] = field(repr=False, default=())


@dataclass(frozen=True, slots=True)
class SourceReport:
    """Everything found in one source file, safe to print and store."""

    path: str
    sha256: str
    size: int
    format: str
    records: int
    skipped: tuple[Skipped, ...]
    columns: tuple[ColumnReport, ...]
    elements: Mapping[str, int]
    samples: Mapping[str, tuple[str, ...]]  # masked examples per element

    def as_json(self) -> dict[str, Any]:
        """JSON form for ``scan --json``."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "format": self.format,
            "records": self.records,
            "skipped": [
                {"locator": s.locator.describe(), "reason": s.reason} for s in self.skipped
            ],
            "columns": [c.as_json() for c in self.columns],
            "elements": dict(sorted(self.elements.items())),
            "samples": {k: list(v) for k, v in sorted(self.samples.items())},
        }
