"""sqlmap results: the ``results-*.csv`` file and the session ``log`` (console) output."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from breachdesk.core.finding import Finding, Location, Severity, Skipped
from breachdesk.vulns.importers.base import shipped_samples
from breachdesk.vulns.importers.common import read_all

CSV_HEADER = ("Target URL", "Place", "Parameter", "Technique(s)")
_PARAMETER = re.compile(r"^Parameter: (?P<name>.+?) \((?P<place>[^)]+)\)\s*$")
_TYPE = re.compile(r"^\s+Type: (?P<type>.+?)\s*$")
_TECHNIQUES = {
    "B": "boolean-based blind",
    "E": "error-based",
    "U": "UNION query",
    "S": "stacked queries",
    "T": "time-based blind",
    "Q": "inline queries",
}
DESCRIPTION = (
    "sqlmap confirmed SQL injection in this parameter: user input reaches a database query "
    "unescaped. Use parameterised queries."
)


def _finding(url: str, parameter: str, place: str, techniques: str) -> Finding:
    return Finding(
        title=f"SQL injection in {place} parameter {parameter}",
        tool="sqlmap",
        rule_id="sqli",
        severity=Severity.CRITICAL,
        location=Location.web(url, parameter),
        cwe=(89,),
        description=DESCRIPTION,
        evidence=f"techniques: {techniques}" if techniques else "",
    )


class SqlmapImporter:
    """One finding per injectable parameter (the log has no URL: its locations name only it)."""

    name: str = "sqlmap"
    version: int = 1
    extensions: tuple[str, ...] = (".csv", ".log", ".txt")

    def sniff(self, head: bytes, name: str) -> bool:
        """sqlmap's CSV header, or its "identified/resumed the following injection point" line."""
        return head.lstrip().startswith(b"Target URL,Place,Parameter") or (
            b"the following injection point" in head and b"Parameter: " in head
        )

    def parse(self, stream: BinaryIO, name: str) -> Iterator[Finding | Skipped]:
        """Every injection point of the CSV rows or of the log's blocks."""
        data = read_all(stream, name)
        if isinstance(data, Skipped):
            yield data
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield Skipped(name, f"byte {exc.start}", "not UTF-8 text")
            return
        if not text.strip():
            return
        if text.lstrip().startswith("Target URL"):
            yield from self._csv(text, name)
        else:
            yield from self._log(text, name)

    def _csv(self, text: str, name: str) -> Iterator[Finding | Skipped]:
        rows = csv.reader(io.StringIO(text.lstrip()))
        header = tuple(next(rows, ()))
        if header[: len(CSV_HEADER)] != CSV_HEADER:
            yield Skipped(name, "line 1", "not a sqlmap results header")
            return
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(CSV_HEADER) or not row[0].strip() or not row[2].strip():
                yield Skipped(name, f"line {number}", "row without URL or parameter")
                continue
            codes = row[3].strip()
            techniques = ", ".join(_TECHNIQUES.get(c, c) for c in codes)
            yield _finding(row[0].strip(), row[2].strip(), row[1].strip(), techniques)

    def _log(self, text: str, name: str) -> Iterator[Finding | Skipped]:
        if "the following injection point" not in text:
            yield Skipped(name, "", "no sqlmap injection points in this text")
            return
        current: tuple[str, str] | None = None
        types: list[str] = []
        for line in [*text.splitlines(), "---"]:
            match = _PARAMETER.match(line)
            if (match or line.startswith("---")) and current is not None:
                yield _finding("", current[0], current[1], ", ".join(types))
                current, types = None, []
            if match:
                current = (match["name"].strip(), match["place"].strip())
            elif current is not None and (kind := _TYPE.match(line)):
                types.append(kind["type"])

    def samples(self) -> Mapping[str, bytes]:
        """Shipped sample reports."""
        return shipped_samples("sqlmap")
