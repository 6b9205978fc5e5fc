"""``breachdesk export``: GDPR Art. 33 content, VERIS JSON or US attorney-general CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from breachdesk.casefile.report.exports import ExportFacts
from breachdesk.cli.output import console, emit_json, opened
from breachdesk.cli.report import export_service
from breachdesk.core.ids import IncidentId


def export(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID", help="Incident id.")],
    fmt: Annotated[str, typer.Option("--format", help="gdpr-art33, veris or csv.")],
    to: Annotated[Path, typer.Option("--to", help="Folder to write into.")],
    dpo_name: Annotated[str, typer.Option(help="DPO name (gdpr-art33).")] = "",
    dpo_email: Annotated[str, typer.Option(help="DPO e-mail (gdpr-art33).")] = "",
    dpo_phone: Annotated[str, typer.Option(help="DPO phone (gdpr-art33).")] = "",
    measure: Annotated[
        list[str] | None, typer.Option(help="A measure proposed (gdpr-art33; repeat).")
    ] = None,
    phased: Annotated[
        str, typer.Option(help="Further information still to come (gdpr-art33 phasing).")
    ] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write a regulator-ready export of an incident into a folder."""
    facts = ExportFacts(dpo_name, dpo_email, dpo_phone, tuple(measure or ()), phased)
    with opened(ctx) as ws:
        path = export_service(ws).export(
            IncidentId(incident_id), fmt, to, actor=ws.actor, facts=facts
        )
    if as_json:
        emit_json({"incident": incident_id, "format": fmt, "file": str(path)})
        return
    console.print(f"{fmt} export of incident {incident_id}: {path}", markup=False)
