"""``breachdesk scan``: find personal data in leaked files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

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

from breachdesk.bootstrap import make_executor
from breachdesk.cli.output import console, err_console, opened
from breachdesk.core.errors import ExitCode, InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.discovery.result import SourceReport
from breachdesk.services.scan import ScanProgress, planned_bytes, scan_files


def _summary(reports: list[SourceReport]) -> Table:
    table = Table("Source", "Format", "Records", "Elements found", "Skipped")
    for r in reports:
        found = ", ".join(
            f"{k} {v:,}" for k, v in sorted(r.elements.items(), key=lambda kv: -kv[1])
        )
        table.add_row(
            Path(r.path).name, r.format, f"{r.records:,}", found or "-", str(len(r.skipped))
        )
    return table


def scan(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Files or folders.")],
    incident: Annotated[
        int | None, typer.Option(help="Store findings for this incident (files become evidence).")
    ] = None,
    workers: Annotated[int, typer.Option(help="Local worker processes.")] = 1,
    dask: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786).")
    ] = None,
    json_to: Annotated[
        Path | None, typer.Option("--json", help="Write the JSON report to this file.")
    ] = None,
) -> None:
    """Find every kind of personal data in leaked files; report per source and column."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InvalidInputError(f"{missing[0]}: no such file or folder")
    executor = make_executor(workers=workers, dask=dask)
    total = planned_bytes(paths)
    columns = (
        TextColumn("[bold]scan"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TextColumn("{task.fields[records]:,} records"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as progress:
        bar = progress.add_task("scan", total=total or None, records=0)

        def advance(step: ScanProgress) -> None:
            done = progress.tasks[0].fields["records"] + step.records
            progress.update(bar, advance=step.bytes, records=done)

        try:
            if incident is not None:
                with opened(ctx) as ws:
                    outcomes = ws.scans.scan(
                        paths,
                        executor=executor,
                        actor=ws.actor,
                        incident_id=IncidentId(incident),
                        on_progress=advance,
                    )
                reports = [o.report for o in outcomes]
            else:
                reports = [
                    f.report for f in scan_files(paths, executor=executor, on_progress=advance)
                ]
        finally:
            close = getattr(executor, "close", None)
            if close is not None:
                close()
    console.print(_summary(reports))
    if json_to is not None:
        try:
            json_to.write_text(
                json.dumps(
                    {"sources": [r.as_json() for r in reports]}, indent=2, ensure_ascii=False
                ),
                encoding="utf-8",
            )
        except OSError as exc:
            raise InvalidInputError(f"{json_to}: cannot write ({exc.strerror})") from None
    skipped = [s for r in reports for s in r.skipped]
    for s in skipped[:20]:
        err_console.print(f"skipped: {s.locator.describe()}: {s.reason}", markup=False)
    if len(skipped) > 20:
        err_console.print(f"... and {len(skipped) - 20} more skipped parts (see the JSON report)")
    if skipped:
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))
