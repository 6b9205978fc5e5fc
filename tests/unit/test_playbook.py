"""Playbook files (strict schema, file:line errors) and the runner's ordering, skipping, gates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from breachdesk.casefile.playbook import (
    STEPS,
    Playbook,
    PlaybookError,
    load_playbook,
    parse_playbook,
)
from breachdesk.core.errors import InvalidInputError
from breachdesk.services.playbook import (
    PlaybookRunner,
    RunContext,
    RunRecord,
    StepFunction,
    StepOutcome,
    StepRecord,
)
from breachdesk.testing import FixedClock

EXAMPLE = Path(__file__).parents[2] / "docs" / "playbook.example.yaml"
MINIMAL = (
    "version: 1\nname: x\nincident:\n  title: t\n  controller: c\n"
    "  discovered_at: 2026-11-20T09:00:00Z\n"
)


def test_the_documented_example_validates_and_resolves_paths() -> None:
    book, digest = load_playbook(EXAMPLE)
    assert len(digest) == 64
    assert book.approvals.notices is not None
    assert book.notify is not None
    assert book.notify.smtp is not None
    assert book.notify.smtp.password_env == "ACME_SMTP_PASSWORD"
    assert book.logs[0].path == EXAMPLE.parent / "logs" / "access.log"
    assert book.customer_master is not None
    assert book.customer_master.source.startswith("postgresql+psycopg://")  # URLs kept


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("  colour: red\n", "p.yaml:7: incident.colour: unknown key"),
        (
            "approvals:\n  notices: {by: a, role: r}\n",
            "p.yaml:8: approvals.notices.at: Field required",
        ),
        ("logs:\n  - {path: a.log, url_map: 3}\n", "p.yaml:8: logs.0.url_map"),
        ("name: again\n", "p.yaml:7: duplicate key 'name'"),
        ("report: {formats: [docx]}\n", "p.yaml:7: report.formats.0"),
    ],
)
def test_problems_name_file_line_and_key(extra: str, expected: str) -> None:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(MINIMAL + extra, "p.yaml")
    assert expected in str(caught.value)


def test_naive_times_and_bad_yaml_are_refused() -> None:
    with pytest.raises(PlaybookError, match=r"p\.yaml:6: incident\.discovered_at"):
        parse_playbook(MINIMAL.replace("09:00:00Z", "09:00:00"), "p.yaml")
    with pytest.raises(PlaybookError, match=r"p\.yaml:2: mapping values"):
        parse_playbook("version: 1\nname: x: y\n", "p.yaml")


class FakeStore:
    """Runs in memory, shaped like the SQL store."""

    def __init__(self) -> None:
        self.runs: dict[str, RunRecord] = {}
        self.steps: dict[int, dict[str, StepRecord]] = {}

    def find(self, name: str) -> RunRecord | None:
        run = self.runs.get(name)
        if run is None:
            return None
        return RunRecord(run.id, run.name, run.digest, run.incident_id, run.started_at,
                         run.finished_at, tuple(self.steps[run.id].values()))  # fmt: skip

    def create(self, name: str, digest: str, at: datetime) -> RunRecord:
        run = RunRecord(len(self.runs) + 1, name, digest, None, at, None)
        self.runs[name] = run
        self.steps[run.id] = {}
        return run

    def set_incident(self, run_id: int, incident_id: int, at: datetime) -> None:
        for name, run in self.runs.items():
            if run.id == run_id:
                self.runs[name] = RunRecord(
                    run.id, name, run.digest, incident_id, run.started_at, None
                )

    def record(self, run_id: int, step: StepRecord, *, incident_id: int | None, actor: str) -> None:
        self.steps[run_id][step.step] = step

    def finish(self, run_id: int, digest: str, at: datetime | None) -> None:
        pass


def _book() -> Playbook:
    return parse_playbook(MINIMAL, "p.yaml")


def _steps(calls: list[str], waiting: set[str]) -> dict[str, StepFunction]:
    def make(name: str) -> StepFunction:
        def step(ctx: RunContext) -> StepOutcome:
            calls.append(name)
            if name == "obligations" and ctx.incident_id is None:
                ctx.set_incident(7)
            if name in waiting:
                return StepOutcome(
                    "waiting", "held", "counsel: approve", datetime(2026, 11, 23, tzinfo=UTC)
                )
            return StepOutcome("done", f"{name} ok")

        return step

    return {name: make(name) for name in STEPS}


def test_runner_stops_at_a_gate_and_resumes_from_it() -> None:
    store, calls = FakeStore(), []
    clock = FixedClock(datetime(2026, 11, 21, tzinfo=UTC))
    first = PlaybookRunner(store, clock, _steps(calls, {"resets"})).run(_book(), "d")
    assert calls == ["obligations", "notify", "resets"]
    assert first.stopped_at == "resets"
    assert first.incident_id == 7
    assert [w.waiting_for for w in first.waiting] == ["counsel: approve"]
    assert not first.complete

    with pytest.raises(InvalidInputError, match="--resume"):
        PlaybookRunner(store, clock, _steps(calls, set())).run(_book(), "d")
    calls.clear()
    second = PlaybookRunner(store, clock, _steps(calls, set())).run(_book(), "d", resume=True)
    assert calls == ["resets", "investigate", "findings", "report"]  # done steps not rerun
    assert second.complete
    assert [now for _, _, now in second.steps] == [False, False, True, True, True, True]


def test_until_stops_after_the_named_step() -> None:
    store, calls = FakeStore(), []
    clock = FixedClock(datetime(2026, 11, 21, tzinfo=UTC))
    summary = PlaybookRunner(store, clock, _steps(calls, set())).run(_book(), "d", until="notify")
    assert calls == ["obligations", "notify"]
    assert not summary.complete
    with pytest.raises(InvalidInputError, match="--until"):
        PlaybookRunner(store, clock, _steps(calls, set())).run(_book(), "d", until="nope")
