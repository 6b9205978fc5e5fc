"""``breachdesk audit``: verify and export the tamper-evident audit chain."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from breachdesk.cli.output import console, emit_json, err_console, opened
from breachdesk.core.errors import ExitCode
from breachdesk.core.ids import IncidentId

app = typer.Typer(no_args_is_help=True, help="Verify and export the audit chain.")


@app.command("verify")
def verify(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Walk the hash chain and check every record against its last audited state."""
    with opened(ctx) as ws:
        report = ws.audit.verify()
    if as_json:
        emit_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "head": {"seq": report.head[0], "hash": report.head[1]} if report.head else None,
                "first_broken_seq": report.problems[0].seq if report.problems else None,
                "problems": [{"seq": p.seq, "reason": p.reason} for p in report.problems],
            }
        )
    elif report.ok:
        head = f"head seq {report.head[0]} {report.head[1][:16]}..." if report.head else "empty"
        console.print(f"Audit chain intact: {report.entries} entries, {head}.")
    else:
        err_console.print(
            f"Audit chain BROKEN: first broken {report.problems[0].describe()}", markup=False
        )
        for problem in report.problems[1:]:
            err_console.print(f"  also {problem.describe()}", markup=False)
    if not report.ok:
        raise typer.Exit(int(ExitCode.INTEGRITY))


@app.command("export")
def export(
    ctx: typer.Context,
    to: Annotated[Path, typer.Option(help="Output JSON-lines file.")],
    incident: Annotated[int | None, typer.Option(help="Only this incident's entries.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write entries and the chain head (for anchoring outside the database)."""
    with opened(ctx) as ws:
        count = ws.audit.export(
            to, actor=ws.actor, incident_id=IncidentId(incident) if incident else None
        )
    if as_json:
        emit_json({"entries": count, "to": to})
    else:
        console.print(f"Exported {count} audit entries and the chain head to {to}", markup=False)


@app.command("access-report")
def access_report(
    ctx: typer.Context,
    incident: Annotated[int, typer.Argument(help="Incident id.")],
    person: Annotated[
        str | None, typer.Option(help="Only reads that reached this person (id).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Who viewed or exported which people, evidence and reports, and when."""
    from breachdesk.bootstrap import protection

    with opened(ctx) as ws:
        events = protection(ws).access.report(IncidentId(incident), person=person)
    if as_json:
        emit_json([e.as_dict() for e in events])
        return
    if not events:
        console.print("No reads or exports recorded.")
    for event in events:
        console.print(
            f"{event.at.isoformat()}  {event.actor}  {event.action}  {event.subject}"
            f"  ({event.scope})",
            markup=False,
        )
