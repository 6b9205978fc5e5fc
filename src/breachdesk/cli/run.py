"""``breachdesk run``: carry the response described by a playbook, resumably, up to a gate."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from breachdesk.bootstrap import Workspace
from breachdesk.casefile.playbook import STEPS, Playbook, load_playbook
from breachdesk.cli.output import console, emit_json, err_console, opened, to_jsonable, when
from breachdesk.cli.run_steps import default_steps
from breachdesk.core.clock import SystemClock
from breachdesk.core.errors import ExitCode
from breachdesk.core.ids import IncidentId
from breachdesk.services.playbook import PlaybookRunner, RunSummary, StepFunction, StepRecord


def run_playbook(
    ws: Workspace,
    book: Playbook,
    digest: str,
    *,
    until: str | None = None,
    resume: bool = False,
    steps: Mapping[str, StepFunction] | None = None,
) -> RunSummary:
    """Run a playbook in a workspace with a progress bar over its steps."""
    from breachdesk.adapters.sql.playbook_runs import SqlPlaybookRunStore

    clock = SystemClock()
    runner = PlaybookRunner(
        SqlPlaybookRunStore(ws.engine), clock, steps or default_steps(ws, clock.now)
    )
    last = STEPS.index(until) + 1 if until else len(STEPS)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=err_console, transient=True) as progress:
        bar = progress.add_task("playbook", total=last)

        def on_step(step: str, record: StepRecord | None) -> None:
            if record is None:
                progress.update(bar, description=f"playbook: {step}")
            else:
                progress.advance(bar)

        summary = runner.run(
            book, digest, until=until, resume=resume, actor=ws.actor, on_step=on_step
        )
    return summary


def print_summary(summary: RunSummary) -> None:
    """The steps' outcomes and what waits for whom, by when."""
    table = Table("Step", "State", "Result", title=f"Playbook run {summary.run_id}")
    for step, record, now in summary.steps:
        state = record.state if now else f"{record.state} (earlier)"
        table.add_row(step, state, record.summary)
    console.print(table)
    if summary.waiting:
        waits = Table("Step", "Waiting for", "Due (UTC)", title="Waiting")
        for r in summary.waiting:
            waits.add_row(r.step, r.waiting_for or "-", when(r.due_at))
        console.print(waits)
        console.print("Record the approval, then rerun with --resume.")
    elif summary.complete:
        console.print(f"Playbook complete for incident {summary.incident_id}.")


def print_owed(ws: Workspace, incident_id: int | None, *, limit: int = 12) -> None:
    """Obligations not met yet, earliest due first: who is still to be told, by when."""
    from breachdesk.cli.report import report_service

    if incident_id is None:
        return
    lines = report_service(ws).read(IncidentId(incident_id)).obligations
    owed = [o for o in lines if not o.met_at and o.status != "review"]
    if not owed:
        return
    table = Table(
        "Jurisdiction", "Recipient", "People", "Due (UTC)",
        title=f"Still owed: {len(owed)} notifications (`breachdesk obligations {incident_id}`)",
    )  # fmt: skip
    for o in owed[:limit]:
        table.add_row(o.jurisdiction, o.recipient, f"{o.people:,}", when(o.due_at))
    console.print(table)


def summary_json(summary: RunSummary) -> object:
    """The run summary as JSON."""
    return to_jsonable(
        {
            "run": summary.run_id,
            "incident": summary.incident_id,
            "complete": summary.complete,
            "stopped_at": summary.stopped_at,
            "steps": [
                {"step": s, "state": r.state, "summary": r.summary, "this_run": now,
                 "waiting_for": r.waiting_for, "due_at": r.due_at}
                for s, r, now in summary.steps
            ],
        }
    )  # fmt: skip


UntilOpt = Annotated[str | None, typer.Option(help=f"Stop after this step: {'|'.join(STEPS)}.")]


def run(
    ctx: typer.Context,
    playbook: Annotated[Path, typer.Argument(help="The playbook YAML file.")],
    until: UntilOpt = None,
    resume: Annotated[bool, typer.Option(help="Continue this playbook's earlier run.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Run the response steps of a playbook in order; stop at approval gates it does not hold."""
    book, digest = load_playbook(playbook)
    with opened(ctx) as ws:
        summary = run_playbook(ws, book, digest, until=until, resume=resume)
        if not as_json:
            print_summary(summary)
            print_owed(ws, summary.incident_id)
    if as_json:
        emit_json(summary_json(summary))
    if summary.waiting:
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))
