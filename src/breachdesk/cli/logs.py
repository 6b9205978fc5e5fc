"""``breachdesk logs``: ingest server, system and cloud logs into an incident's event store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from breachdesk.cli import logs_analyze
from breachdesk.cli.output import console, emit_json, err_console, opened, when
from breachdesk.core.errors import ExitCode, InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.services.logs import FileOutcome, IngestOptions, expand
from breachdesk.timeline.fieldmap import FieldMapError, parse_field_map
from breachdesk.timeline.store import LogFile

app = typer.Typer(no_args_is_help=True, help="Ingest logs and investigate them.")

SHOWN_SKIPS = 20


def _summary(outcomes: list[FileOutcome]) -> Table:
    table = Table("File", "Parser", "Lines", "Events", "Added", "Skipped", "Note")
    for o in outcomes:
        f = o.file
        note = o.error or (
            "already ingested" if not o.created else "resumed" if o.resumed else "ingested"
        )
        table.add_row(
            Path(o.path).name,
            f.parser if f else "-",
            f"{f.lines:,}" if f else "-",
            f"{f.events:,}" if f else "-",
            f"{o.added:,}",
            f"{f.skipped:,}" if f else "-",
            note,
        )
    return table


def _options(fmt: str, tz: str | None, mapping: list[str]) -> IngestOptions:
    try:
        field_map = parse_field_map(mapping)
    except FieldMapError as exc:
        raise InvalidInputError(str(exc)) from None
    return IngestOptions(format=fmt, tz=tz, field_map=field_map).checked()


def _total(paths: list[Path]) -> int:
    total = 0
    for path in expand(paths):
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


@app.command("ingest")
def ingest(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID", help="Incident id.")],
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Log files or folders.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="auto, apache, nginx, syslog, auth, jsonl, cloudtrail, evtx, csv (or a plugin).",
        ),
    ] = "auto",
    tz: Annotated[
        str | None, typer.Option("--tz", help="Zone of stamps without an offset (Europe/Paris).")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="JSON lines/CSV fields: time=@timestamp,src_ip=client.ip,user=user.name"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Register log files as evidence and store their events (streamed, resumable, idempotent).

    gzip files are read transparently; a re-run after an interruption continues from the last
    committed line; a file already ingested adds nothing.
    """
    options = _options(fmt, tz, mapping or [])
    total = _total(paths)
    columns = (
        TextColumn("[bold]ingest"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
    )
    with opened(ctx) as ws, Progress(*columns, console=err_console) as progress:
        bar = progress.add_task("ingest", total=total or None)
        outcomes = ws.logs.ingest(
            IncidentId(incident_id),
            paths,
            options,
            actor=ws.actor,
            on_progress=lambda step: progress.update(bar, advance=step),
        )
    _report(outcomes, as_json=as_json)


def _report(outcomes: list[FileOutcome], *, as_json: bool) -> None:
    if as_json:
        emit_json({"files": [o.as_json() for o in outcomes]})
    else:
        console.print(_summary(outcomes))
    skipped = [(loc, why) for o in outcomes if o.file for loc, why in o.file.skipped_list()]
    total = sum(o.file.skipped for o in outcomes if o.file)
    for loc, why in skipped[:SHOWN_SKIPS]:
        err_console.print(f"skipped: {loc}: {why}", markup=False)
    if total > len(skipped[:SHOWN_SKIPS]):
        err_console.print(
            f"... {total - len(skipped[:SHOWN_SKIPS]):,} more skipped lines (counted per file)"
        )
    for o in outcomes:
        if o.error:
            err_console.print(f"not ingested: {o.path}: {o.error}", markup=False)
    if total or any(o.error for o in outcomes):
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))


logs_analyze.register(app)


def _file_json(f: LogFile) -> dict[str, Any]:
    state = f.state()
    del state["skipped_sample"]
    state["options"] = json.loads(f.options)
    state["skipped_lines"] = [{"locator": loc, "reason": why} for loc, why in f.skipped_list()]
    return state


@app.command("files")
def files(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID", help="Incident id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the incident's ingested log files; unfinished ones resume on the next ingest."""
    with opened(ctx) as ws:
        found = ws.logs.files(IncidentId(incident_id))
    if as_json:
        emit_json({"files": [_file_json(f) for f in found]})
        return
    table = Table("Id", "File", "Evidence", "Parser", "Lines", "Events", "Skipped", "Completed")
    for f in found:
        table.add_row(
            str(f.id),
            f.name,
            str(f.evidence_id),
            f.parser,
            f"{f.lines:,}",
            f"{f.events:,}",
            f"{f.skipped:,}",
            when(f.completed_at) if f.completed_at else "unfinished: ingest again to resume",
        )
    console.print(table)
