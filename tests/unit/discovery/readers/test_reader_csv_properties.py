"""Property tests: record-aligned chunking and byte ranges never cut a record."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from breachdesk.discovery.readers.csv_split import record_chunks, split_csv

_FIELD = st.text(alphabet='ab ,"\n', max_size=6)  # a bare CR is a record end to the csv module
_TABLE = st.lists(st.lists(_FIELD, min_size=3, max_size=3), min_size=1, max_size=40)


def _encode(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["h1", "h2", "h3"])
    writer.writerows(rows)
    return buf.getvalue().encode()


def _parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(), newline="")))


@settings(max_examples=150, deadline=None)
@given(_TABLE, st.integers(min_value=1, max_value=64))
def test_chunks_concatenate_and_parse_alone(rows, target):
    data = _encode(rows)
    pieces = list(record_chunks(io.BytesIO(data[7:]), b'"', target, data[:7]))
    assert b"".join(pieces) == data
    parsed = [record for piece in pieces for record in _parse(piece)]
    assert parsed == _parse(data)


@settings(max_examples=100, deadline=None)
@given(_TABLE, st.integers(min_value=1, max_value=64))
def test_split_ranges_parse_alone(tmp_path_factory, rows, target):
    data = _encode(rows)
    path: Path = tmp_path_factory.mktemp("split") / "t.csv"
    path.write_bytes(data)
    ranges = split_csv(path, target_bytes=target)
    whole = _parse(data)[1:]
    parsed = []
    for part in ranges:
        records = _parse(data[part.start : part.end])
        assert part.first_row == len(parsed) + 1
        parsed.extend(records)
    assert parsed == whole


@settings(max_examples=100, deadline=None)
@given(_TABLE, st.integers(min_value=1, max_value=200))
def test_fast_and_slow_paths_agree(tmp_path_factory, rows, chunk):
    from breachdesk.discovery.model import Locator, TableBatch
    from breachdesk.discovery.readers.base import ReadContext, ReadLimits
    from breachdesk.discovery.readers.delimited import CsvReader

    data = _encode(rows)

    def read(**limits):
        context = ReadContext(ReadLimits(**limits))
        items = list(CsvReader().read(io.BytesIO(data), Locator("p.csv"), context))
        out = []
        for item in items:
            if isinstance(item, TableBatch):
                out.extend((item.first_row + i, r) for i, r in enumerate(item.frame.rows()))
            else:
                out.append((item.locator.row, item.reason))
        return sorted(out, key=lambda pair: pair[0])

    assert read(fast_path_bytes=0, csv_chunk_bytes=chunk) == read(fast_path_bytes=1 << 30)
