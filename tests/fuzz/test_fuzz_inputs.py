"""Structure-aware fuzzing of every reader and log parser: no crash, no hang, bounded memory.

Inputs start from each plugin's own samples (valid files of its format) and are mutated the
way damaged or hostile uploads are: truncated, bytes flipped, structural tokens spliced in,
chunks repeated, encodings mixed. Bounded for CI; ``make fuzz`` sets BREACHDESK_FUZZ_EXAMPLES
for a longer run.
"""

from __future__ import annotations

import io
import os
import tracemalloc
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachdesk.discovery.model import Locator
from breachdesk.discovery.readers.base import ReadContext, Reader, ReadLimits
from breachdesk.discovery.readers.registry import all_readers, read_stream
from breachdesk.timeline.parsers.base import LogParser, ParseOptions
from breachdesk.timeline.registry import all_parsers

EXAMPLES = int(os.environ.get("BREACHDESK_FUZZ_EXAMPLES", "25"))
MEMORY_CAP = 96 * 1024 * 1024  # inputs are a few KiB: hundreds of MiB would mean a blow-up
LIMITS = ReadLimits(max_total_bytes=64 * 1024 * 1024, max_member_bytes=32 * 1024 * 1024)
TOKENS = [
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b'"', b"'", b",", b";", b"\t", b"\n", b"\r\n", b"{",
    b"}", b"[", b"]", b":", b"\\", b"<", b">", b"</", b"&#x0;", b"--", b"/*", b"*/",
    b"INSERT INTO t VALUES (", b"PK\x03\x04", b"\x1f\x8b", b"SQLite format 3\x00",
    b"9" * 40, b"-1", b"1e999", b"NaN", b"\xc3\x28", b"=?utf-8?b?", b"Content-Type: multipart/",
]  # fmt: skip


def _reader_cases() -> list[tuple[Reader, str, bytes]]:
    return [(r, name, data) for r in all_readers() for name, data in sorted(r.samples().items())]


def _parser_cases() -> list[tuple[LogParser, str, bytes]]:
    return [(p, name, data) for p in all_parsers() for name, data in sorted(p.samples().items())]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """A sample damaged in format-aware ways."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            data.extend(draw(st.sampled_from(TOKENS)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "splice", "repeat", "drop", "random"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "cut":
            del data[at:]
        elif kind == "splice":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "repeat":
            end = min(len(data), at + draw(st.integers(1, 64)))
            data[at:at] = data[at:end] * draw(st.integers(1, 8))
        elif kind == "drop":
            del data[at : at + draw(st.integers(1, 16))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
    return bytes(data)


def _bounded(items: Iterator[object]) -> int:
    tracemalloc.start()
    try:
        count = sum(1 for _ in items)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_CAP
    return count


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # time is bounded by the example count and sizes, not per-example timing
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 25,  # CI runs are reproducible; `make fuzz` explores
)


@pytest.mark.parametrize(
    ("reader", "name", "seed"),
    _reader_cases(),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_readers_survive_damaged_input(reader: Reader, name: str, seed: bytes) -> None:
    @FUZZ
    @given(data=mutated(seed))
    def check(data: bytes) -> None:
        context = ReadContext(LIMITS, nested=read_stream)
        # the reader itself, not the dispatcher that would turn its failures into Skipped
        _bounded(reader.read(io.BytesIO(data), Locator(name), context))

    check()


@pytest.mark.parametrize(
    ("parser", "name", "seed"),
    _parser_cases(),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_log_parsers_survive_damaged_input(parser: LogParser, name: str, seed: bytes) -> None:
    @FUZZ
    @given(data=mutated(seed))
    def check(data: bytes) -> None:
        _bounded(parser.parse(io.BytesIO(data), name, ParseOptions()))

    check()
