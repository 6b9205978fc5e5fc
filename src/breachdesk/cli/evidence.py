"""``breachdesk evidence``: write-once evidence with chain of custody."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from breachdesk.cli.output import console, emit_json, err_console, opened, when
from breachdesk.core.errors import ExitCode
from breachdesk.core.ids import EvidenceId, IncidentId

app = typer.Typer(no_args_is_help=True, help="Store, list, verify and export evidence.")

IdArg = Annotated[int, typer.Argument(metavar="ID", help="Incident id.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("add")
def add(
    ctx: typer.Context,
    incident_id: IdArg,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Files to store.")],
    description: Annotated[str | None, typer.Option(help="What the files are.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Hash and store files write-once; each add writes a custody entry."""
    results = []
    with opened(ctx) as ws:
        for path in files:
            result = ws.evidence.add(
                IncidentId(incident_id), path, actor=ws.actor, description=description
            )
            results.append(result)
            if not as_json:
                verb = "Stored" if result.created else "Already stored"
                console.print(
                    f"{verb}: evidence {result.item.id} {path.name} "
                    f"sha256:{result.item.sha256[:16]}... ({result.item.size} bytes)",
                    markup=False,
                )
    if as_json:
        emit_json([{"created": r.created, **{"item": r.item}} for r in results])


@app.command("list")
def list_(ctx: typer.Context, incident_id: IdArg, as_json: JsonOpt = False) -> None:
    """List an incident's evidence items."""
    with opened(ctx) as ws:
        items = ws.evidence.items(IncidentId(incident_id))
        custody = {i.id: ws.evidence.custody(i.id) for i in items}
    if as_json:
        emit_json([{"item": i, "custody": custody[i.id]} for i in items])
        return
    table = Table("#", "Name", "SHA-256", "Size", "Type", "Added", "By", "Custody")
    for i in items:
        table.add_row(
            str(i.id),
            i.original_name,
            i.sha256[:16] + "...",
            str(i.size),
            i.media_type,
            when(i.added_at),
            i.added_by,
            str(len(custody[i.id])),
        )
    console.print(table)


@app.command("verify")
def verify(ctx: typer.Context, incident_id: IdArg, as_json: JsonOpt = False) -> None:
    """Re-hash every stored item; exit 3 naming any item that no longer matches."""
    with opened(ctx) as ws:
        results = ws.evidence.verify(IncidentId(incident_id), actor=ws.actor)
    bad = [r for r in results if not r.ok]
    if as_json:
        emit_json(
            {
                "ok": not bad,
                "checked": len(results),
                "failures": [
                    {"evidence_id": r.item.id, "name": r.item.original_name, "reason": r.reason}
                    for r in bad
                ],
            }
        )
    else:
        for r in bad:
            err_console.print(
                f"evidence {r.item.id} ({r.item.original_name}): {r.reason}", markup=False
            )
        console.print(
            f"Verified {len(results)} item(s): {len(results) - len(bad)} intact, {len(bad)} failed."
        )
    if bad:
        raise typer.Exit(int(ExitCode.INTEGRITY))


@app.command("export")
def export(
    ctx: typer.Context,
    incident_id: IdArg,
    item: Annotated[int, typer.Argument(metavar="ITEM", help="Evidence id.")],
    to: Annotated[Path, typer.Option(help="Destination file or folder.")],
    as_json: JsonOpt = False,
) -> None:
    """Copy an item out after checking its hash; the access is recorded in custody."""
    with opened(ctx) as ws:
        target = ws.evidence.export(IncidentId(incident_id), EvidenceId(item), to, actor=ws.actor)
    if as_json:
        emit_json({"evidence_id": item, "exported_to": target})
    else:
        console.print(f"Exported evidence {item} to {target}", markup=False)
