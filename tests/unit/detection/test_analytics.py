"""Built-in analytics: brute force and spraying with a success, enumeration, cloud bulk reads,
attackers and the breach window; record maps."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest
from detection_helpers import T0, web
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.core.errors import InvalidInputError
from breachdesk.timeline.analytics import (
    Thresholds,
    brute_force,
    cloud_bulk_reads,
    conclude,
    enumeration,
)
from breachdesk.timeline.event import LogEvent
from breachdesk.timeline.recordmap import accessed_ids, parse_pattern
from breachdesk.timeline.sigma.engine import frame_of


def _frame(events: list[LogEvent]) -> pl.DataFrame:
    return frame_of(events).with_row_index("id").with_columns(pl.col("id").cast(pl.Int64))


def _ssh(ip: str, user: str, ok: bool, seconds: int) -> LogEvent:
    return LogEvent(
        T0 + timedelta(seconds=seconds),
        "auth",
        f"auth.log:{seconds}",
        src_ip=ip,
        user=user,
        action="login",
        status="success" if ok else "failure",
    )


def test_brute_force_then_success_is_critical() -> None:
    events = [_ssh("192.0.2.9", "root", False, i) for i in range(12)]
    events.append(_ssh("192.0.2.9", "root", True, 20))
    events += [_ssh("198.51.100.1", "ann", False, 5), _ssh("198.51.100.1", "ann", True, 9)]
    found = {d.rule_id: d for d in brute_force(_frame(events), Thresholds())}
    assert set(found) == {"breachdesk-brute-force", "breachdesk-brute-force-success"}
    assert found["breachdesk-brute-force-success"].level == "critical"
    assert found["breachdesk-brute-force-success"].count == 13
    assert found["breachdesk-brute-force"].actors == ("192.0.2.9",)


def test_spraying_across_accounts_without_success() -> None:
    events = [_ssh("192.0.2.7", f"user{i}", False, i * 10) for i in range(15)]
    found = brute_force(_frame(events), Thresholds())
    assert [d.rule_id for d in found] == ["breachdesk-password-spraying"]


def test_failures_spread_beyond_the_window_are_not_brute_force() -> None:
    events = [_ssh("192.0.2.7", "root", False, i * 600) for i in range(15)]
    assert brute_force(_frame(events), Thresholds()) == []


def test_web_login_failures_and_windows_logons_count() -> None:
    events = [
        web("/login", ip="192.0.2.5", method="POST", status="401", seconds=i) for i in range(10)
    ]
    events.append(web("/login", ip="192.0.2.5", method="POST", status="302", seconds=30))
    events += [
        LogEvent(
            T0 + timedelta(seconds=i),
            "evtx",
            f"s:{i}",
            src_ip="192.0.2.6",
            user="bob",
            action="4625",
            fields={"EventID": "4625"},
        )
        for i in range(10)
    ]
    ids = {(d.rule_id, d.actors) for d in brute_force(_frame(events), Thresholds())}
    assert ("breachdesk-brute-force-success", ("192.0.2.5",)) in ids
    assert ("breachdesk-brute-force", ("192.0.2.6",)) in ids


def test_enumeration_flags_the_bulk_reader_only() -> None:
    events = [
        web(f"/api/customers/C{n:05d}", ip=f"198.51.100.{n % 200}", seconds=n) for n in range(200)
    ]
    events += [
        web(f"/api/customers/C{n:05d}", ip="203.0.113.9", seconds=300 + n) for n in range(60)
    ]
    found = enumeration(_frame(events), Thresholds())
    assert len(found) == 1
    assert found[0].actors == ("203.0.113.9",)
    assert found[0].count == 60
    assert "sequential" in found[0].title


def test_cloud_bulk_reads() -> None:
    def get(who: str, i: int) -> LogEvent:
        return LogEvent(
            T0 + timedelta(seconds=i),
            "cloudtrail",
            f"ct:{i}",
            src_ip="192.0.2.3",
            user=who,
            action="GetObject",
            status="success",
        )

    events = [get("etl", i) for i in range(5)] + [get("intruder", i) for i in range(150)]
    found = cloud_bulk_reads(_frame(events), Thresholds())
    assert [d.count for d in found] == [150]


def test_conclude_window_runs_from_first_attack_to_last_success() -> None:
    events = [
        web("/", ip="198.51.100.1", seconds=0),
        web("/q?id=1%27%20union%20select%201--", ip="203.0.113.5", seconds=10),
        web("/api/customers/1", ip="203.0.113.5", seconds=50),
        web("/api/customers/2", ip="203.0.113.5", status="404", seconds=60),
        web("/", ip="198.51.100.1", seconds=70),
    ]
    frame = _frame(events)
    from breachdesk.timeline.analytics import from_match
    from breachdesk.timeline.sigma import evaluate, load_rules

    detections = [from_match(m, frame) for m in evaluate(frame, load_rules([]))]
    findings = conclude(frame, detections)
    assert findings.attacker_ips == ("203.0.113.5",)
    assert findings.window == (T0 + timedelta(seconds=10), T0 + timedelta(seconds=50))
    assert findings.evidence == (1, 2)


def test_conclude_without_severe_detections_has_no_window() -> None:
    assert conclude(_frame([web("/")]), []).window is None


def test_record_map_patterns() -> None:
    m = parse_pattern("/api/customers/{customer_id}")
    q = parse_pattern("/export?customer={id}", "customer_id")
    e = parse_pattern("/u/{email}/profile")
    events = [
        web("/api/customers/C1"),
        web("/api/customers/C1/orders"),
        web("/api/customersX/9"),
        web("/export?a=1&customer=C%202"),
        web("/u/a%40b.example/profile"),
        web("/u/x/other"),
    ]
    found = accessed_ids(_frame(events), [m, q, e])
    rows = {(k, r): n for k, r, n in found.select("kind", "raw", "requests").iter_rows()}
    assert rows == {
        ("customer_id", "C1"): 2,
        ("customer_id", "C 2"): 1,
        ("email", "a@b.example"): 1,
    }


@pytest.mark.parametrize("bad", ["/api/customers", "/a/{x}/{y}", "/a/{x}}"])
def test_record_map_pattern_errors(bad: str) -> None:
    with pytest.raises(InvalidInputError, match="--pattern"):
        parse_pattern(bad)


@given(st.text(alphabet="ABCxyz0123456789-_", min_size=1, max_size=12))
def test_record_map_extracts_any_id(raw: str) -> None:
    m = parse_pattern("/api/customers/{customer_id}")
    found = accessed_ids(_frame([web(f"/api/customers/{raw}?full=1")]), [m])
    assert found.get_column("raw").to_list() == [raw]
