"""Log ingest through a real database (SQLite and PostgreSQL): idempotent, resumable, audited."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from breachdesk.adapters.evidence_store import FileBlobStore
from breachdesk.adapters.sql import tables as t
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.clock import SystemClock
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.status import CaseStatus
from breachdesk.services.logs import FileOutcome, IngestOptions, LogService
from breachdesk.timeline.event import EVENT_SCHEMA
from breachdesk.timeline.store import EventQuery

DATA = Path(__file__).parents[1] / "data" / "logs"
LINE = (
    '198.51.100.{ip} - - [10/Mar/2026:09:{m:02d}:{s:02d} +0000] "GET /api/customers/{n} HTTP/1.1"'
    ' 200 {size} "-" "python-requests/2.31"\n'
)


class Crash(Exception):
    """Stands in for a process dying after a committed batch."""


def access_log(path: Path, lines: int, *, corrupt_every: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(1, lines + 1):
            if corrupt_every and n % corrupt_every == 0:
                out.write("corrupt line\n")
                continue
            out.write(LINE.format(ip=n % 7, m=(n // 60) % 60, s=n % 60, n=n, size=100 + n))
    return path


def incident(ws: Workspace) -> IncidentId:
    draft = IncidentDraft(
        "Customer API scraped",
        datetime(2026, 3, 11, 9, tzinfo=UTC),
        occurred_from=datetime(2026, 3, 10, 8, tzinfo=UTC),
    )
    return ws.cases.open_incident(draft, actor="tester").id


def small_batches(ws: Workspace, batch: int) -> LogService:
    uow = SqlUnitOfWorkFactory(ws.engine)
    return LogService(
        uow, FileBlobStore(ws.layout.evidence), ws.evidence, SystemClock(), batch=batch
    )


def stored_lines(ws: Workspace, incident_id: IncidentId) -> list[int]:
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t.log_events.c.line).where(t.log_events.c.incident_id == incident_id)
        ).scalars()
        return sorted(rows)


def test_folder_ingest_counts_evidence_and_audit(workspace: Workspace) -> None:
    case = incident(workspace)
    outcomes = workspace.logs.ingest(case, [DATA], IngestOptions(), actor="tester")
    by_name = {Path(o.path).name: o for o in outcomes}
    assert set(by_name) == {p.name for p in DATA.iterdir()}
    access = by_name["access_combined.log"].file
    assert access is not None
    assert (access.parser, access.lines, access.events, access.skipped) == ("apache", 9, 7, 2)
    assert access.skipped_list() == [
        ("access_combined.log:4", "not an access-log line"),
        ("access_combined.log:8", "unreadable time stamp"),
    ]
    assert by_name["cloudtrail.json.gz"].file.parser == "cloudtrail"  # type: ignore[union-attr]
    total = sum(o.file.events for o in outcomes if o.file)
    with workspace.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.log_events)).scalar_one() == total
    evidence = {e.original_name for e in workspace.evidence.items(case)}
    assert evidence == set(by_name)
    ingested = [e for e in workspace.audit.entries(case) if e.action == "logs.ingested"]
    assert len(ingested) == len(outcomes)
    assert all(set(e.details) >= {"events", "skipped", "lines", "parser"} for e in ingested)
    assert workspace.audit.verify().ok


def test_same_file_twice_adds_nothing(workspace: Workspace, tmp_path: Path) -> None:
    case = incident(workspace)
    log = access_log(tmp_path / "access.log", 500, corrupt_every=50)
    first = workspace.logs.ingest(case, [log], IngestOptions(format="nginx"), actor="tester")
    copy = shutil.copy(log, tmp_path / "renamed.log")
    again = workspace.logs.ingest(case, [log, Path(copy)], IngestOptions(), actor="tester")
    assert first[0].added == 490
    assert [(o.created, o.added) for o in again] == [(False, 0), (False, 0)]
    assert stored_lines(workspace, case) == [n for n in range(1, 501) if n % 50]
    assert len([e for e in workspace.audit.entries(case) if e.action == "logs.ingested"]) == 1


def test_resume_after_a_crash_continues_from_the_checkpoint(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = incident(workspace)
    log = access_log(tmp_path / "access.log", 1_000, corrupt_every=97)
    calls = []

    def die_after_two_batches(step: int) -> None:
        calls.append(step)
        if len(calls) == 2:
            raise Crash

    with pytest.raises(Crash):
        small_batches(workspace, 300).ingest(
            case, [log], IngestOptions(), actor="tester", on_progress=die_after_two_batches
        )
    (partial,) = workspace.logs.files(case)
    assert partial.completed_at is None
    assert partial.events == 600
    assert len(stored_lines(workspace, case)) == 600
    (resumed,) = small_batches(workspace, 300).ingest(case, [log], IngestOptions(), actor="t")
    assert resumed.resumed
    assert resumed.added == 1_000 - 10 - 600
    assert resumed.file is not None
    assert (resumed.file.lines, resumed.file.events, resumed.file.skipped) == (1_000, 990, 10)
    assert stored_lines(workspace, case) == [n for n in range(1, 1_001) if n % 97]
    assert workspace.audit.verify().ok


def test_frames_filters_and_pages(workspace: Workspace, tmp_path: Path) -> None:
    case = incident(workspace)
    log = access_log(tmp_path / "access.log", 700)
    gz = tmp_path / "access.log.gz"
    gz.write_bytes(gzip.compress(log.read_bytes().replace(b"198.51.100", b"203.0.113")))
    workspace.logs.ingest(case, [log, gz], IngestOptions(), actor="tester")
    frame = workspace.logs.events(case)
    assert frame.height == 1_400
    assert dict(frame.schema) == {"id": frame.schema["id"], **EVENT_SCHEMA}
    assert frame["time"].is_sorted()
    one_ip = workspace.logs.events(case, EventQuery(src_ip="203.0.113.3"))
    assert one_ip.height == 100
    assert set(one_ip["locator"].str.split(":").list.first()) == {"access.log.gz"}
    window = EventQuery(
        start=datetime(2026, 3, 10, 9, 1, tzinfo=UTC), end=datetime(2026, 3, 10, 9, 2, tzinfo=UTC)
    )
    assert workspace.logs.events(case, window).height == 120
    pages = list(workspace.logs.frames(case, chunk=333))
    assert [p.height for p in pages] == [333, 333, 333, 333, 68]
    ids = [i for p in pages for i in p["id"].to_list()]
    assert sorted(ids) == sorted(frame["id"].to_list())
    first = frame.row(0, named=True)
    assert json.loads(first["fields"]) == {"protocol": "HTTP/1.1"}
    assert first["target"].startswith("/api/customers/")


def test_timeline_merges_case_events_and_exports_both_formats(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = incident(workspace)
    workspace.cases.change_status(case, CaseStatus.CONTAINED, actor="tester")
    workspace.logs.ingest(case, [access_log(tmp_path / "a.log", 30)], IngestOptions(), actor="t")
    entries = workspace.timeline.entries(case, limit=500)
    kinds = [e.kind for e in entries]
    assert kinds.count("log") == 30
    assert [e.summary for e in entries if e.kind == "case"][:2] == [
        "breach began (recorded occurrence)",
        "incident discovered",
    ]
    assert any(e.summary == "status changed to contained" for e in entries)
    assert [e.time for e in entries] == sorted(e.time for e in entries)
    only = workspace.timeline.entries(case, EventQuery(src_ip="198.51.100.3"))
    assert {e.src_ip for e in only} == {"198.51.100.3"}
    assert all(e.kind == "log" for e in only)

    sketch = tmp_path / "t.jsonl"
    count = workspace.timeline.export(case, "timesketch", sketch, actor="tester")
    lines = [json.loads(x) for x in sketch.read_text().splitlines()]
    assert len(lines) == count == len(workspace.timeline.entries(case, limit=10_000))
    for row in lines:
        assert {"message", "datetime", "timestamp", "timestamp_desc"} <= set(row)
        stamp = datetime.fromisoformat(row["datetime"])
        assert row["timestamp"] == int(stamp.timestamp() * 1_000_000)
    table = tmp_path / "t.csv"
    assert workspace.timeline.export(case, "csv", table, actor="tester") == count
    with table.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == count
    assert rows[0]["kind"] == "case"
    with pytest.raises(InvalidInputError, match="already exists"):
        workspace.timeline.export(case, "csv", table, actor="tester")
    exported = [e for e in workspace.audit.entries(case) if e.action == "timeline.exported"]
    assert [e.details["format"] for e in exported] == ["timesketch", "csv"]
    assert workspace.audit.verify().ok


def test_unknown_format_and_zone_are_clear_errors(workspace: Workspace, tmp_path: Path) -> None:
    case = incident(workspace)
    with pytest.raises(InvalidInputError, match="unknown format"):
        workspace.logs.ingest(case, [DATA], IngestOptions(format="squid"), actor="t")
    with pytest.raises(InvalidInputError, match="unknown time zone"):
        workspace.logs.ingest(case, [DATA], IngestOptions(tz="Mars/Olympus"), actor="t")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    (outcome,) = workspace.logs.ingest(case, [binary], IngestOptions(), actor="t")
    assert outcome.error == "unrecognised log format"
    assert outcome.file is None


def test_truncated_gzip_keeps_what_was_readable(workspace: Workspace, tmp_path: Path) -> None:
    case = incident(workspace)
    whole = gzip.compress(access_log(tmp_path / "a.log", 20_000).read_bytes())
    cut = tmp_path / "cut.log.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    (outcome,) = workspace.logs.ingest(case, [cut], IngestOptions(), actor="t")
    assert outcome.file is not None
    assert 0 < outcome.file.events < 20_000
    (last,) = outcome.file.skipped_list()[-1:]
    assert last[1] == "compressed data damaged or truncated; rest skipped"
    assert workspace.audit.verify().ok


def test_detections_of_the_latest_analysis_join_the_timeline(
    workspace: Workspace, tmp_path: Path
) -> None:
    from breachdesk.services.investigation_ports import DetectionRow

    case = incident(workspace)
    workspace.logs.ingest(case, [access_log(tmp_path / "a.log", 40)], IngestOptions(), actor="t")
    first = datetime(2026, 3, 10, 9, 0, 10, tzinfo=UTC)
    row = DetectionRow(
        rule_id="web-enumeration",
        title="Sequential record access",
        level="high",
        kind="analytic",
        events=12,
        first_at=first,
        last_at=datetime(2026, 3, 10, 9, 0, 30, tzinfo=UTC),
        actors="198.51.100.3",
    )
    with SqlUnitOfWorkFactory(workspace.engine)() as uow:
        analysis = uow.investigation.add_analysis(
            case, rules=1, events=40, summary="{}", actor="t", at=first
        )
        uow.investigation.add_detections(analysis, [row])
        uow.commit()
    entries = workspace.timeline.entries(case, limit=500)
    (found,) = [e for e in entries if e.kind == "detection"]
    assert (found.time, found.source, found.src_ip) == (first, "web-enumeration", "198.51.100.3")
    assert found.summary.startswith("[high] Sequential record access (12 events")
    before = entries[entries.index(found) - 1]
    assert before.time <= found.time
    assert [e.kind for e in workspace.timeline.entries(case, EventQuery(src_ip="198.51.100.4"))]
    assert found not in workspace.timeline.entries(case, EventQuery(src_ip="198.51.100.4"))
    assert found in workspace.timeline.entries(case, EventQuery(src_ip="198.51.100.3"))


def test_events_deleted_outside_breachdesk_fail_the_audit(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = incident(workspace)
    workspace.logs.ingest(case, [access_log(tmp_path / "a.log", 50)], IngestOptions(), actor="t")
    assert workspace.audit.verify().ok
    with workspace.engine.begin() as conn:
        conn.execute(t.log_events.delete().where(t.log_events.c.line == 7))
    report = workspace.audit.verify()
    assert not report.ok
    assert any("logs:1" in str(problem) for problem in report.problems)


def test_a_run_overtaken_by_another_stops_without_duplicates(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = incident(workspace)
    log = access_log(tmp_path / "a.log", 1_000)
    first, second = small_batches(workspace, 100), small_batches(workspace, 100)
    overtaken: list[list[FileOutcome]] = []

    def the_other_run_finishes_the_file(_: int) -> None:
        if not overtaken:
            overtaken.append(second.ingest(case, [log], IngestOptions(), actor="second"))

    with pytest.raises(InvalidInputError, match="another ingest of this file is running"):
        first.ingest(
            case, [log], IngestOptions(), actor="first", on_progress=the_other_run_finishes_the_file
        )
    ((finished,),) = overtaken
    assert finished.resumed
    assert finished.added == 900
    assert stored_lines(workspace, case) == list(range(1, 1_001))
    assert workspace.audit.verify().ok
