"""``breachdesk purge``: crypto-shred an incident's personal data (irreversible, audited)."""

from __future__ import annotations

from typing import Annotated

import typer

from breachdesk.bootstrap import protection
from breachdesk.cli.output import console, emit_json, err_console, opened
from breachdesk.core.errors import ExitCode
from breachdesk.core.ids import IncidentId
from breachdesk.services.retention import PurgeScope


def purge(
    ctx: typer.Context,
    incident: Annotated[int, typer.Argument(help="Incident id.")],
    what: Annotated[PurgeScope, typer.Option(help="people, evidence or all.")] = PurgeScope.ALL,
    execute: Annotated[
        bool, typer.Option("--execute", help="Really purge (irreversible).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Destroy the data keys, then delete the rows and files; refused under legal hold."""
    if not execute:
        err_console.print(
            f"This destroys incident {incident}'s {what.value} data for good, copies and backups"
            " included. Add --execute to do it.",
            markup=False,
        )
        raise typer.Exit(int(ExitCode.USAGE))
    with opened(ctx) as ws, console.status("Destroying data keys and deleting rows..."):
        result = protection(ws).purge.purge(IncidentId(incident), what, actor=ws.actor)
    if as_json:
        emit_json(result.as_dict())
        return
    console.print(
        f"Purged incident {incident} ({what.value}): {result.keys_destroyed} data keys destroyed,"
        f" {sum(result.rows.values())} rows and {result.files} files deleted;"
        f" {result.subjects} audit records closed.",
        markup=False,
    )
