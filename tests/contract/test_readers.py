"""Every registered reader: reads its samples, pickles, survives garbage, hides values."""

from __future__ import annotations

import io
import pickle
import random
from collections.abc import Iterator

import pytest

from breachdesk.discovery.model import Locator, Skipped, TableBatch, TextChunk
from breachdesk.discovery.readers.base import Item, ReadContext, Reader, ReadLimits
from breachdesk.discovery.readers.registry import all_readers, check_unique

READERS = all_readers()
IDS = [reader.name for reader in READERS]
SECRET = "zz-secret-4111111111111111"


def _read(reader: Reader, name: str, data: bytes, **limits: int) -> list[Item]:
    context = ReadContext(ReadLimits(**limits))  # type: ignore[arg-type]
    return list(reader.read(io.BytesIO(data), Locator(name), context))


def _values(items: list[Item]) -> Iterator[str]:
    for item in items:
        if isinstance(item, TableBatch):
            for column in item.frame.columns:
                yield from (v for v in item.frame[column].to_list() if v)
        elif isinstance(item, TextChunk):
            yield item.text


def test_names_are_unique() -> None:
    check_unique(READERS)
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_reads_its_samples_without_skips(reader: Reader) -> None:
    samples = reader.samples()
    assert samples, "a reader must ship at least one sample"
    for name, data in samples.items():
        assert reader.sniff(data[:65536], name) or name.endswith(reader.extensions)
        items = _read(reader, name, data)
        assert not [i for i in items if isinstance(i, Skipped)], name
        assert any(isinstance(i, TableBatch | TextChunk) for i in items), name


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_batches_are_text_and_one_based(reader: Reader) -> None:
    import polars as pl

    for name, data in reader.samples().items():
        for item in _read(reader, name, data):
            if isinstance(item, TableBatch):
                assert item.first_row >= 1
                assert all(dtype == pl.String for dtype in item.frame.dtypes)


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_is_picklable(reader: Reader) -> None:
    clone = pickle.loads(pickle.dumps(reader))  # noqa: S301 - our own bytes
    assert clone.name == reader.name
    assert clone.version == reader.version


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_garbage_never_raises(reader: Reader, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data
    garbage = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 4096)))
    for name in (*reader.samples(), "garbage.bin"):
        for item in _read(reader, name, garbage):
            assert isinstance(item, TableBatch | TextChunk | Skipped)


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_truncated_samples_never_raise(reader: Reader) -> None:
    for name, data in reader.samples().items():
        for cut in (1, len(data) // 3, len(data) // 2, len(data) - 7):
            for item in _read(reader, name, data[: max(cut, 0)]):
                assert isinstance(item, TableBatch | TextChunk | Skipped)


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_no_raw_value_in_repr(reader: Reader) -> None:
    assert SECRET not in repr(reader)
    for name, data in reader.samples().items():
        items = _read(reader, name, data)
        values = [v for v in _values(items) if len(v) > 3]
        for item in items:
            text = repr(item)
            if isinstance(item, Skipped):
                text += item.reason
            for value in values:
                assert value not in text, (name, type(item).__name__)


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_skip_reasons_never_quote_the_input(reader: Reader) -> None:
    marker = SECRET.encode()
    for name, data in reader.samples().items():
        middle = len(data) // 2
        variants = (
            data[:middle] + b"\xff\x00'\"(" + marker + b"\n" + data[middle:],
            marker + b",\n" + data,
            data + b"\n" + marker + b"'\"\xff",
        )
        for variant in variants:
            for item in _read(reader, name, variant):
                if isinstance(item, Skipped):
                    assert SECRET not in item.reason
                    assert SECRET not in repr(item)
