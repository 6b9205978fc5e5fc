"""``breachdesk passwords assess``: what the leaked credentials are worth to an attacker."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from breachdesk.bootstrap import credential_resets, pwned_check
from breachdesk.cli.output import console, emit_json, opened
from breachdesk.core.errors import ExitCode
from breachdesk.core.ids import IncidentId

app = typer.Typer(no_args_is_help=True, help="Assess leaked passwords and hashes.")


@app.command("assess")
def assess(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID", help="Incident id.")],
    pwned_file: Annotated[
        Path | None,
        typer.Option(help="Local Pwned Passwords file (SHA1:count lines, sorted by hash)."),
    ] = None,
    pwned_api: Annotated[
        str | None,
        typer.Option(help="Pwned Passwords range API base URL (k-anonymity); off unless given."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Identify each leaked password value's hash scheme and rate the cost of cracking it."""
    check = pwned_check(pwned_file, pwned_api)
    try:
        with opened(ctx) as ws, console.status("re-reading the password columns..."):
            report = credential_resets(ws).passwords.assess(
                IncidentId(incident_id), actor=ws.actor, pwned=check
            )
    finally:
        if check is not None:
            check.close()
    if as_json:
        emit_json(report)
    else:
        table = Table("Scheme", "Tier", "Why", "Values", "Pwned")
        for s in report.schemes:
            pwned = str(s.pwned) if report.pwned_checked and s.scheme == "plaintext" else "-"
            table.add_row(s.scheme, s.tier, s.rationale, f"{s.values:,}", pwned)
        console.print(table)
        console.print(
            f"{report.values:,} password values in {len(report.columns)} column(s); "
            f"{report.people_weak:,} of {report.people_assessed:,} linked people have a "
            "plaintext or fast-hash password (flag weak_password: urgent reset, notice wording)."
        )
    if report.people_weak or any(s.tier in ("instant", "minutes") for s in report.schemes):
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))
