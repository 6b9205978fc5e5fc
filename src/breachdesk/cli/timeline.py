"""``breachdesk timeline``: log events, detections and case events in one ordered view."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from typer.core import TyperGroup

from breachdesk.cli.output import console, emit_json, err_console, opened, when
from breachdesk.core.ids import IncidentId
from breachdesk.services.timeline import EXPORT_FORMATS, parse_when
from breachdesk.timeline.store import EventQuery


class _ShowByDefault(TyperGroup):
    """``timeline ID ...`` runs ``timeline show ID ...``; ``timeline export ...`` stays."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_ShowByDefault,
    no_args_is_help=True,
    help="The incident timeline: `timeline ID` (with --from/--to/--ip/--user) shows it, "
    "`timeline export` writes it.",
)

IdArg = Annotated[int, typer.Argument(metavar="ID", help="Incident id.")]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="From this time (ISO 8601; naive is UTC).")
]
ToOpt = Annotated[str | None, typer.Option("--to", help="Before this time (ISO 8601).")]
IpOpt = Annotated[str | None, typer.Option("--ip", help="Only this source IP.")]
UserOpt = Annotated[str | None, typer.Option("--user", help="Only this user.")]


def _query(start: str | None, end: str | None, ip: str | None, user: str | None) -> EventQuery:
    return EventQuery(
        start=parse_when(start, "--from"), end=parse_when(end, "--to"), src_ip=ip, user=user
    )


@app.command("show")
def show(
    ctx: typer.Context,
    incident_id: IdArg,
    start: FromOpt = None,
    end: ToOpt = None,
    ip: IpOpt = None,
    user: UserOpt = None,
    limit: Annotated[int, typer.Option(help="Show at most this many entries.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the timeline, oldest first (log events, detections, case events)."""
    query = _query(start, end, ip, user)
    with opened(ctx) as ws:
        entries = ws.timeline.entries(IncidentId(incident_id), query, limit=max(1, limit))
    if as_json:
        emit_json({"entries": [e.as_json() for e in entries]})
        return
    table = Table("Time (UTC)", "Kind", "Source", "IP", "User", "What", "Ref")
    for e in entries:
        table.add_row(
            when(e.time), e.kind, e.source, e.src_ip or "", e.user or "", e.summary, e.ref
        )
    console.print(table)
    if len(entries) >= limit:
        err_console.print(f"first {limit} entries shown; use --limit, filters or export")


@app.command("export")
def export(
    ctx: typer.Context,
    incident_id: IdArg,
    fmt: Annotated[str, typer.Option("--format", help="csv or timesketch (JSONL).")],
    to: Annotated[Path, typer.Option("--to", help="File to write (must not exist).")],
    start: FromOpt = None,
    end: Annotated[str | None, typer.Option("--until", help="Before this time (ISO 8601).")] = None,
    ip: IpOpt = None,
    user: UserOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write the whole timeline as CSV or Timesketch JSONL (streamed); the export is audited."""
    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    query = _query(start, end, ip, user)
    columns = (
        TextColumn("[bold]export"),
        SpinnerColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with opened(ctx) as ws, Progress(*columns, console=err_console) as progress:
        bar = progress.add_task("export", total=None)
        count = ws.timeline.export(
            IncidentId(incident_id),
            fmt,
            to,
            actor=ws.actor,
            query=query,
            on_progress=lambda step: progress.update(bar, advance=step),
        )
        progress.update(bar, completed=count)
    result: dict[str, Any] = {"path": str(to), "format": fmt, "entries": count}
    if as_json:
        emit_json(result)
    else:
        console.print(f"Wrote {count:,} timeline entries to {to} ({fmt})", markup=False)
