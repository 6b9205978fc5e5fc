"""Playbook runs: the response steps in order, each recorded when done, resumable after a crash.

Each step is a function given by the front end (it calls the existing services); the steps are
idempotent themselves (queueing, dispatch and resets skip what is already done), and the run
record makes a rerun skip whole steps already done. A step may end ``waiting``: an approval gate
that the playbook did not pre-record. The run then stops there; a later ``--resume`` retries it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from breachdesk.casefile.playbook import STEPS, Playbook
from breachdesk.core.clock import Clock
from breachdesk.core.errors import ConfigError, InvalidInputError

StepState = Literal["done", "waiting", "skipped"]


@dataclass(frozen=True, slots=True)
class StepRecord:
    """A step's last recorded outcome."""

    step: str
    state: StepState
    summary: str
    at: datetime
    waiting_for: str | None = None
    due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RunRecord:
    """A playbook's run: its incident (once opened) and the steps done so far."""

    id: int
    name: str
    digest: str
    incident_id: int | None
    started_at: datetime
    finished_at: datetime | None
    steps: tuple[StepRecord, ...] = ()


class PlaybookRunStore(Protocol):
    """Where runs and their steps are recorded (each call is its own transaction; a step's
    outcome is audited with it)."""

    def find(self, name: str) -> RunRecord | None: ...
    def create(self, name: str, digest: str, at: datetime) -> RunRecord: ...
    def set_incident(self, run_id: int, incident_id: int, at: datetime) -> None: ...
    def record(
        self, run_id: int, step: StepRecord, *, incident_id: int | None, actor: str
    ) -> None: ...
    def finish(self, run_id: int, digest: str, at: datetime | None) -> None: ...


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What a step function reports."""

    state: StepState
    summary: str
    waiting_for: str | None = None  # who must act (e.g. "counsel: approve the notices")
    due_at: datetime | None = None  # by when (the earliest deadline it holds up)


@dataclass(slots=True)
class RunContext:
    """What a step function gets: the playbook, the run, and the incident once opened."""

    playbook: Playbook
    run: RunRecord
    incident_id: int | None
    set_incident: Callable[[int], None]


StepFunction = Callable[[RunContext], StepOutcome]


@dataclass(slots=True)
class RunSummary:
    """What a run did and what waits for whom."""

    run_id: int
    incident_id: int | None
    steps: list[tuple[str, StepRecord, bool]] = field(default_factory=list)  # step, record, now
    stopped_at: str | None = None  # the step a gate stopped at
    complete: bool = False

    @property
    def waiting(self) -> list[StepRecord]:
        """Steps that wait for someone."""
        return [r for _, r, _ in self.steps if r.state == "waiting"]


class PlaybookRunner:
    """Runs the steps of a playbook in order, recording each, skipping those already done."""

    def __init__(
        self, store: PlaybookRunStore, clock: Clock, steps: Mapping[str, StepFunction]
    ) -> None:
        missing = [s for s in STEPS if s not in steps]
        if missing:
            raise ConfigError(f"playbook steps without an implementation: {', '.join(missing)}")
        self._store = store
        self._clock = clock
        self._steps = steps

    def _open(self, book: Playbook, digest: str, resume: bool) -> RunRecord:
        run = self._store.find(book.name)
        if run is None:
            return self._store.create(book.name, digest, self._clock.now())
        if not resume:
            done = ", ".join(s.step for s in run.steps if s.state == "done") or "none"
            raise InvalidInputError(
                f"playbook {book.name!r} already has run {run.id} (steps done: {done}); "
                "pass --resume to continue it"
            )
        return run

    def run(
        self,
        book: Playbook,
        digest: str,
        *,
        until: str | None = None,
        resume: bool = False,
        actor: str = "playbook",
        on_step: Callable[[str, StepRecord | None], None] | None = None,
    ) -> RunSummary:
        """Run (or resume) the playbook up to and including ``until``; stop at a waiting gate."""
        if until is not None and until not in STEPS:
            raise InvalidInputError(f"--until must be one of {', '.join(STEPS)}")
        run = self._open(book, digest, resume)
        last = STEPS.index(until) if until else len(STEPS) - 1
        done = {s.step: s for s in run.steps}
        summary = RunSummary(run.id, run.incident_id)

        def set_incident(incident_id: int) -> None:
            self._store.set_incident(run.id, incident_id, self._clock.now())
            summary.incident_id = context.incident_id = incident_id

        context = RunContext(book, run, run.incident_id, set_incident)
        for step in STEPS[: last + 1]:
            previous = done.get(step)
            if previous is not None and previous.state == "done":
                summary.steps.append((step, previous, False))
                continue
            if on_step is not None:
                on_step(step, None)
            outcome = self._steps[step](context)
            record = StepRecord(
                step, outcome.state, outcome.summary, self._clock.now(),
                outcome.waiting_for, outcome.due_at,
            )  # fmt: skip
            self._store.record(run.id, record, incident_id=context.incident_id, actor=actor)
            summary.steps.append((step, record, True))
            if on_step is not None:
                on_step(step, record)
            if outcome.state == "waiting":
                summary.stopped_at = step
                break
        summary.complete = summary.stopped_at is None and last == len(STEPS) - 1
        self._store.finish(run.id, digest, self._clock.now() if summary.complete else None)
        return summary
