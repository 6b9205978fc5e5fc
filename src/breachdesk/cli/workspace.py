"""``breachdesk init``."""

from __future__ import annotations

from typing import Annotated

import typer

from breachdesk.bootstrap import init_workspace
from breachdesk.cli.output import console, emit_json, settings_of


def init(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Create a workspace (./.breachdesk or $BREACHDESK_HOME): database and key file (0600)."""
    result = init_workspace(settings_of(ctx))
    if as_json:
        emit_json(result)
        return
    if result.created_schema:
        console.print(f"Initialised workspace in {result.home} (database {result.database}).")
    else:
        console.print(f"Workspace in {result.home} is already initialised; schema checked.")
    if result.created_key_file:
        console.print(
            "Created the encryption key file (mode 0600): back it up; without it "
            "encrypted contact details cannot be read."
        )
