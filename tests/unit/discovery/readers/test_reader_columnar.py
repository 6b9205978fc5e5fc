"""Parquet and spreadsheet readers: row groups, sheets, corrupt files."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from breachdesk.discovery.model import Locator, TableBatch
from breachdesk.discovery.readers.base import ReadContext, ReadLimits
from breachdesk.discovery.readers.parquet import ParquetReader, parquet_row_groups
from breachdesk.discovery.readers.xlsx import minimal_xlsx


def _parquet(path: Path, rows: int = 10, group: int = 4) -> Path:
    table = pa.table(
        {
            "id": list(range(rows)),
            "email": [f"u{i}@example.com" for i in range(rows)],
            "score": [i / 4 for i in range(rows)],
            "tags": [["a", str(i)] for i in range(rows)],
        }
    )
    pq.write_table(table, path, row_group_size=group)
    return path


def test_parquet_row_groups_and_text_columns(tmp_path, read, helpers):
    path = _parquet(tmp_path / "p.parquet")
    assert parquet_row_groups(path) == [(0, 1), (1, 5), (2, 9)]
    items = read(path)
    assert helpers.skips(items) == []
    out = helpers.rows(items)
    assert len(out) == 10
    assert out[5]["id"] == "5"
    assert out[5]["email"] == "u5@example.com"
    assert out[2]["score"] == "0.5"
    assert out[2]["tags"] == "a; 2"
    assert [b.first_row for b in items if isinstance(b, TableBatch)] == [1, 5, 9]


def test_parquet_single_row_group_read(tmp_path, helpers):
    path = _parquet(tmp_path / "g.parquet")
    items = list(
        ParquetReader().read_row_group(path, 1, 5, Locator("g"), ReadContext(ReadLimits()))
    )
    assert [r["id"] for r in helpers.rows(items)] == ["4", "5", "6", "7"]


def test_corrupt_parquet(tmp_path, read, helpers):
    data = _parquet(tmp_path / "ok.parquet").read_bytes()
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1" + b"\x00" * 200 + data[-100:])
    assert len(helpers.skips(read(bad))) == 1
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(data[: len(data) // 2])
    assert helpers.skips(read(cut))


def test_xlsx_sheets_with_header(tmp_path, read, helpers):
    path = tmp_path / "w.xlsx"
    path.write_bytes(minimal_xlsx([["id", "email", ""], ["1", "a@example.com", "x"], ["2"]]))
    items = read(path)
    assert helpers.skips(items) == []
    assert helpers.rows(items, table="Sheet1") == [
        {"id": "1", "email": "a@example.com", "column_3": "x"},
        {"id": "2", "email": None, "column_3": None},
    ]


def test_xlsx_written_by_a_real_writer(tmp_path, read, helpers):
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    for sheet_name in ("Customers", "Empty"):
        sheet = book.add_worksheet(sheet_name)
        if sheet_name == "Customers":
            sheet.write_row(0, 0, ["name", "dob", "amount"])
            sheet.write_row(1, 0, ["Ann", "1980-01-02", 12.5])
            sheet.write_row(2, 0, ["Bob", "1990-03-04", 7])
    book.close()
    path = tmp_path / "real.xlsx"
    path.write_bytes(buf.getvalue())
    items = read(path)
    assert helpers.skips(items) == []
    out = helpers.rows(items, table="Customers")
    assert out == [
        {"name": "Ann", "dob": "1980-01-02", "amount": "12.5"},
        {"name": "Bob", "dob": "1990-03-04", "amount": "7"},
    ]


def test_xlsx_that_is_not_a_workbook(tmp_path, read, helpers):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    items = read(path)
    assert len(helpers.skips(items)) == 1


def test_xlsx_without_header_row_does_not_use_values_as_names(tmp_path, read, helpers):
    path = tmp_path / "nohead.xlsx"
    path.write_bytes(minimal_xlsx([["a@example.com", "555-0100"], ["b@example.com", "555-0101"]]))
    out = helpers.rows(read(path), table="Sheet1")
    assert out == [
        {"column_1": "a@example.com", "column_2": "555-0100"},
        {"column_1": "b@example.com", "column_2": "555-0101"},
    ]


def test_parquet_structs_are_flattened(tmp_path, read, helpers):
    table = pa.table(
        {
            "customer": [{"email": "a@example.com", "address": {"zip": "10115"}}, None],
            "orders": [[{"sku": "x"}], []],
        }
    )
    path = tmp_path / "nested.parquet"
    pq.write_table(table, path)
    out = helpers.rows(read(path))
    assert out[0]["customer.email"] == "a@example.com"
    assert out[0]["customer.address.zip"] == "10115"
    assert out[0]["orders"] == '[{"sku":"x"}]'
    assert out[1]["customer.email"] is None
