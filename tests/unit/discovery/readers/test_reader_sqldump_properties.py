"""Property tests: values written with mysqldump or pg_dump escaping read back unchanged."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from breachdesk.discovery.model import Locator, TableBatch
from breachdesk.discovery.readers.base import ReadContext, ReadLimits
from breachdesk.discovery.readers.sqldump import SqlDumpReader

_VALUE = st.one_of(st.none(), st.text(alphabet="ab;,()'\"\\\n\t -é", max_size=8))
_ROWS = st.lists(st.lists(_VALUE, min_size=2, max_size=2), min_size=1, max_size=12)


def _mysql(value: str | None) -> str:
    if value is None:
        return "NULL"
    escaped = value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
    return "'" + escaped.replace("\t", "\\t").replace('"', '\\"') + "'"


def _copy(value: str | None) -> str:
    if value is None:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def _pg_insert(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def _read(text: str) -> list[tuple]:
    items = SqlDumpReader().read(
        io.BytesIO(text.encode()), Locator("d.sql"), ReadContext(ReadLimits())
    )
    rows = []
    for item in items:
        assert isinstance(item, TableBatch), item
        rows.extend(item.frame.rows())
    return rows


def _expected(rows):
    return [tuple(row) for row in rows]  # SQL keeps '' and NULL apart


@settings(max_examples=150, deadline=None)
@given(_ROWS)
def test_mysqldump_round_trip(rows):
    values = ",".join("(" + ",".join(_mysql(v) for v in row) + ")" for row in rows)
    text = (
        f"-- MySQL dump\nCREATE TABLE `t` (`a` text, `b` text);\nINSERT INTO `t` VALUES {values};\n"
    )
    assert _read(text) == _expected(rows)


@settings(max_examples=150, deadline=None)
@given(_ROWS)
def test_pg_dump_copy_and_insert_round_trip(rows):
    copy = "".join("\t".join(_copy(v) for v in row) + "\n" for row in rows)
    inserts = "".join(
        "INSERT INTO public.t VALUES (" + ", ".join(_pg_insert(v) for v in row) + ");\n"
        for row in rows
    )
    text = (
        "-- PostgreSQL database dump\nCREATE TABLE public.t (a text, b text);\n"
        f"COPY public.t (a, b) FROM stdin;\n{copy}\\.\n{inserts}"
    )
    assert _read(text) == _expected(rows) * 2
