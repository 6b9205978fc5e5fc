"""``breachdesk logs analyze`` and ``logs map``: detections, attackers, window, accessed records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from breachdesk.cli.output import console, emit_json, err_console, opened, when
from breachdesk.core.ids import IncidentId
from breachdesk.services.investigation import AnalysisReport

IdArg = Annotated[int, typer.Argument(metavar="ID", help="Incident id.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
_STAGES = 6  # reading, rules, evaluating, analytics, mapping, storing
_SAMPLE = 20  # event ids shown per detection in JSON


def analyze(
    ctx: typer.Context,
    incident_id: IdArg,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="Folder of Sigma rules (repeat), e.g. a SigmaHQ checkout."),
    ] = None,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            "--confirm",
            help="Record the breach window found as the incident's occurrence window (audited).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Run Sigma rules and the built-in analytics over the incident's events."""
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with opened(ctx) as ws, Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("analysing", total=_STAGES)

        def step(stage: str) -> None:
            bar.update(task, description=stage, advance=1)

        report = ws.investigation.analyze(
            IncidentId(incident_id),
            rule_dirs=rules or [],
            actor=ws.actor,
            apply=apply,
            progress=step,
        )
    if as_json:
        emit_json(_jsonable(report))
        return
    _print(report)


def _jsonable(r: AnalysisReport) -> dict[str, Any]:
    return {
        "analysis": r.analysis_id,
        "events": r.events,
        "rules": r.rules,
        "detections": [
            {
                "rule_id": d.rule_id,
                "title": d.title,
                "level": d.level,
                "kind": d.kind,
                "events": d.count,
                "first": d.first,
                "last": d.last,
                "sources": d.actors,
                "event_ids": d.event_ids[:_SAMPLE],
            }
            for d in r.detections
        ],
        "attacker_ips": r.attacker_ips,
        "accounts": r.accounts,
        "window": {"from": r.window[0], "to": r.window[1]} if r.window else None,
        "evidence": r.evidence,
        "accessed_people": r.accessed_people,
        "accessed_unmatched": r.accessed_unmatched,
        "record_maps": r.maps,
        "applied": r.applied,
        "rules_not_evaluated": [
            {"origin": p.origin, "rule_id": p.rule_id, "reason": p.reason} for p in r.problems
        ],
    }


def _print(r: AnalysisReport) -> None:
    table = Table(
        "Level",
        "Rule",
        "Kind",
        "Events",
        "First",
        "Last",
        "Sources",
        title=f"Detections over {r.events:,} events ({r.rules} rules)",
    )
    for d in r.detections:
        sources = ", ".join(d.actors[:3]) + (" ..." if len(d.actors) > 3 else "")
        table.add_row(
            d.level, d.title, d.kind, f"{d.count:,}", when(d.first), when(d.last), sources or "-"
        )
    console.print(table)
    console.print(f"Attacker addresses: {', '.join(r.attacker_ips) or 'none'}", markup=False)
    console.print(f"Accounts used: {', '.join(r.accounts) or 'none'}", markup=False)
    if r.window:
        console.print(
            f"Breach window: {when(r.window[0])} to {when(r.window[1])} "
            f"(evidence events {r.evidence[0]} and {r.evidence[1]})"
        )
    else:
        console.print("Breach window: no high or critical detection")
    if r.maps:
        console.print(
            f"Records accessed by the attackers: {r.accessed_people:,} people confirmed, "
            f"{r.accessed_unmatched:,} identifiers matching nobody in the manifest"
        )
    else:
        console.print(
            "No record map yet: `breachdesk logs map ID --pattern '/api/x/{customer_id}'`"
        )
    if r.applied:
        console.print("Occurrence window recorded on the incident.")
    if r.problems:
        err_console.print(
            f"{len(r.problems)} rule(s) not evaluated (see --json): "
            + "; ".join(sorted({p.reason for p in r.problems})[:3]),
            markup=False,
        )


def map_records(
    ctx: typer.Context,
    incident_id: IdArg,
    pattern: Annotated[
        list[str],
        typer.Option(
            help="URL pattern naming a record, e.g. '/api/customers/{customer_id}' "
            "or '/export?customer={customer_id}' (repeat)."
        ),
    ],
    kind: Annotated[
        str | None, typer.Option(help="Identifier kind, when the placeholder name is not one.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Say how request URLs name records, so accesses can be tied to people."""
    with opened(ctx) as ws:
        maps = [
            ws.investigation.add_map(IncidentId(incident_id), p, kind=kind, actor=ws.actor)
            for p in pattern
        ]
    if as_json:
        emit_json([{"pattern": m.pattern, "kind": m.kind} for m in maps])
        return
    for m in maps:
        console.print(f"Mapped {m.pattern} -> {m.kind}", markup=False)
    console.print("Run `breachdesk logs analyze ID` to tie accesses to people.")


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the ``logs`` command group."""
    app.command("analyze")(analyze)
    app.command("map")(map_records)
