"""The benchmark table: the requested size, the export's columns, deterministic."""

from __future__ import annotations

import csv

import pytest
from demodata_checks import luhn_ok

from breachdesk.demodata import TABLE_COLUMNS, generate_structured_table

SIZE = 400_000


def test_table_has_requested_size_columns_and_rows(tmp_path):
    path = tmp_path / "table.csv"
    truth = generate_structured_table(path, SIZE, seed=3, pool_bits=7)
    size = path.stat().st_size
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    per_row = size / len(rows)
    assert SIZE <= size < SIZE + 2 * per_row
    assert rows[0] == list(TABLE_COLUMNS) == [c.name for c in truth.columns]
    assert len(rows) - 1 == truth.rows
    assert len(rows[0]) >= 25
    order_ids = [r[0] for r in rows[1:]]
    assert len(set(order_ids)) == len(order_ids)
    cards = [r[rows[0].index("card_number")].replace(" ", "").replace("-", "") for r in rows[1:]]
    assert all(luhn_ok(c) for c in cards)


def test_same_seed_same_bytes(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    generate_structured_table(a, 100_000, seed=1, pool_bits=6)
    generate_structured_table(b, 100_000, seed=1, pool_bits=6)
    generate_structured_table(c, 100_000, seed=2, pool_bits=6)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_pool_bits_are_bounded(tmp_path):
    with pytest.raises(ValueError, match="pool_bits"):
        generate_structured_table(tmp_path / "x.csv", 10, pool_bits=17)
