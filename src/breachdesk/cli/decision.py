"""``breachdesk decision``: the immutable decisions log."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from breachdesk.casefile.decision import DecisionDraft
from breachdesk.cli.output import console, emit_json, opened, when
from breachdesk.core.ids import DecisionId, IncidentId

app = typer.Typer(no_args_is_help=True, help="Record judgements with their rationale.")

IdArg = Annotated[int, typer.Argument(metavar="ID", help="Incident id.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("add")
def add(
    ctx: typer.Context,
    incident_id: IdArg,
    topic: Annotated[str, typer.Option(help="What the decision is about.")],
    decision: Annotated[str, typer.Option(help="What was decided.")],
    rationale: Annotated[str, typer.Option(help="Why.")],
    corrects: Annotated[
        int | None, typer.Option(help="Id of an earlier decision this one corrects.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a decision; it can never be edited, only corrected by a later one."""
    draft = DecisionDraft(
        topic, decision, rationale, DecisionId(corrects) if corrects is not None else None
    )
    with opened(ctx) as ws:
        recorded = ws.cases.record_decision(IncidentId(incident_id), draft, actor=ws.actor)
    if as_json:
        emit_json(recorded)
    else:
        console.print(f"Recorded decision {recorded.id} on incident {incident_id}.")


@app.command("list")
def list_(ctx: typer.Context, incident_id: IdArg, as_json: JsonOpt = False) -> None:
    """List an incident's decisions."""
    with opened(ctx) as ws:
        decisions = ws.cases.decisions(IncidentId(incident_id))
    if as_json:
        emit_json(decisions)
        return
    table = Table("#", "When", "By", "Topic", "Decision", "Rationale", "Corrects")
    for d in decisions:
        table.add_row(
            str(d.id),
            when(d.decided_at),
            d.author,
            d.topic,
            d.decision,
            d.rationale,
            str(d.corrects or "-"),
        )
    console.print(table)
