"""Office and print documents: PDF text (pypdf) and DOCX paragraphs and tables (python-docx)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from breachdesk.discovery.model import Locator
from breachdesk.discovery.readers.base import Item, ReadContext, failure, spooled_path
from breachdesk.discovery.readers.table import batched_rows, header_like, unique_names
from breachdesk.discovery.readers.text import text_chunks


@dataclass(frozen=True, slots=True)
class PdfReader:
    """PDF text, page by page; a page whose text cannot be extracted is skipped."""

    name: str = "pdf"
    version: int = 1
    extensions: tuple[str, ...] = (".pdf",)
    media_types: tuple[str, ...] = ("application/pdf",)

    def sniff(self, head: bytes, name: str) -> bool:
        """The ``%PDF-`` header (possibly after a little junk)."""
        return b"%PDF-" in head[:1024]

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Text of every page as chunks located by page number (table ``page N``)."""
        import logging

        from pypdf import PdfReader as Pdf

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        try:
            with spooled_path(stream, context.limits, ".pdf") as path:
                pdf = Pdf(str(path), strict=False)
                for number, page in enumerate(pdf.pages, start=1):
                    at = Locator(locator.path, f"page {number}")
                    try:
                        text = page.extract_text() or ""
                    except Exception as exc:  # broken content stream on this page only
                        yield failure(at, "page text not extractable", exc)
                        continue
                    yield from text_chunks([text], at, context.limits.text_chunk_chars)
        except Exception as exc:  # not a PDF, encrypted, or broken beyond repair
            yield failure(locator, "PDF not readable", exc)

    def samples(self) -> Mapping[str, bytes]:
        """A one-page PDF written by hand."""
        return {"letter.pdf": minimal_pdf("Contact a@example.com")}


def minimal_pdf(text: str) -> bytes:
    """A valid one-page PDF showing ``text`` (ASCII) in Helvetica."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass(frozen=True, slots=True)
class DocxReader:
    """Word documents: paragraphs as text, each table as a table (first row as header)."""

    name: str = "docx"
    version: int = 1
    extensions: tuple[str, ...] = (".docx", ".docm")
    media_types: tuple[str, ...] = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )

    def sniff(self, head: bytes, name: str) -> bool:
        """A zip container named like a Word document."""
        return head.startswith(b"PK\x03\x04") and name.lower().endswith(self.extensions)

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Body paragraphs, then tables (``table 1``, ``table 2`` ...)."""
        import docx

        try:
            with spooled_path(stream, context.limits, ".docx") as path:
                document = docx.Document(str(path))
                lines = (p.text + "\n" for p in document.paragraphs)
                yield from text_chunks(lines, locator, context.limits.text_chunk_chars)
                for number, table in enumerate(document.tables, start=1):
                    yield from _table(table, Locator(locator.path, f"table {number}"), context)
        except Exception as exc:  # not a Word document or a broken container
            yield failure(locator, "document not readable", exc)

    def samples(self) -> Mapping[str, bytes]:
        """A document with one paragraph and one table (built with python-docx)."""
        import docx

        document = docx.Document()
        document.add_paragraph("Customer contact: a@example.com")
        table = document.add_table(rows=2, cols=2)
        for r, row in enumerate([["name", "phone"], ["Ann", "+1 555 0100"]]):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        buf = io.BytesIO()
        document.save(buf)
        return {"memo.docx": buf.getvalue()}


def _table(table: Any, at: Locator, context: ReadContext) -> Iterator[Item]:
    rows = [[cell.text or None for cell in row.cells] for row in table.rows]
    if not rows:
        return
    width = max(len(r) for r in rows)
    if header_like(rows[0]):
        names, body = unique_names(rows[0] + [None] * (width - len(rows[0]))), rows[1:]
    else:
        names, body = unique_names([None] * width), rows
    body = [(r + [None] * width)[:width] for r in body]
    yield from batched_rows(at, names, body, context.limits.batch_rows)
