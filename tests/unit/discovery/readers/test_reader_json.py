"""JSON and NDJSON readers: flattening, record arrays, streaming batches, broken input."""

from __future__ import annotations

import json
from pathlib import Path

from breachdesk.discovery.model import TableBatch
from breachdesk.discovery.readers.jsontree import flatten


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_flatten_paths():
    flat = flatten({"customer": {"address": {"zip": "10115"}, "tags": ["a", "b"]}, "ok": True})
    assert flat == {
        "customer.address.zip": "10115",
        "customer.tags.0": "a",
        "customer.tags.1": "b",
        "ok": "true",
    }


def test_array_of_nested_records(tmp_path, read, helpers):
    records = [{"id": i, "customer": {"email": f"u{i}@example.com", "dob": None}} for i in range(5)]
    items = read(_write(tmp_path, "a.json", json.dumps(records).encode()), batch_rows=2)
    assert helpers.skips(items) == []
    out = helpers.rows(items)
    assert len(out) == 5
    assert out[3] == {"id": "3", "customer.email": "u3@example.com", "customer.dob": None}
    assert [b.first_row for b in items if isinstance(b, TableBatch)] == [1, 3, 5]


def test_record_arrays_under_top_level_keys(tmp_path, read, helpers):
    doc = {
        "meta": {"exported": "2024-01-01"},
        "users": [{"n": "a"}, {"n": "b"}],
        "orders": [{"x": 1}],
    }
    items = read(_write(tmp_path, "o.json", json.dumps(doc).encode()))
    assert helpers.rows(items, table="users") == [{"n": "a"}, {"n": "b"}]
    assert helpers.rows(items, table="orders") == [{"x": "1"}]
    root = [i for i in items if isinstance(i, TableBatch) and i.locator.table is None]
    assert root[0].frame.to_dicts() == [{"meta.exported": "2024-01-01"}]


def test_heterogeneous_records_union_columns(tmp_path, read, helpers):
    items = read(_write(tmp_path, "h.json", b'[{"a": 1}, {"b": 2}, 3]'))
    assert helpers.rows(items) == [
        {"a": "1", "b": None, "value": None},
        {"a": None, "b": "2", "value": None},
        {"a": None, "b": None, "value": "3"},
    ]


def test_broken_json_keeps_what_was_read(tmp_path, read, helpers):
    items = read(_write(tmp_path, "b.json", b'[{"email": "a@example.com"}, {"email": "b@exa'))
    assert helpers.rows(items) == [{"email": "a@example.com"}]
    skipped = helpers.skips(items)
    assert len(skipped) == 1
    assert "invalid JSON" in skipped[0].reason
    assert "exa" not in skipped[0].reason


def test_ndjson_bad_lines_are_skipped_by_line(tmp_path, read, helpers):
    data = b'{"a": 1}\n{"a": 2, "b": {"c": "x"}}\n{broken\n\n{"a": 5}\n'
    items = read(_write(tmp_path, "e.ndjson", data))
    skipped = helpers.skips(items)
    assert [s.locator.row for s in skipped] == [3]
    batches = [i for i in items if isinstance(i, TableBatch)]
    assert [b.first_row for b in batches] == [1, 5]
    assert batches[0].frame.to_dicts()[1] == {"a": "2", "b.c": "x"}


def test_ndjson_detected_by_content(tmp_path, read, helpers):
    items = read(_write(tmp_path, "dump.json", b'{"a": 1}\n{"a": 2}\n'))
    assert helpers.rows(items) == [{"a": "1"}, {"a": "2"}]


def test_large_array_streams_in_batches(tmp_path, read):
    records = ",".join(json.dumps({"id": i, "p": {"q": "v"}}) for i in range(20_000))
    path = _write(tmp_path, "big.json", f"[{records}]".encode())
    batches = [i for i in read(path, batch_rows=5000) if isinstance(i, TableBatch)]
    assert [b.frame.height for b in batches] == [5000] * 4


def test_record_arrays_nested_under_objects(tmp_path, read, helpers):
    doc = {"data": {"users": [{"e": f"u{i}@example.com", "t": [1, 2]} for i in range(3)]}}
    items = read(_write(tmp_path, "n.json", json.dumps(doc).encode()))
    out = helpers.rows(items, table="data.users")
    assert [r["e"] for r in out] == ["u0@example.com", "u1@example.com", "u2@example.com"]
    assert out[0]["t.1"] == "2"


def test_top_level_scalar_array_and_bom(tmp_path, read, helpers):
    items = read(_write(tmp_path, "s.json", b'\xef\xbb\xbf["a@example.com", null, 3]'))
    assert helpers.rows(items) == [{"value": "a@example.com"}, {"value": None}, {"value": "3"}]
