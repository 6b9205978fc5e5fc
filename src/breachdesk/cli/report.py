"""``breachdesk report``: the incident report as Markdown, HTML or PDF (no raw PII)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from breachdesk.bootstrap import Workspace
from breachdesk.cli.output import console, emit_json, opened
from breachdesk.core.clock import SystemClock
from breachdesk.core.ids import IncidentId
from breachdesk.services.exports import ExportService
from breachdesk.services.report import ReportService


def report_service(ws: Workspace) -> ReportService:
    """The report service of a workspace with every built-in rendering."""
    from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
    from breachdesk.casefile.report import RENDERERS

    return ReportService(SqlUnitOfWorkFactory(ws.engine), SystemClock(), dict(RENDERERS))


def export_service(ws: Workspace) -> ExportService:
    """The export service of a workspace."""
    from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory

    return ExportService(SqlUnitOfWorkFactory(ws.engine), SystemClock())


def report(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID", help="Incident id.")],
    fmt: Annotated[str, typer.Option("--format", help="md, html or pdf.")] = "html",
    to: Annotated[Path, typer.Option("--to", help="File to write (replaced).")] = Path(
        "report.html"
    ),
    audience: Annotated[
        str, typer.Option(help="executive, regulator or internal (timeline length, hashes).")
    ] = "internal",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write the incident report: summary, timeline, people, obligations, notices, resets, fixes."""
    with opened(ctx) as ws, console.status(f"rendering the {fmt} report"):
        written = report_service(ws).write(
            IncidentId(incident_id), fmt, to, audience=audience, actor=ws.actor
        )
    if as_json:
        emit_json(
            {"incident": incident_id, "format": fmt, "file": str(to), "people": written.people}
        )
        return
    console.print(
        f"Report of incident {incident_id} ({fmt}, {audience}): {to}; "
        f"{written.people:,} people, {len(written.obligations)} obligations, "
        f"{len(written.findings)} findings",
        markup=False,
    )
