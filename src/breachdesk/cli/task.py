"""``breachdesk task``: the response checklist."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from breachdesk.cli.output import console, emit_json, opened, when
from breachdesk.core.clock import parse_utc
from breachdesk.core.ids import IncidentId
from breachdesk.core.status import TaskStatus

app = typer.Typer(no_args_is_help=True, help="The six-stage response checklist of an incident.")

IdArg = Annotated[int, typer.Argument(metavar="ID", help="Incident id.")]
TaskArg = Annotated[
    str, typer.Argument(metavar="TASK", help="Task key (e.g. notify.send) or number.")
]


@app.command("list")
def list_(
    ctx: typer.Context,
    incident_id: IdArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the checklist with status, assignee and due time."""
    with opened(ctx) as ws:
        tasks = ws.cases.tasks(IncidentId(incident_id))
    if as_json:
        emit_json(tasks)
        return
    table = Table("#", "Task", "Title", "Status", "Assignee", "Due")
    for t in tasks:
        mark = "[green]done[/]" if t.status is TaskStatus.DONE else "open"
        title = t.title if t.parent else f"[bold]{t.title}[/]"
        table.add_row(str(t.id), t.key, title, mark, t.assignee or "-", when(t.due_at))
    console.print(table)


@app.command("done")
def done(
    ctx: typer.Context,
    incident_id: IdArg,
    task_ref: TaskArg,
    note: Annotated[str | None, typer.Option(help="What was done / proof.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Mark a task done (a stage completes when its last sub-task does)."""
    with opened(ctx) as ws:
        changed = ws.cases.complete_task(
            IncidentId(incident_id), task_ref, actor=ws.actor, note=note
        )
    if as_json:
        emit_json(changed)
    else:
        console.print("Done: " + ", ".join(t.key for t in changed))


@app.command("assign")
def assign(
    ctx: typer.Context,
    incident_id: IdArg,
    task_ref: TaskArg,
    to: Annotated[str | None, typer.Option(help="Assignee.")] = None,
    due: Annotated[str | None, typer.Option(help="Due time (ISO-8601).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Assign a task and/or set its due time."""
    due_at = parse_utc(due, field="--due") if due else None
    with opened(ctx) as ws:
        task = ws.cases.assign_task(
            IncidentId(incident_id), task_ref, actor=ws.actor, assignee=to, due_at=due_at
        )
    if as_json:
        emit_json(task)
    else:
        console.print(f"Task {task.key}: assignee {task.assignee or '-'}, due {when(task.due_at)}")
