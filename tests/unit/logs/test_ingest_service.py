"""The ingest and timeline services against the in-memory fakes of their ports."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pytest

from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.errors import InvalidInputError, NotFoundError
from breachdesk.core.ids import IncidentId
from breachdesk.services.casefile import CaseService
from breachdesk.services.evidence import EvidenceService
from breachdesk.services.logs import IngestOptions, LogService
from breachdesk.services.timeline import TimelineService
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock, MemoryBlobStore
from breachdesk.timeline.event import LogEvent, ParsedItem
from breachdesk.timeline.parsers.base import ParseOptions
from breachdesk.timeline.store import EventQuery

DATA = Path(__file__).parents[2] / "data" / "logs"
NOW = datetime(2026, 3, 12, 9, tzinfo=UTC)


class Stop(Exception):
    """Ends an ingest after its first committed batch."""


@pytest.fixture
def parts() -> tuple[FakeUnitOfWorkFactory, LogService, TimelineService, IncidentId]:
    uow, store, clock = FakeUnitOfWorkFactory(), MemoryBlobStore(), FixedClock(NOW)
    evidence = EvidenceService(uow, store, clock)
    case = CaseService(uow, clock).open_incident(
        IncidentDraft("fake", NOW, occurred_from=datetime(2026, 3, 10, tzinfo=UTC)), actor="t"
    )
    logs = LogService(uow, store, evidence, clock, batch=2)
    return uow, logs, TimelineService(uow, clock), case.id


def test_ingest_resume_and_idempotence_with_fakes(
    parts: tuple[FakeUnitOfWorkFactory, LogService, TimelineService, IncidentId],
) -> None:
    uow, logs, _, case = parts
    log = DATA / "access_combined.log"

    def stop(_: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        logs.ingest(case, [log], IngestOptions(), actor="t", on_progress=stop)
    (partial,) = logs.files(case)
    assert (partial.events, partial.completed_at) == (2, None)
    (done,) = logs.ingest(case, [log], IngestOptions(), actor="t")
    assert (done.resumed, done.added) == (True, 5)
    assert done.file is not None
    assert (done.file.events, done.file.skipped, done.file.lines) == (7, 2, 9)
    (again,) = logs.ingest(case, [log], IngestOptions(), actor="t")
    assert (again.created, again.added) == (False, 0)
    frame = logs.events(case)
    assert frame["locator"].to_list() == [f"access_combined.log:{n}" for n in (1, 2, 3, 5, 6, 7, 9)]
    with uow() as tx:
        assert [e.action for e in tx.audit.entries(case)].count("logs.ingested") == 1


def test_timeline_with_fakes_orders_and_filters(
    parts: tuple[FakeUnitOfWorkFactory, LogService, TimelineService, IncidentId],
) -> None:
    _, logs, timeline, case = parts
    logs.ingest(case, [DATA / "auth.log", DATA / "app.jsonl"], IngestOptions(), actor="t")
    entries = timeline.entries(case, limit=100)
    assert [e.time for e in entries] == sorted(e.time for e in entries)
    assert {e.kind for e in entries} == {"log", "case"}
    mine = timeline.entries(case, EventQuery(user="svc-export"))
    assert [e.ref for e in mine] == ["app.jsonl:1"]
    assert len(list(timeline.stream(case, chunk=3))) == len(entries)
    with pytest.raises(NotFoundError):
        timeline.entries(IncidentId(99))


class BrokenParser:
    """A parser with a bug: it raises after three lines (as a third-party plugin might)."""

    name = "broken"
    fixed = False

    def sniff(self, head: bytes) -> bool:
        return False

    def samples(self) -> Mapping[str, bytes]:
        return {}

    def parse(
        self, stream: IO[bytes], source_name: str, options: ParseOptions
    ) -> Iterator[ParsedItem]:
        for number, line in enumerate(stream, 1):
            if number == 4 and not self.fixed:
                raise RuntimeError("plugin bug")
            yield LogEvent(NOW, self.name, f"{source_name}:{number}", target=line.decode().strip())


def test_a_parser_bug_keeps_the_work_and_leaves_the_file_resumable(tmp_path: Path) -> None:
    uow, store, clock = FakeUnitOfWorkFactory(), MemoryBlobStore(), FixedClock(NOW)
    case = CaseService(uow, clock).open_incident(IncidentDraft("bug", NOW), actor="t").id
    broken = BrokenParser()
    logs = LogService(
        uow, store, EvidenceService(uow, store, clock), clock, batch=2, parsers=[broken]
    )
    log = tmp_path / "app.txt"
    log.write_text("".join(f"line {n}\n" for n in range(1, 9)), encoding="utf-8")
    (failed,) = logs.ingest(case, [log], IngestOptions(format="broken"), actor="t")
    assert failed.error == "log parser broken stopped after line 3 (RuntimeError)"
    assert failed.file is not None
    assert (failed.file.events, failed.file.lines, failed.file.completed_at) == (3, 3, None)
    broken.fixed = True
    (done,) = logs.ingest(case, [log], IngestOptions(format="broken"), actor="t")
    assert (done.error, done.resumed, done.added) == (None, True, 5)
    assert logs.events(case)["target"].to_list() == [f"line {n}" for n in range(1, 9)]
    with pytest.raises(InvalidInputError, match="unknown format apache"):
        logs.ingest(case, [log], IngestOptions(format="apache"), actor="t")
