"""Ground truth of the generated files: which column, path or span holds which data element."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breachdesk.core.element import DataElement

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True, slots=True)
class ColumnTruth:
    """One column (or flattened JSON path): its element, and elements some free-text values hold."""

    name: str
    element: DataElement | None
    embedded: frozenset[DataElement] = frozenset()


@dataclass(frozen=True, slots=True)
class SpanTruth:
    """One personal-data value inside free text, as character offsets into the decoded text."""

    element: DataElement
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FileTruth:
    """What one generated file (one table of it, for databases and dumps) really holds."""

    path: str  # POSIX, relative to the folder the manifest sits in
    format: str  # sqlite | sql | csv | ndjson | xlsx | text | eml
    rows: int
    table: str | None = None
    columns: tuple[ColumnTruth, ...] = ()
    spans: tuple[SpanTruth, ...] = ()
    elements: frozenset[DataElement] = field(default=frozenset())

    def column(self, name: str) -> ColumnTruth:
        """The truth for the named column; KeyError when there is none."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def all_elements(self) -> frozenset[DataElement]:
        """Every element present anywhere in the file."""
        found = set(self.elements) | {s.element for s in self.spans}
        for col in self.columns:
            found |= col.embedded
            if col.element is not None:
                found.add(col.element)
        return frozenset(found)


def columns(spec: Mapping[str, DataElement | None]) -> tuple[ColumnTruth, ...]:
    """Column truths from a ``{name: element}`` mapping, in order."""
    return tuple(ColumnTruth(name, element) for name, element in spec.items())


@dataclass(frozen=True, slots=True)
class GroundTruth:
    """The manifest of a generated scenario."""

    seed: int
    people: int
    files: tuple[FileTruth, ...]

    def file(self, path: str, table: str | None = None) -> FileTruth:
        """The truth for one file (and table); KeyError when there is none."""
        for item in self.files:
            if item.path == path and (table is None or item.table == table):
                return item
        raise KeyError(path)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary; element ids are plain strings."""
        return {
            "seed": self.seed,
            "people": self.people,
            "files": [_file_to_dict(f) for f in self.files],
        }

    def write(self, path: Path) -> None:
        """Write the manifest as indented JSON."""
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", "utf-8")

    @classmethod
    def read(cls, path: Path) -> GroundTruth:
        """Read a manifest written by :meth:`write`."""
        data = json.loads(path.read_text("utf-8"))
        files = tuple(_file_from_dict(f) for f in data["files"])
        return cls(seed=int(data["seed"]), people=int(data["people"]), files=files)


def _element(value: str | None) -> DataElement | None:
    return None if value is None else DataElement(value)


def _file_to_dict(item: FileTruth) -> dict[str, Any]:
    out: dict[str, Any] = {"path": item.path, "format": item.format, "rows": item.rows}
    if item.table is not None:
        out["table"] = item.table
    if item.columns:
        out["columns"] = {c.name: (c.element.value if c.element else None) for c in item.columns}
        embedded = {c.name: sorted(e.value for e in c.embedded) for c in item.columns if c.embedded}
        if embedded:
            out["embedded"] = embedded
    if item.spans:
        out["spans"] = [
            {"element": s.element.value, "start": s.start, "end": s.end} for s in item.spans
        ]
    if item.elements:
        out["elements"] = sorted(e.value for e in item.elements)
    return out


def _file_from_dict(data: dict[str, Any]) -> FileTruth:
    embedded: dict[str, list[str]] = data.get("embedded", {})
    cols = tuple(
        ColumnTruth(name, _element(el), frozenset(DataElement(e) for e in embedded.get(name, ())))
        for name, el in data.get("columns", {}).items()
    )
    spans = tuple(
        SpanTruth(DataElement(s["element"]), int(s["start"]), int(s["end"]))
        for s in data.get("spans", ())
    )
    return FileTruth(
        path=data["path"],
        format=data["format"],
        rows=int(data["rows"]),
        table=data.get("table"),
        columns=cols,
        spans=spans,
        elements=frozenset(DataElement(e) for e in data.get("elements", ())),
    )
