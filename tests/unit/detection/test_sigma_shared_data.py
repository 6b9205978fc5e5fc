"""Shared samples: SigmaHQ regression events trigger their rules; benign logs stay quiet."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml
from detection_helpers import SHARED, evtx_events

from breachdesk.timeline.analytics import analytics
from breachdesk.timeline.event import LogEvent
from breachdesk.timeline.parsers.access import ApacheParser
from breachdesk.timeline.parsers.base import ParseOptions
from breachdesk.timeline.sigma import evaluate, load_rules
from breachdesk.timeline.sigma.engine import frame_of

SIGMA = SHARED / "sigma"
APACHE = SHARED / "logs" / "apache_elastic" / "apache_logs"


def _regression_cases() -> list[tuple[str, Path, int]]:
    if not SIGMA.is_dir():
        return []
    cases = []
    for info in sorted((SIGMA / "regression_data").rglob("info.yml")):
        meta = yaml.safe_load(info.read_text(encoding="utf-8"))
        rule_id = meta["rule_metadata"][0]["id"]
        for test in meta["regression_tests_info"]:
            cases.append((rule_id, SIGMA / test["path"], int(test.get("match_count", 1))))
    return cases


@pytest.fixture(scope="module")
def sigmahq_rules():  # type: ignore[no-untyped-def]
    if not SIGMA.is_dir():
        pytest.skip(f"SigmaHQ rules not present at {SIGMA}")
    return load_rules([SIGMA / "rules"], builtin=False)


@pytest.mark.parametrize(
    ("rule_id", "sample", "count"),
    _regression_cases() or [pytest.param("", Path(), 0, marks=pytest.mark.skip("no sigma data"))],
)
def test_regression_sample_triggers_its_rule(sigmahq_rules, rule_id, sample, count) -> None:  # type: ignore[no-untyped-def]
    events = evtx_events(sample)
    found = {m.rule.id: m for m in evaluate(frame_of(events), sigmahq_rules)}
    assert rule_id in found, f"{sample.name} did not trigger {rule_id}"
    assert found[rule_id].count == count


def test_every_sigmahq_rule_file_loads_or_says_why(sigmahq_rules) -> None:  # type: ignore[no-untyped-def]
    files = len(list((SIGMA / "rules").rglob("*.yml")))
    assert len(sigmahq_rules.rules) + len(sigmahq_rules.problems) == files
    assert all(p.reason for p in sigmahq_rules.problems)
    # Every web-server and Windows security rule converts; the rest are log sources no parser reads.
    assert not [p for p in sigmahq_rules.problems if p.reason.startswith(("cannot", "invalid"))]


def test_benign_apache_log_raises_few_web_detections() -> None:
    """The figure is documented in docs/architecture.md (Detection and analytics)."""
    if not APACHE.is_file():
        pytest.skip(f"sample access log not present at {APACHE}")
    with APACHE.open("rb") as stream:
        events = [
            e
            for e in ApacheParser().parse(stream, "apache_logs", ParseOptions())
            if isinstance(e, LogEvent)
        ]
    rules = load_rules([])
    flagged: set[int] = set()
    for match in evaluate(frame_of(events), rules):
        if match.rule.scope.family == "web":
            flagged |= set(match.event_ids)
    print(f"benign apache log: {len(flagged)} of {len(events)} lines flagged by the web rules")
    assert len(events) == 10_000
    assert len(flagged) < len(events) // 100


def test_kerberos_password_spray_sample_is_spraying_followed_by_a_success() -> None:
    sample = SHARED / "evtx" / "kerberos_pwd_spray_4771.evtx"
    if not sample.is_file():
        pytest.skip(f"EVTX sample not present at {sample}")
    frame = frame_of(evtx_events(sample)).with_row_index("id")
    found = {d.rule_id: d for d in analytics(frame.with_columns(pl.col("id").cast(pl.Int64)))}
    assert set(found) == {"breachdesk-password-spraying", "breachdesk-password-spraying-success"}
    assert found["breachdesk-password-spraying-success"].actors == ("172.16.66.1",)
    assert found["breachdesk-password-spraying-success"].level == "critical"
