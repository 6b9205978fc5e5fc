"""Helpers for reader tests: read a generated file and look at what came out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from breachdesk.discovery.model import Skipped, TableBatch, TextChunk
from breachdesk.discovery.readers.base import Item, ReadLimits
from breachdesk.discovery.readers.registry import open_source

Read = Callable[..., list[Item]]


@pytest.fixture
def read() -> Read:
    """``read(path, **limits)``: every item ``open_source`` yields, as a list."""

    def _read(path: Path, **limits: Any) -> list[Item]:
        return list(open_source(path, limits=ReadLimits(**limits)))

    return _read


def rows(items: list[Item], path: str | None = None, table: str | None = None) -> list[dict]:
    """All table rows (as dicts) of one path/table, in order, checking batches are consecutive."""
    out: list[dict] = []
    expected: int | None = None
    for item in items:
        if not isinstance(item, TableBatch):
            continue
        if path is not None and item.locator.path != path:
            continue
        if table is not None and item.locator.table != table:
            continue
        if expected is not None:
            assert item.first_row >= expected
        out.extend(item.frame.to_dicts())
        expected = item.first_row + item.frame.height
    return out


def skips(items: list[Item]) -> list[Skipped]:
    """The Skipped entries."""
    return [item for item in items if isinstance(item, Skipped)]


def text(items: list[Item]) -> str:
    """All text chunks joined."""
    return "".join(item.text for item in items if isinstance(item, TextChunk))


@pytest.fixture
def helpers() -> Any:
    """The module-level helpers, for tests that prefer a fixture."""

    class _H:
        rows = staticmethod(rows)
        skips = staticmethod(skips)
        text = staticmethod(text)

    return _H
