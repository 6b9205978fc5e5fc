"""``logs ingest``, ``timeline`` and ``timeline export`` as a user runs them (real processes)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from tests.e2e.cli_runner import Cli

DATA = Path(__file__).parents[1] / "data" / "logs"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    runner = Cli(tmp_path / "ws")
    runner("init")
    runner(
        "incident",
        "open",
        "Shop API abused",
        "--discovered",
        "2026-03-11T09:00:00Z",
        "--occurred-from",
        "2026-03-10T07:00:00Z",
    )
    return runner


def test_ingest_reports_skips_and_is_idempotent(cli: Cli) -> None:
    first = cli.json("logs", "ingest", "1", str(DATA), code=1)  # skipped lines need a look
    files = {Path(str(f["path"])).name: f for f in first["files"]}
    access = files["access_combined.log"]
    assert (access["parser"], access["events"], access["skipped"]) == ("apache", 7, 2)
    assert access["skipped_lines"] == [
        {"locator": "access_combined.log:4", "reason": "not an access-log line"},
        {"locator": "access_combined.log:8", "reason": "unreadable time stamp"},
    ]
    again = cli.json("logs", "ingest", "1", str(DATA / "auth.log"), code=1)
    (auth,) = again["files"]
    assert (auth["already_ingested"], auth["added"]) == (True, 0)
    table = cli("logs", "ingest", "1", str(DATA / "auth.log"), code=1)
    assert "already ingested" in table.stdout
    assert "skipped: auth.log:9: not a syslog line" in table.stderr
    listed = cli.json("logs", "files", "1")["files"]
    assert sorted(f["name"] for f in listed) == sorted(p.name for p in DATA.iterdir())
    assert all(f["completed_at"] for f in listed)
    assert "auth.log" in cli("logs", "files", "1").stdout


def test_formats_zones_and_maps_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text(
        '{"when": "2026-03-10 10:00:00", "who": "ana", "ip": "192.0.2.1", "what": "export"}\n',
        encoding="utf-8",
    )
    done = cli.json(
        "logs",
        "ingest",
        "1",
        str(log),
        "--format",
        "jsonl",
        "--tz",
        "Europe/Paris",
        "--map",
        "time=when,user=who",
        "--map",
        "action=what",
    )
    (row,) = done["files"]
    assert (row["parser"], row["events"], row["skipped"]) == ("jsonl", 1, 0)
    shown = cli.json("timeline", "1", "--user", "ana")
    (entry,) = shown["entries"]
    assert entry["time"] == "2026-03-10T09:00:00.000000+00:00"
    assert entry["summary"] == "export"
    cli("logs", "ingest", "1", str(log), "--format", "squid", code=2)
    cli("logs", "ingest", "1", str(log), "--tz", "Nowhere/Else", code=2)
    cli("logs", "ingest", "1", str(log), "--map", "colour=red", code=2)
    cli("logs", "ingest", "1", str(tmp_path / "missing.log"), code=2)


def test_timeline_filters_and_exports(cli: Cli, tmp_path: Path) -> None:
    cli("logs", "ingest", "1", str(DATA), code=1)
    everything = cli.json("timeline", "1", "--limit", "1000")["entries"]
    assert isinstance(everything, list)
    kinds = {e["kind"] for e in everything}
    assert kinds == {"log", "case"}
    times = [e["time"] for e in everything]
    assert times == sorted(times)
    attacker = cli.json("timeline", "1", "--ip", "198.51.100.23")["entries"]
    assert isinstance(attacker, list)
    assert {e["src_ip"] for e in attacker} == {"198.51.100.23"}
    assert {e["source"] for e in attacker} == {"apache", "jsonl", "cloudtrail"}
    window = cli.json(
        "timeline", "1", "--from", "2026-03-10T08:00:02Z", "--to", "2026-03-10T08:00:04Z"
    )["entries"]
    assert isinstance(window, list)
    assert [e["ref"] for e in window] == [
        "access_combined.log:2",
        "access_combined.log:3",
    ]
    assert "Kind" in cli("timeline", "1", "--limit", "5").stdout
    cli("timeline", "1", "--from", "yesterday", code=2)

    sketch = tmp_path / "sketch.jsonl"
    cli("timeline", "export", "1", "--format", "timesketch", "--to", str(sketch))
    lines = [json.loads(x) for x in sketch.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(everything)
    assert all({"message", "datetime", "timestamp", "timestamp_desc"} <= set(x) for x in lines)
    table = tmp_path / "timeline.csv"
    result = cli.json("timeline", "export", "1", "--format", "csv", "--to", str(table))
    assert result["entries"] == len(everything)
    with table.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["ref"] for r in rows] == [e["ref"] for e in everything]
    cli("timeline", "export", "1", "--format", "csv", "--to", str(table), code=2)  # exists
    cli("timeline", "export", "1", "--format", "pdf", "--to", str(tmp_path / "x"), code=2)
    verified = cli("audit", "verify")
    assert "intact" in verified.stdout
