"""Column classification on the demo customer table: every column right, embedded PII found."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from breachdesk.demodata import generate_structured_table
from breachdesk.discovery.columns import classify_column


def test_demo_table_every_column_right(tmp_path: Path) -> None:
    truth = generate_structured_table(tmp_path / "t.csv", 300_000, pool_bits=9)
    frame = pl.read_csv(tmp_path / "t.csv", infer_schema=False)
    wrong = {}
    for column in truth.columns:
        got = classify_column(column.name, frame[column.name])
        embedded = {e for e, _ in got.embedded}
        if got.element != column.element or not column.embedded <= embedded:
            wrong[column.name] = (column.element, got.element, sorted(embedded))
    assert wrong == {}
