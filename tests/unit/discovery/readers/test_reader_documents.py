"""E-mail, PDF and DOCX readers: headers, bodies, attachments, pages, tables, fakes."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

import docx

from breachdesk.discovery.model import TextChunk
from breachdesk.discovery.readers.document import minimal_pdf


def _message(subject: str, attachments: dict[str, bytes]) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Ann <ann@example.com>"
    msg["To"] = "bob@example.org, carol@example.net"
    msg["Cc"] = "dave@example.com"
    msg["Subject"] = subject
    msg.set_content("Hello,\nmy SSN is in the attached file.\n")
    msg.add_alternative("<p>Hello <b>there</b></p>", subtype="html")
    for name, data in attachments.items():
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def test_eml_headers_body_and_nested_attachments(tmp_path, read, helpers):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("list.csv", "id,email\n1,z@example.com\n")
    path = tmp_path / "m.eml"
    path.write_bytes(_message("leak", {"dump.zip": archive.getvalue()}))
    items = read(path)
    assert helpers.skips(items) == []
    headers = helpers.rows(items, table="headers")
    assert headers[0]["from"] == "Ann <ann@example.com>"
    assert "carol@example.net" in headers[0]["to"]
    assert headers[0]["cc"] == "dave@example.com"
    assert "attached file" in helpers.text(items)
    assert "Hello there" in helpers.text(items).replace("  ", " ")
    assert helpers.rows(items, path="m.eml!dump.zip!list.csv") == [
        {"id": "1", "email": "z@example.com"}
    ]


def test_mbox_messages_are_numbered(tmp_path, read, helpers):
    first = _message("one", {"a.txt": b"note 1\n"})
    second = _message("two", {})
    data = b"From x@y Mon Jan  1 00:00:00 2024\n" + first + b"\n"
    data += b"From x@y Mon Jan  1 00:00:00 2024\n" + second.replace(b"\nFrom ", b"\n>From ")
    path = tmp_path / "box.mbox"
    path.write_bytes(data)
    items = read(path)
    assert helpers.skips(items) == []
    assert [b.first_row for b in items if getattr(b.locator, "table", "") == "headers"] == [1, 2]
    assert any(i.locator.path == "box.mbox!message-1/a.txt" for i in items)
    tables = {i.locator.table for i in items if isinstance(i, TextChunk)}
    assert {"message 1", "message 2"} <= tables


def test_broken_mime_does_not_raise(tmp_path, read):
    path = tmp_path / "bad.eml"
    path.write_bytes(
        b"From: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=zz\n\n"
        b"--zz\nContent-Type: text/plain; charset=no-such-charset\n\nhi \xff\n--zz\n"
        b"Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=x.csv\n\n"
        b"!!!not base64!!!\n"
    )
    for item in read(path):
        assert type(item).__name__ in ("TableBatch", "TextChunk", "Skipped")


def test_pdf_text_by_page(tmp_path, read, helpers):
    path = tmp_path / "l.pdf"
    path.write_bytes(minimal_pdf("Customer SSN 078-05-1120"))
    items = read(path)
    assert helpers.skips(items) == []
    assert "078-05-1120" in helpers.text(items)
    assert items[0].locator.table == "page 1"


def test_pdf_that_is_not_one(tmp_path, read, helpers):
    for name, data in {
        "fake.pdf": b"%PDF-1.4\nthis is not really a pdf\n%%EOF",
        "cut.pdf": minimal_pdf("hello")[:200],
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        items = read(path)
        assert len(helpers.skips(items)) == 1, name
        assert all(type(i).__name__ in ("TextChunk", "Skipped") for i in items)


def test_docx_paragraphs_and_tables(tmp_path, read, helpers):
    document = docx.Document()
    document.add_paragraph("Dear Ann, your card ending 1111 was exposed.")
    table = document.add_table(rows=3, cols=2)
    for r, row in enumerate([["email", "phone"], ["a@example.com", "555-0100"], ["", "x"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "memo.docx"
    document.save(str(path))
    items = read(path)
    assert helpers.skips(items) == []
    assert "card ending 1111" in helpers.text(items)
    assert helpers.rows(items, table="table 1") == [
        {"email": "a@example.com", "phone": "555-0100"},
        {"email": None, "phone": "x"},
    ]


def test_docx_that_is_not_one(tmp_path, read, helpers):
    path = tmp_path / "fake.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a word document")
    path.write_bytes(buf.getvalue())
    assert len(helpers.skips(read(path))) == 1
