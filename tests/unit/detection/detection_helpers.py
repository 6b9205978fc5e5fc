"""Builders for detection tests: events, frames and one-rule rule sets from YAML text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from breachdesk.timeline.event import LogEvent
from breachdesk.timeline.sigma import RuleSet, evaluate, parse_text
from breachdesk.timeline.sigma.engine import frame_of
from breachdesk.timeline.sigma.ruleset import CompiledRule, RuleProblem

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"


def web(
    target: str,
    *,
    ip: str = "198.51.100.7",
    method: str = "GET",
    status: str = "200",
    agent: str = "Mozilla/5.0",
    seconds: int = 0,
    **fields: str,
) -> LogEvent:
    """One access-log event."""
    return LogEvent(
        T0 + timedelta(seconds=seconds),
        "nginx",
        f"access.log:{seconds}",
        src_ip=ip,
        action=method,
        target=target,
        status=status,
        bytes=100,
        user_agent=agent,
        fields=fields,
    )


def win(channel: str = "Security", seconds: int = 0, **fields: str) -> LogEvent:
    """One Windows event with native fields."""
    return LogEvent(
        T0 + timedelta(seconds=seconds),
        "evtx",
        f"sec.evtx:{seconds}",
        fields={"Channel": channel, **fields},
    )


def rule(detection: str, *, logsource: str = "category: webserver", level: str = "high") -> str:
    """YAML text of a one-rule document with the given detection block (indented 4)."""
    body = "\n".join("    " + line for line in detection.strip("\n").splitlines())
    return (
        "title: test rule\nid: 00000000-0000-4000-8000-000000000001\nstatus: test\n"
        f"logsource:\n    {logsource}\ndetection:\n{body}\nlevel: {level}\n"
    )


def compiled(text: str) -> CompiledRule:
    """The one rule of ``text``, compiled (fails the test if it is not)."""
    (item,) = parse_text(text, "test.yml")
    assert isinstance(item, CompiledRule), item
    return item


def problem(text: str) -> RuleProblem:
    """The reason the one rule of ``text`` is not evaluated."""
    (item,) = parse_text(text, "test.yml")
    assert isinstance(item, RuleProblem), item
    return item


def matches(text: str, events: list[LogEvent]) -> list[int]:
    """Row numbers of ``events`` the rule of ``text`` matches."""
    found = evaluate(frame_of(events), RuleSet((compiled(text),), ()))
    return sorted(found[0].event_ids) if found else []


def evtx_events(path: Path) -> list[LogEvent]:
    """Windows events of an EVTX file, read by the project's EVTX parser."""
    from breachdesk.timeline.parsers.base import ParseOptions
    from breachdesk.timeline.parsers.evtx import EvtxParser

    with path.open("rb") as stream:
        items = list(EvtxParser().parse(stream, path.name, ParseOptions()))
    events = [e for e in items if isinstance(e, LogEvent)]
    assert len(events) == len(items), "sample records skipped"
    return events


def frame(events: list[LogEvent]) -> pl.DataFrame:
    """Frame of events (re-exported for brevity)."""
    return frame_of(events)
