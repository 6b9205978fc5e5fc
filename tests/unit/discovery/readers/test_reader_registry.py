"""Registry: dispatch by content then extension, plugins, duplicates, open_source failures."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

import pytest

from breachdesk.discovery.model import Locator, TextChunk
from breachdesk.discovery.readers import registry
from breachdesk.discovery.readers.base import Reader
from breachdesk.discovery.readers.registry import (
    DuplicateReaderError,
    builtin_readers,
    check_unique,
    open_source,
    reader_for,
)


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("x.bin", b"SQLite format 3\x00rest", "sqlite"),
        ("data", b"PAR1....", "parquet"),
        ("noext", b"PK\x03\x04abc", "zip"),
        ("book.xlsx", b"PK\x03\x04abc", "xlsx"),
        ("memo.docx", b"PK\x03\x04abc", "docx"),
        ("a.gz", b"\x1f\x8b\x08", "compressed"),
        ("doc", b"%PDF-1.7\n", "pdf"),
        ("x.txt", b'[{"a": 1}]', "json"),
        ("x.txt", b'{"a": 1}\n{"a": 2}\n', "ndjson"),
        ("dump.txt", b"-- MySQL dump 10.13\nCREATE TABLE t (a int);\n", "sql_dump"),
        ("people.csv", b"a,b\n1,2\n", "csv"),
        ("notes", b"just some words\n", "text"),
        ("mail", b"From: a@b.c\nTo: d@e.f\nMessage-ID: <1@x>\n\nhi", "email"),
        ("box", b"From a@b Mon Jan 1\nFrom: a\n", "mbox"),
        ("weird.csv", b"\x00\x01\x02", "csv"),
    ],
)
def test_dispatch(name, head, expected):
    reader = reader_for(name, head)
    assert reader is not None
    assert reader.name == expected


def test_reader_named():
    assert registry.reader_named("csv").name == "csv"
    with pytest.raises(KeyError):
        registry.reader_named("nope")


def test_unknown_binary_has_no_reader():
    assert reader_for("blob.bin", bytes(range(200))) is None


@dataclass(frozen=True, slots=True)
class _Upper:
    """A third-party reader for ``.upper`` files."""

    name: str = "upper"
    version: int = 1
    extensions: tuple[str, ...] = (".upper",)
    media_types: tuple[str, ...] = ()

    def sniff(self, head, name):
        return name.endswith(".upper")

    def read(self, stream, locator, context):
        yield TextChunk(locator, 0, 1, stream.read().decode().upper())

    def samples(self):
        return {"a.upper": b"hi"}


def test_plugins_come_from_entry_points(monkeypatch, tmp_path):
    point = metadata.EntryPoint("upper", f"{__name__}:_Upper", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [point])
    registry.all_readers.cache_clear()
    try:
        readers = registry.all_readers()
        assert readers[0].name == "upper"
        assert isinstance(readers[0], Reader)
        path = tmp_path / "x.upper"
        path.write_bytes(b"abc")
        items = list(open_source(path))
        assert [i.text for i in items if isinstance(i, TextChunk)] == ["ABC"]
    finally:
        registry.all_readers.cache_clear()


def test_duplicate_names_fail_loudly():
    with pytest.raises(DuplicateReaderError):
        check_unique([*builtin_readers(), builtin_readers()[0]])


def test_missing_file_is_skipped(tmp_path):
    items = list(open_source(tmp_path / "nope.csv"))
    assert len(items) == 1
    assert "cannot open" in items[0].reason


def test_reader_bug_becomes_skipped(monkeypatch, tmp_path):
    @dataclass(frozen=True, slots=True)
    class _Broken(_Upper):
        def read(self, stream, locator, context):
            yield TextChunk(locator, 0, 1, "ok")
            raise RuntimeError("secret value 4111111111111111")

    monkeypatch.setattr(registry, "all_readers", lambda: (_Broken(),))
    path = tmp_path / "b.upper"
    path.write_bytes(b"x")
    items = list(open_source(path))
    assert isinstance(items[0], TextChunk)
    assert items[1].locator == Locator("b.upper")
    assert "RuntimeError" in items[1].reason
    assert "4111" not in items[1].reason


def test_builtins_satisfy_the_protocol():
    assert all(isinstance(r, Reader) for r in builtin_readers())


def test_base_exception_from_a_native_library_becomes_skipped(monkeypatch, tmp_path):
    class PanicError(BaseException):
        """Stands in for pyo3's PanicException, which is not an Exception."""

    @dataclass(frozen=True, slots=True)
    class _Panics(_Upper):
        def read(self, stream, locator, context):
            raise PanicError

    monkeypatch.setattr(registry, "all_readers", lambda: (_Panics(),))
    path = tmp_path / "p.upper"
    path.write_bytes(b"x")
    items = list(open_source(path))
    assert "PanicError" in items[0].reason


def test_generator_close_is_not_swallowed(tmp_path):
    path = tmp_path / "many.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 10)
    stream = open_source(path, limits=registry.ReadLimits(batch_rows=1))
    next(stream)
    stream.close()
