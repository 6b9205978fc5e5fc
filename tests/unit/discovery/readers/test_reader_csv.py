"""CSV/TSV reader: dialects, encodings, quoted newlines, ragged rows, fast path, byte ranges."""

from __future__ import annotations

import codecs
import itertools
from pathlib import Path

import pytest

from breachdesk.discovery.model import Locator, Skipped, TableBatch
from breachdesk.discovery.readers.base import ReadContext, ReadLimits
from breachdesk.discovery.readers.csv_split import split_csv
from breachdesk.discovery.readers.delimited import CsvReader, sniff_dialect


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_quoted_newlines_bom_and_header(tmp_path, read, helpers):
    data = codecs.BOM_UTF8 + b'id,name,note\n1,"Doe, Jane","two\nlines"\n2,Bob,\n'
    items = read(_write(tmp_path, "p.csv", data))
    assert helpers.skips(items) == []
    assert helpers.rows(items) == [
        {"id": "1", "name": "Doe, Jane", "note": "two\nlines"},
        {"id": "2", "name": "Bob", "note": None},
    ]


def test_semicolon_tsv_and_pipe_dialects(tmp_path, read, helpers):
    semi = read(_write(tmp_path, "s.csv", b"a;b\n1;2\n3;4\n"))
    tsv = read(_write(tmp_path, "t.tsv", b"a\tb\n1\t2\n"))
    pipe = read(_write(tmp_path, "p.csv", b"a|b\nx|y\n"))
    assert helpers.rows(semi) == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]
    assert helpers.rows(tsv) == [{"a": "1", "b": "2"}]
    assert helpers.rows(pipe) == [{"a": "x", "b": "y"}]


def test_ragged_rows_are_skipped_by_row_number(tmp_path, read, helpers):
    data = b"id,email\n1,a@example.com\n2\n3,b@example.com,extra\n4,c@example.com\n"
    items = read(_write(tmp_path, "r.csv", data))
    skipped = helpers.skips(items)
    assert [s.locator.row for s in skipped] == [2, 3]
    assert "expected 2" in skipped[0].reason
    assert all("example" not in s.reason for s in skipped)
    batches = [i for i in items if isinstance(i, TableBatch)]
    assert [(b.first_row, b.frame.height) for b in batches] == [(1, 1), (4, 1)]


@pytest.mark.parametrize("fast", [False, True])
def test_invalid_utf8_is_reported_and_the_rest_read(tmp_path, read, helpers, fast):
    good = "".join(f"{i},Zoë Ünal {i}\n" for i in range(6000)).encode()
    data = b"id,name\n" + good + b"6000,bad \xff\xfe byte\n6001,after\n"
    items = read(_write(tmp_path, "u.csv", data), fast_path_bytes=0 if fast else 1 << 40)
    skipped = helpers.skips(items)
    assert len(skipped) == 1
    assert skipped[0].locator.row == 6001
    assert "undecodable" in skipped[0].reason
    out = helpers.rows(items)
    assert len(out) == 6002
    assert out[1]["name"] == "Zoë Ünal 1"
    assert out[-1] == {"id": "6001", "name": "after"}


def test_legacy_and_utf16_encodings(tmp_path, read, helpers):
    latin = "id,name,city\n" + "".join(f"{i},Müller,Köln\n" for i in range(50))
    items = read(_write(tmp_path, "l.csv", latin.encode("cp1252")))
    assert helpers.rows(items)[0] == {"id": "0", "name": "Müller", "city": "Köln"}
    utf16 = read(_write(tmp_path, "w.csv", "id,name\n1,Zoë\n".encode("utf-16")))
    assert helpers.rows(utf16) == [{"id": "1", "name": "Zoë"}]


def test_headerless_file_gets_generated_names(tmp_path, read, helpers):
    items = read(_write(tmp_path, "n.csv", b"a@example.com,555-0100\nb@example.com,555-0101\n"))
    out = helpers.rows(items)
    assert list(out[0]) == ["column_1", "column_2"]
    assert len(out) == 2


def test_batch_size_is_configurable(tmp_path, read):
    data = b"a,b\n" + b"".join(b"%d,x\n" % i for i in range(5))
    items = read(_write(tmp_path, "b.csv", data), batch_rows=2)
    assert [(b.first_row, b.frame.height) for b in items] == [(1, 2), (3, 2), (5, 1)]


