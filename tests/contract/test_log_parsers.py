"""Every registered log parser: parses its samples, pickles, survives any bytes, hides values."""

from __future__ import annotations

import gzip
import io
import pickle
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachdesk.timeline.event import LineSkipped, LogEvent, ParsedItem
from breachdesk.timeline.parsers.base import LogParser, ParseOptions, line_number
from breachdesk.timeline.registry import all_parsers, check_unique, open_log, sniff_parser

PARSERS = all_parsers()
IDS = [p.name for p in PARSERS]
BINARY = {"evtx"}  # samples are recordings, tested with shared data in tests/unit/logs
SECRET = "zz-secret-4111111111111111"


def _parse(parser: LogParser, name: str, data: bytes) -> list[ParsedItem]:
    stream, _ = open_log(io.BytesIO(data))
    return list(parser.parse(stream, name, ParseOptions()))


def test_names_are_unique() -> None:
    check_unique(PARSERS)
    assert len(set(IDS)) == len(IDS)
    assert {"apache", "nginx", "syslog", "auth", "jsonl", "cloudtrail", "evtx", "csv"} <= set(IDS)


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_parses_its_samples_without_skips(parser: LogParser) -> None:
    samples = parser.samples()
    if parser.name in BINARY:
        assert samples == {}
        return
    assert samples, "a parser must ship at least one sample"
    for name, data in samples.items():
        assert parser.sniff(data[:65536]), name
        items = _parse(parser, name, data)
        assert items, name
        assert all(isinstance(i, LogEvent) for i in items), name
        for item in items:
            assert isinstance(item, LogEvent)
            assert item.time.utcoffset() == timedelta(0)
            assert item.locator.startswith(f"{name}:")
            assert line_number(item.locator) >= 1


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_samples_are_sniffed_as_their_parser_or_its_twin(parser: LogParser) -> None:
    for data in parser.samples().values():
        found = sniff_parser(data)
        assert found is not None
        twins = {"apache", "nginx"} if parser.name in {"apache", "nginx"} else {parser.name}
        assert found.name in twins


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_picklable(parser: LogParser) -> None:
    again = pickle.loads(pickle.dumps(parser))  # noqa: S301 - our own bytes
    assert again.name == parser.name


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_gzip_is_transparent(parser: LogParser) -> None:
    for name, data in parser.samples().items():
        assert _parse(parser, name, gzip.compress(data)) == _parse(parser, name, data)


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_corrupt_lines_are_skipped_with_location_never_value(parser: LogParser) -> None:
    for name, data in parser.samples().items():
        corrupt = data + f"{SECRET} \x00\xff garbage\n".encode() + data[: len(data) // 2] + b"\n"
        items = _parse(parser, name, corrupt)
        skipped = [i for i in items if isinstance(i, LineSkipped)]
        assert skipped, "a corrupt line must be reported"
        for s in skipped:
            assert SECRET not in s.reason
            assert SECRET not in s.locator
            assert s.locator.startswith(f"{name}:")


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048))
def test_random_bytes_never_raise(parser: LogParser, data: bytes) -> None:
    items = _parse(parser, "fuzz.log", data)
    assert all(isinstance(i, LogEvent | LineSkipped) for i in items)


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
@settings(max_examples=40, deadline=None)
@given(cut=st.integers(min_value=0, max_value=4000), noise=st.binary(max_size=64))
def test_mangled_samples_never_raise(parser: LogParser, cut: int, noise: bytes) -> None:
    for name, data in parser.samples().items():
        mangled = data[: cut % (len(data) + 1)] + noise + data[cut % (len(data) + 1) :]
        items = _parse(parser, name, mangled)
        assert all(isinstance(i, LogEvent | LineSkipped) for i in items)
