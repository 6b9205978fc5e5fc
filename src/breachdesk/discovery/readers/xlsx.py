"""Excel workbooks (xlsx, xlsm, xls, ods via calamine): one table per sheet, first row as header."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from breachdesk.discovery.model import Locator
from breachdesk.discovery.readers.base import Item, ReadContext, failure, fatal, spooled_path
from breachdesk.discovery.readers.table import batched_rows, header_like, to_text, unique_names


@dataclass(frozen=True, slots=True)
class XlsxReader:
    """Spreadsheets; a sheet that cannot be read is skipped, the others still are."""

    name: str = "xlsx"
    version: int = 1
    extensions: tuple[str, ...] = (".xlsx", ".xlsm", ".xls", ".ods")
    media_types: tuple[str, ...] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    def sniff(self, head: bytes, name: str) -> bool:
        """A zip (or OLE) container named like a workbook."""
        magic = head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
        return magic and name.lower().endswith(self.extensions)

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Every sheet in batches of rows."""
        from python_calamine import CalamineWorkbook

        try:
            with spooled_path(stream, context.limits, ".xlsx") as path:
                book = CalamineWorkbook.from_path(str(path))
                for sheet_name in book.sheet_names:
                    yield from _sheet(book, sheet_name, locator, context)
        except BaseException as exc:  # not a workbook or a broken container (panics included)
            if fatal(exc):
                raise
            yield failure(locator, "workbook not readable", exc)

    def samples(self) -> Mapping[str, bytes]:
        """A minimal one-sheet workbook (written by hand: no writer library needed)."""
        return {"people.xlsx": minimal_xlsx([["id", "email"], ["1", "a@example.com"]])}


def _sheet(book: Any, sheet_name: str, locator: Locator, context: ReadContext) -> Iterator[Item]:
    at = Locator(locator.path, sheet_name)
    try:
        rows = iter(book.get_sheet_by_name(sheet_name).iter_rows())
        first = next(rows, None)
        if first is None:
            return
        header = [to_text(v) for v in first]
        if header_like(header):
            names = unique_names(header)
        else:
            names = unique_names([None] * len(header))
            rows = itertools.chain([first], rows)
        width = len(names)

        def cells() -> Iterator[list[str | None]]:
            for row in rows:
                values = [to_text(v) or None for v in row][:width]
                yield values + [None] * (width - len(values))

        yield from batched_rows(at, names, cells(), context.limits.batch_rows)
    except BaseException as exc:  # one broken sheet (panics included)
        if fatal(exc):
            raise
        yield failure(at, "sheet not readable", exc)


def minimal_xlsx(rows: list[list[str]]) -> bytes:
    """An xlsx with one sheet of inline strings."""
    cells = "".join(
        "<row>" + "".join(f'<c t="inlineStr"><is><t>{_esc(v)}</t></is></c>' for v in row) + "</row>"
        for row in rows
    )
    ns = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": (
            f'<Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/'
            'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{cells}</sheetData>'
            "</worksheet>"
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def _esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
