"""``breachdesk key``: rotate the keys that protect the case file."""

from __future__ import annotations

from typing import Annotated

import typer

from breachdesk.bootstrap import protection
from breachdesk.cli.output import console, emit_json, opened
from breachdesk.core.ids import IncidentId

app = typer.Typer(no_args_is_help=True, help="Rotate encryption keys.")


@app.command("rotate")
def rotate(
    ctx: typer.Context,
    incident: Annotated[
        int | None, typer.Option(help="New data key for this incident (re-seals its values).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A new data key for one incident, or (without --incident) a new key-encryption key."""
    with opened(ctx) as ws, console.status("Rotating keys..."):
        result = protection(ws).purge.rotate(
            IncidentId(incident) if incident else None, actor=ws.actor
        )
    if as_json:
        emit_json(result.as_dict())
    elif incident:
        console.print(
            f"Incident {incident}: new data key; {result.resealed} values re-sealed, old key"
            " retired.",
            markup=False,
        )
    else:
        console.print(
            f"New key-encryption key: {result.keys} data keys re-wrapped, old one destroyed.",
            markup=False,
        )
