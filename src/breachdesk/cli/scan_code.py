"""``breachdesk scan-code``: run the installed code scanners over a tree and import the findings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from breachdesk.bootstrap import security_testing
from breachdesk.cli.output import console, emit_json, err_console, opened
from breachdesk.core.errors import ExitCode
from breachdesk.core.finding import Skipped
from breachdesk.core.ids import IncidentId
from breachdesk.services.codescan import CODE_TOOLS


def scan_code(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID", help="Incident id.")],
    path: Annotated[Path, typer.Argument(metavar="PATH", help="Source tree to scan.")],
    advisories: Annotated[
        str,
        typer.Option(help="pip-audit advisories: 'none' (skip) or 'online' (needs network)."),
    ] = "none",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Run bandit, semgrep (breachdesk's rules), detect-secrets and pip-audit when installed."""
    columns = (TextColumn("[bold]scan-code"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[tool]}"), TimeElapsedColumn())  # fmt: skip
    with opened(ctx) as ws:
        testing = security_testing(ws, advisories_online=advisories == "online")
        with Progress(*columns, console=err_console) as progress:
            bar = progress.add_task("scan-code", total=len(CODE_TOOLS), tool="")

            def on_tool(tool: str) -> None:
                progress.update(bar, advance=1, tool=tool)

            results = testing.code.scan(
                IncidentId(incident_id), path, actor=ws.actor, on_tool=on_tool
            )
    rows = [
        {"tool": r.tool, "skipped": r.outcome.reason}
        if isinstance(r.outcome, Skipped)
        else {
            "tool": r.tool,
            "scan": r.outcome.scan.id,
            "new": r.outcome.new,
            "seen_again": r.outcome.seen_again,
            "fixed": r.outcome.fixed,
            "reopened": r.outcome.reopened,
        }
        for r in results
    ]
    if as_json:
        emit_json(rows)
    else:
        for row in rows:
            detail = ", ".join(f"{k} {v}" for k, v in row.items() if k != "tool")
            console.print(f"{row['tool']}: {detail}", markup=False)
    if not any("scan" in row for row in rows):
        err_console.print("no scanner ran: install bandit, semgrep or detect-secrets")
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))
