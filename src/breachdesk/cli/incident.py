"""``breachdesk incident``: open, list, show, move along the state machine."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from breachdesk.casefile.incident import Incident, IncidentDraft
from breachdesk.cli.output import console, emit_json, opened, when
from breachdesk.core.clock import parse_utc
from breachdesk.core.ids import IncidentId
from breachdesk.core.status import CaseStatus, TaskStatus

app = typer.Typer(no_args_is_help=True, help="Open and manage incidents.")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("open")
def open_(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="Short title of the incident.")],
    discovered: Annotated[
        str,
        typer.Option(
            help="When the organisation became aware "
            "(ISO-8601 with offset, e.g. "
            "2026-11-20T09:30:00Z)."
        ),
    ],
    occurred_from: Annotated[
        str | None, typer.Option(help="Start of the breach window, if known.")
    ] = None,
    occurred_to: Annotated[
        str | None, typer.Option(help="End of the breach window, if known.")
    ] = None,
    controller: Annotated[str | None, typer.Option(help="The data controller.")] = None,
    summary: Annotated[str | None, typer.Option(help="Free-text summary.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Open an incident; its response checklist is created with it."""
    draft = IncidentDraft(
        title=title,
        discovered_at=parse_utc(discovered, field="--discovered"),
        controller=controller,
        summary=summary,
        occurred_from=parse_utc(occurred_from, field="--occurred-from") if occurred_from else None,
        occurred_to=parse_utc(occurred_to, field="--occurred-to") if occurred_to else None,
    )
    with opened(ctx) as ws:
        incident = ws.cases.open_incident(draft, actor=ws.actor)
    if as_json:
        emit_json(incident)
    else:
        console.print(
            f"Opened incident {incident.id}: {incident.title} (status "
            f"{incident.status.value}); see `breachdesk task list {incident.id}`.",
            markup=False,
        )


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List incidents."""
    with opened(ctx) as ws:
        incidents = ws.cases.list_incidents()
    if as_json:
        emit_json(incidents)
        return
    table = Table("ID", "Title", "Status", "Discovered", "Controller")
    for i in incidents:
        table.add_row(
            str(i.id), i.title, i.status.value, when(i.discovered_at), i.controller or "-"
        )
    console.print(table if incidents else "No incidents yet: `breachdesk incident open`.")


def _facts(incident: Incident) -> list[tuple[str, str]]:
    return [
        ("Title", incident.title),
        ("Status", incident.status.value),
        ("Controller", incident.controller or "-"),
        ("Discovered", when(incident.discovered_at)),
        ("Occurred", f"{when(incident.occurred_from)} .. {when(incident.occurred_to)}"),
        ("Summary", incident.summary or "-"),
        ("Updated", when(incident.updated_at)),
    ]


@app.command("show")
def show(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    as_json: JsonOpt = False,
) -> None:
    """Show an incident with checklist progress and decisions."""
    with opened(ctx) as ws:
        view = ws.cases.show(IncidentId(incident_id))
    if as_json:
        emit_json(
            {
                "incident": view.incident,
                "tasks": view.tasks,
                "decisions": view.decisions,
                "evidence_count": view.evidence_count,
            }
        )
        return
    facts = Table(show_header=False, box=None)
    for name, value in _facts(view.incident):
        facts.add_row(name, value)
    console.print(f"Incident {view.incident.id}", style="bold")
    console.print(facts)
    done = sum(t.status is TaskStatus.DONE for t in view.tasks)
    console.print(
        f"Checklist: {done}/{len(view.tasks)} tasks done; "
        f"{view.evidence_count} evidence item(s); {len(view.decisions)} decision(s)."
    )


@app.command("status")
def status(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    target: Annotated[CaseStatus, typer.Argument(metavar="STATUS", help="New status.")],
    as_json: JsonOpt = False,
) -> None:
    """Move an incident to a new status (open, investigating, contained, notifying,
    remediating, closed); illegal moves are refused."""
    with opened(ctx) as ws:
        incident = ws.cases.change_status(IncidentId(incident_id), target, actor=ws.actor)
    if as_json:
        emit_json(incident)
    else:
        console.print(f"Incident {incident.id} is now {incident.status.value}.")
