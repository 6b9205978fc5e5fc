"""The leaked spreadsheet: a marketing list written as a minimal XLSX with the standard library."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from random import Random
from xml.sax.saxutils import escape

from breachdesk.core.element import DataElement as E
from breachdesk.demodata import noise
from breachdesk.demodata.person import Person
from breachdesk.demodata.truth import FileTruth, columns

XLSX_FILE = "marketing_list.xlsx"
SHEET = "Newsletter"

XLSX_COLUMNS: dict[str, E | None] = {
    "First Name": E.PERSON_NAME,
    "Last Name": E.PERSON_NAME,
    "E-mail": E.EMAIL,
    "Mobile": E.PHONE,
    "City": E.LOCATION,
    "Country": E.LOCATION,
    "Signed up": None,
    "Segment": None,
}
_FIXED_TIME = (2026, 5, 30, 0, 0, 0)  # fixed zip timestamps keep the bytes deterministic
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_STATIC = {
    "[Content_Types].xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{_CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_MAIN}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_MAIN}.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_NS}" '
        f'xmlns:r="{_REL}"><sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sheet_xml(rows: Sequence[Sequence[str]]) -> str:
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}">']
    out.append("<sheetData>")
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{_column_letter(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(row)
            if v != ""
        )
        out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out)


def write_xlsx(path: Path, rows: Sequence[Sequence[str]]) -> None:
    """Write a one-sheet workbook of inline strings; the first row is the header."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        parts = {**_STATIC, "xl/worksheets/sheet1.xml": _sheet_xml(rows)}
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)


def write_marketing_list(path: Path, people: Sequence[Person], rng: Random) -> FileTruth:
    """The newsletter list: customers who opted in to marketing."""
    rows: list[list[str]] = [list(XLSX_COLUMNS)]
    for person in people:
        if not person.marketing_opt_in:
            continue
        rows.append(
            [
                person.first_name,
                noise.recase(rng, person.last_name),
                person.email,
                noise.maybe_missing(rng, noise.format_phone(rng, person.phone), 0.1),
                person.city,
                person.country,
                person.signup_date.isoformat(),
                rng.choice(("loyal", "new", "lapsed", "vip")),
            ]
        )
    write_xlsx(path, rows)
    return FileTruth(
        path=path.name,
        format="xlsx",
        rows=len(rows) - 1,
        table=SHEET,
        columns=columns(XLSX_COLUMNS),
    )
