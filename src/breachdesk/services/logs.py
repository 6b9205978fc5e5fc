"""Log ingest: files become evidence, are parsed as a stream and stored in committed batches.

Resumable (each batch commits with the file's checkpoint, the last line stored; a re-run skips
lines up to it) and idempotent (a completed file, by SHA-256, is never ingested twice).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.canonical import canonical_json, digest
from breachdesk.core.clock import Clock
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import EvidenceId, IncidentId
from breachdesk.services.evidence import EvidenceService
from breachdesk.services.ports import BlobStore, UnitOfWork, UnitOfWorkFactory
from breachdesk.timeline.event import LineSkipped, LogEvent
from breachdesk.timeline.parsers.base import LogParser, ParseOptions, line_number
from breachdesk.timeline.registry import (
    damaged,
    open_log,
    parser_named,
    parser_names,
    sniff_parser,
)
from breachdesk.timeline.store import CONCURRENT, Checkpoint, EventQuery, LogFile, to_us

BATCH = 50_000
SAMPLE = 20  # skipped lines listed per file (all are counted)
_STREAM_ERRORS = (OSError, EOFError, zlib.error, ValueError)


def log_subject(file_id: int) -> str:
    """Audit subject of an ingested log file."""
    return f"logs:{file_id}"


def log_file_state(uow: UnitOfWork, file_id: int) -> str:
    """Digest of a log file row and how many events it holds."""
    f = uow.logs.get_file(file_id)
    return digest({"file": f.state(), "stored": uow.logs.count_events(f.incident_id, file_id)})


def zone(name: str | None) -> tzinfo:
    """The IANA zone for ``--tz`` (UTC when not given)."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(f"--tz: unknown time zone {name}") from None


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How to read the files: parser name or ``auto``, zone for naive stamps, field map."""

    format: str = "auto"
    tz: str | None = None
    field_map: dict[str, str] = field(default_factory=dict)

    def checked(self, names: Sequence[str] | None = None) -> IngestOptions:
        """Self, or a clear error for an unknown format (of ``names``: the registry's) or zone."""
        known_names = tuple(parser_names() if names is None else names)
        if self.format != "auto" and self.format not in known_names:
            known = ", ".join(("auto", *known_names))
            raise InvalidInputError(f"--format: unknown format {self.format} (use {known})")
        zone(self.tz)
        return self


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What ingesting one file did; ``error`` names why nothing (more) could be read."""

    path: str
    file: LogFile | None
    added: int = 0
    created: bool = True
    resumed: bool = False
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        """Counts, parser and skipped locations (no values)."""
        f = self.file
        return {
            "path": self.path,
            "file_id": f.id if f else None,
            "evidence_id": f.evidence_id if f else None,
            "sha256": f.sha256 if f else None,
            "parser": f.parser if f else None,
            "lines": f.lines if f else 0,
            "events": f.events if f else 0,
            "added": self.added,
            "already_ingested": not self.created,
            "resumed": self.resumed,
            "skipped": f.skipped if f else 0,
            "skipped_lines": [
                {"locator": loc, "reason": why} for loc, why in (f.skipped_list() if f else [])
            ],
            "error": self.error,
        }


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files given, and every non-hidden file under folders given, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            found.append(path)
        else:
            raise InvalidInputError(f"{path}: no such file or folder")
    return found


class _Run:
    """One file's parse loop: batches, counters, skipped sample (plain fields: hot path)."""

    def __init__(self, f: LogFile) -> None:
        self.file = f
        self.batch: list[LogEvent] = []
        self.lines = f.lines
        self.committed = f.lines  # the checkpoint as stored
        self.events = f.events
        self.skipped = f.skipped
        self.sample = f.skipped_list()
        self.added = 0
        self.reported = 0  # bytes of the stored file reported to the progress callback

    def skip(self, item: LineSkipped, number: int) -> None:
        if len(self.sample) < SAMPLE:
            self.sample.append((item.locator, item.reason))
        self.skipped += 1
        self.lines = max(self.lines, number)

    def flush(self, uow: UnitOfWork) -> None:
        """Store the batch and move the checkpoint, in the caller's transaction.

        The checkpoint moves first: when another run of the same file moved it, nothing of this
        batch is written (the caller's transaction is never committed).
        """
        events = self.events + len(self.batch)
        sample = json.dumps([list(s) for s in self.sample], separators=(",", ":"))
        point = Checkpoint(self.lines, events, self.skipped, sample)
        if not uow.logs.checkpoint(self.file.id, point, previous=self.committed):
            raise InvalidInputError(f"{self.file.name}: {CONCURRENT}")
        if self.batch:
            self.added += uow.logs.add_events(self.file.incident_id, self.file.id, self.batch)
            self.batch = []
        self.events = events
        self.committed = self.lines


class LogService:
    """Ingest log files into an incident's event store and read events back as frames."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        store: BlobStore,
        evidence: EvidenceService,
        clock: Clock,
        *,
        batch: int = BATCH,
        parsers: Sequence[LogParser] | None = None,
    ) -> None:
        self._parsers = tuple(parsers) if parsers is not None else None  # None: the registry
        self._uow = uow
        self._store = store
        self._evidence = evidence
        self._clock = clock
        self._batch = batch

    def ingest(
        self,
        incident_id: IncidentId,
        paths: Sequence[Path],
        options: IngestOptions,
        *,
        actor: str,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[FileOutcome]:
        """Ingest every file (folders recursively); one outcome per file, in order."""
        names = None if self._parsers is None else [p.name for p in self._parsers]
        options = options.checked(names)
        with self._uow() as uow:
            uow.incidents.get(incident_id)
        return [
            self._ingest_file(incident_id, path, options, actor=actor, on_progress=on_progress)
            for path in expand(paths)
        ]

    def _ingest_file(
        self,
        incident_id: IncidentId,
        path: Path,
        options: IngestOptions,
        *,
        actor: str,
        on_progress: Callable[[int], None] | None,
    ) -> FileOutcome:
        item = self._evidence.add(incident_id, path, actor=actor, description="log file").item
        with self._uow() as uow:
            known = uow.logs.find_file(incident_id, item.sha256)
        if known is not None and known.completed_at is not None:
            if on_progress is not None:
                on_progress(item.size)
            return FileOutcome(str(path), known, created=False)
        with self._evidence.open(item) as raw:
            stream, head = open_log(raw)
            if known is None:
                parser = self._choose(options.format, head)
                if parser is None:
                    if on_progress is not None:
                        on_progress(item.size)
                    return FileOutcome(str(path), None, error="unrecognised log format")
                known = self._start(incident_id, item.id, path, item.sha256, parser, options, actor)
            outcome, reported = self._parse(
                known, stream, raw, actor=actor, on_progress=on_progress
            )
        if on_progress is not None and item.size > reported:
            on_progress(item.size - reported)
        return replace(outcome, path=str(path))

    def _choose(self, fmt: str, head: bytes) -> LogParser | None:
        return sniff_parser(head, self._parsers) if fmt == "auto" else self._named(fmt)

    def _named(self, name: str) -> LogParser:
        if self._parsers is None:
            return parser_named(name)
        for parser in self._parsers:
            if parser.name == name:
                return parser
        raise KeyError(name)

    def _start(
        self,
        incident_id: IncidentId,
        evidence_id: EvidenceId,
        path: Path,
        sha256: str,
        parser: LogParser,
        options: IngestOptions,
        actor: str,
    ) -> LogFile:
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = self._clock.now().timestamp()
        stored = {"tz": options.tz, "map": options.field_map, "reference": mtime}
        draft = LogFile(
            id=0,
            incident_id=incident_id,
            evidence_id=evidence_id,
            name=path.name,
            sha256=sha256,
            parser=parser.name,
            options=canonical_json(stored),
            lines=0,
            events=0,
            skipped=0,
            skipped_sample="[]",
            ingested_by=actor,
            started_at=self._clock.now(),
        )
        with self._uow() as uow:
            f = uow.logs.add_file(draft)
            uow.commit()
        return f

    def _parse(
        self,
        f: LogFile,
        stream: IO[bytes],
        raw: IO[bytes],
        *,
        actor: str,
        on_progress: Callable[[int], None] | None,
    ) -> tuple[FileOutcome, int]:
        run = _Run(f)

        def commit() -> None:
            with self._uow() as uow:
                run.flush(uow)
                uow.commit()
            if on_progress is not None:
                position = _position(raw)
                on_progress(max(0, position - run.reported))
                run.reported = max(run.reported, position)

        try:
            parser = self._named(f.parser)
        except KeyError:
            return FileOutcome(f.name, f, error=f"log parser {f.parser} is not installed"), 0
        items = parser.parse(stream, f.name, _parse_options(f))
        failure = self._loop(run, items, commit)
        if failure is not None:  # a parser bug: keep the batches, leave the file resumable
            commit()
            with self._uow() as uow:
                stored = uow.logs.get_file(f.id)
            return FileOutcome(f.name, stored, added=run.added, error=failure), run.reported
        if damaged(stream):
            where = f"{f.name}:{run.lines + 1}"
            run.skip(LineSkipped(where, "compressed data damaged or truncated; rest skipped"), 0)
        return self._finish(run, actor=actor, commit=commit), run.reported

    def _loop(
        self, run: _Run, items: Iterator[LogEvent | LineSkipped], commit: Callable[[], None]
    ) -> str | None:
        """Feed parsed items to the run; a parser failure is returned, never raised."""
        done, size, batch = run.file.lines, self._batch, run.batch
        while True:
            try:
                item = next(items)
            except StopIteration:
                return None
            except _STREAM_ERRORS:  # unreadable bytes: keep what was read
                where = f"{run.file.name}:{run.lines + 1}"
                run.skip(LineSkipped(where, "file unreadable from here"), 0)
                return None
            except Exception as exc:  # a plugin's bug must not lose the batches already parsed
                name = type(exc).__name__
                return f"log parser {run.file.parser} stopped after line {run.lines} ({name})"
            number = line_number(item.locator)
            if number <= done:
                continue  # committed by an earlier, interrupted run
            if type(item) is LogEvent:
                batch.append(item)
                run.lines = number
                if len(batch) >= size:
                    commit()
                    batch = run.batch
            else:
                run.skip(item, number)  # type: ignore[arg-type]  # the other member

    def _finish(self, run: _Run, *, actor: str, commit: Callable[[], None]) -> FileOutcome:
        commit()
        resumed = run.file.lines > 0
        with self._uow() as uow:
            f = uow.logs.complete(run.file.id, self._clock.now())
            uow.audit.append(
                AuditDraft(
                    at=self._clock.now(),
                    actor=actor,
                    action=AuditAction.LOGS_INGESTED,
                    subject=log_subject(f.id),
                    incident_id=f.incident_id,
                    details={
                        "evidence": f.evidence_id,
                        "parser": f.parser,
                        "lines": f.lines,
                        "events": f.events,
                        "skipped": f.skipped,
                        "resumed": resumed,
                    },
                    state_hash=log_file_state(uow, f.id),
                )
            )
            uow.commit()
        return FileOutcome(run.file.name, f, added=run.added, resumed=resumed)

    def files(self, incident_id: IncidentId) -> list[LogFile]:
        """Log files ingested (or started) for an incident."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.logs.files(incident_id)

    def events(
        self, incident_id: IncidentId, query: EventQuery | None = None, *, limit: int | None = None
    ) -> pl.DataFrame:
        """Matching events, oldest first, as one frame (see ``frames`` for large stores)."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.logs.events_frame(incident_id, query, limit=limit)

    def frames(
        self, incident_id: IncidentId, query: EventQuery | None = None, *, chunk: int = 200_000
    ) -> Iterator[pl.DataFrame]:
        """Matching events, oldest first, in frames of at most ``chunk`` rows (one read each)."""
        return event_frames(self._uow, incident_id, query, chunk=chunk)


def event_frames(
    uow_factory: UnitOfWorkFactory,
    incident_id: IncidentId,
    query: EventQuery | None = None,
    *,
    chunk: int = 200_000,
) -> Iterator[pl.DataFrame]:
    """Events in (time, id) order, ``chunk`` rows per frame, each page its own short read."""
    after: tuple[int, int] | None = None
    while True:
        with uow_factory() as uow:
            frame = uow.logs.events_frame(incident_id, query, after=after, limit=chunk)
        if frame.height == 0:
            return
        yield frame
        if frame.height < chunk:
            return
        last = frame.row(frame.height - 1, named=True)
        after = (to_us(last["time"]), int(last["id"]))


def _parse_options(f: LogFile) -> ParseOptions:
    """The options a file was started with (a resumed run parses exactly the same way)."""
    stored = json.loads(f.options)
    return ParseOptions(
        tz=zone(stored.get("tz")),
        reference=datetime.fromtimestamp(float(stored["reference"]), UTC),
        field_map=dict(stored.get("map") or {}),
    )


def _position(raw: IO[bytes]) -> int:
    try:
        return raw.tell()
    except (OSError, ValueError):
        return 0