def test_empty_and_header_only_files(tmp_path, read):
    assert read(_write(tmp_path, "e.csv", b"")) == []
    assert [i for i in read(_write(tmp_path, "h.csv", b"a,b\n")) if isinstance(i, Skipped)] == []


def _big(rows: int) -> bytes:
    lines = [b"id,email,note"]
    for i in range(rows):
        note = b'"multi\nline, quoted ""x"""' if i % 7 == 0 else b"plain"
        lines.append(b"%d,user%d@example.com,%s" % (i, i, note))
    return b"\n".join(lines) + b"\n"


def test_fast_path_matches_slow_path(tmp_path, read, helpers):
    path = _write(tmp_path, "big.csv", _big(3000))
    slow = read(path, fast_path_bytes=1 << 40)
    fast = read(path, fast_path_bytes=0, csv_chunk_bytes=4096, batch_rows=500)
    assert helpers.skips(fast) == []
    assert helpers.rows(fast) == helpers.rows(slow)
    firsts = [b.first_row for b in fast if isinstance(b, TableBatch)]
    assert firsts == sorted(firsts)
    assert firsts[0] == 1


def test_fast_path_falls_back_per_chunk_on_ragged_rows(tmp_path, read, helpers):
    data = bytearray(_big(500))
    data += b"500,x@example.com,a,b,c\n501,y@example.com,ok\n"
    items = read(_write(tmp_path, "rag.csv", bytes(data)), fast_path_bytes=0, csv_chunk_bytes=2048)
    assert [s.locator.row for s in helpers.skips(items)] == [501]
    out = helpers.rows(items)
    assert len(out) == 501
    assert out[-1]["id"] == "501"


def test_split_ranges_cover_the_file_and_respect_quotes(tmp_path, helpers):
    path = _write(tmp_path, "split.csv", _big(2000))
    ranges = split_csv(path, target_bytes=3000)
    assert len(ranges) > 5
    assert all(a.end == b.start for a, b in itertools.pairwise(ranges))
    assert ranges[-1].end == path.stat().st_size
    reader, context = CsvReader(), ReadContext(ReadLimits())
    whole = helpers.rows(list(reader.read(path.open("rb"), Locator("split.csv"), context)))
    parts = []
    for part in ranges:
        items = list(reader.read_range(path, part, Locator("split.csv"), context))
        assert helpers.skips(items) == []
        batches = [i for i in items if isinstance(i, TableBatch)]
        assert batches[0].first_row == part.first_row
        parts.extend(helpers.rows(items))
    assert parts == whole


def test_split_refuses_unsafe_quoting(tmp_path):
    data = b'id,text\n1,"say \\"hi\\"\nthere"\n' * 200
    path = _write(tmp_path, "esc.csv", data)
    assert len(split_csv(path, target_bytes=100)) == 1
    assert not sniff_dialect(data[:4096], "esc.csv").splittable


def test_unterminated_quote_does_not_raise(tmp_path, read):
    items = read(_write(tmp_path, "q.csv", b'a,b\n1,"never closed\n2,3\n'))
    assert all(isinstance(i, TableBatch | Skipped) for i in items)


def test_fast_path_reports_short_rows_and_blank_lines(tmp_path, read, helpers):
    data = bytearray(_big(300))
    data += b"300\n\n301,z@example.com,ok\n"
    path = _write(tmp_path, "short.csv", bytes(data))
    fast = read(path, fast_path_bytes=0, csv_chunk_bytes=1024)
    slow = read(path, fast_path_bytes=1 << 40)
    assert [s.locator.row for s in helpers.skips(fast)] == [301]
    assert helpers.rows(fast) == helpers.rows(slow)


def test_empty_header_cell_is_still_a_header(tmp_path, read, helpers):
    items = read(_write(tmp_path, "pd.csv", b",name,email\n0,Ann,a@example.com\n"))
    assert helpers.rows(items) == [{"column_1": "0", "name": "Ann", "email": "a@example.com"}]


def test_backslash_escaped_quotes(tmp_path, read, helpers):
    data = b'id,bio\n1,"said \\"hi\\", then left"\n2,plain\n'
    items = read(_write(tmp_path, "esc.csv", data))
    assert helpers.skips(items) == []
    assert helpers.rows(items) == [
        {"id": "1", "bio": 'said "hi", then left'},
        {"id": "2", "bio": "plain"},
    ]
