"""``breachdesk findings``: import scanner reports, triage findings, record the way in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from breachdesk.cli.output import console, emit_json, err_console, opened, when
from breachdesk.core.clock import parse_utc
from breachdesk.core.errors import ExitCode, InvalidInputError
from breachdesk.core.finding import FindingScan, FindingStatus, Occurrence, Severity, Skipped
from breachdesk.core.ids import IncidentId
from breachdesk.services.findings import FindingRow, ImportOutcome

app = typer.Typer(
    no_args_is_help=True,
    help="Security findings: import scanner reports, list, triage, root cause.",
)

IdArg = Annotated[int, typer.Argument(metavar="ID", help="Incident id.")]
FindingArg = Annotated[
    str, typer.Argument(metavar="FINDING", help="Finding id, or 6+ characters of its fingerprint.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def finding_json(row: FindingRow, *, with_evidence: bool = False) -> dict[str, Any]:
    """A finding as plain JSON (evidence only on request: it is shown, never listed)."""
    s, f = row.stored, row.stored.finding
    data: dict[str, Any] = {
        "id": s.id,
        "fingerprint": s.fingerprint,
        "title": f.title,
        "severity": f.severity.value,
        "status": s.status.value,
        "overdue": row.overdue,
        "due_at": s.due_at,
        "tool": f.tool,
        "tools": list(s.tools),
        "rule_id": f.rule_id,
        "location": f.location.describe(),
        "location_kind": f.location.kind.value,
        "cwe": list(f.cwe),
        "cve": list(f.cve),
        "cvss_vector": f.cvss_vector,
        "cvss_score": f.cvss_score,
        "first_seen_at": s.first_seen_at,
        "last_seen_at": s.last_seen_at,
        "fixed_by_scan_id": s.fixed_by_scan_id,
        "fixed_at": s.fixed_at,
        "recurring": s.recurring,
        "root_cause": s.root_cause,
        "note": s.note,
        "accepted_until": s.accepted_until,
    }
    if with_evidence:
        data["description"] = f.description
        data["evidence"] = f.evidence
    return data


def _outcome_json(path: Path, result: ImportOutcome | Skipped) -> dict[str, Any]:
    if isinstance(result, Skipped):
        return {"file": path.name, "imported": False, "reason": result.reason}
    return {
        "file": path.name,
        "imported": True,
        "scan": result.scan,
        "new": result.new,
        "seen_again": result.seen_again,
        "reopened": result.reopened,
        "fixed": result.fixed,
        "duplicates": result.duplicates,
        "skipped": [{"location": s.location, "reason": s.reason} for s in result.skipped],
    }


@app.command("import")
def import_(
    ctx: typer.Context,
    incident_id: IdArg,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Scanner reports.")],
    tool: Annotated[
        str,
        typer.Option(
            help="Report format: auto, sarif, bandit, semgrep, pip-audit, osv-scanner, trivy, "
            "nuclei, zap, nmap, detect-secrets, gitleaks, sqlmap (or a plugin's name)."
        ),
    ] = "auto",
    label: Annotated[
        str | None,
        typer.Option(
            help="Scope of the scan (default: the tool). A re-import with the same tool and "
            "label closes what it no longer reports."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Store reports as evidence, then import their findings (one scan per file)."""
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise InvalidInputError(f"{missing[0]}: no such file")
    columns = (
        TextColumn("[bold]import"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    with opened(ctx) as ws, Progress(*columns, console=err_console) as progress:
        bar = progress.add_task("", total=len(files))
        incident = IncidentId(incident_id)

        def add_evidence(path: Path) -> Any:
            progress.update(bar, description=path.name)
            return ws.evidence.add(incident, path, actor=ws.actor).item.id

        results = ws.findings.import_files(
            incident,
            files,
            actor=ws.actor,
            add_evidence=add_evidence,
            tool=tool,
            label=label,
            on_file=lambda _path: progress.advance(bar),
        )
    if as_json:
        emit_json([_outcome_json(p, r) for p, r in results])
    else:
        _print_outcomes(results)
    if any(isinstance(r, Skipped) or r.skipped for _, r in results):
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))


def _print_outcomes(results: list[tuple[Path, ImportOutcome | Skipped]]) -> None:
    table = Table("File", "Tool", "Scan", "New", "Seen again", "Reopened", "Fixed", "Skipped")
    for path, r in results:
        if isinstance(r, Skipped):
            table.add_row(path.name, "-", "-", "-", "-", "-", "-", "whole file")
            continue
        table.add_row(
            path.name, r.scan.tool, str(r.scan.id), str(r.new), str(r.seen_again),
            str(r.reopened), str(r.fixed), str(len(r.skipped)),
        )  # fmt: skip
    console.print(table)
    for path, r in results:
        reasons = [r] if isinstance(r, Skipped) else list(r.skipped)
        for s in reasons[:10]:
            err_console.print(
                f"skipped: {path.name}: {s.location or '-'}: {s.reason}", markup=False
            )
        if len(reasons) > 10:
            err_console.print(f"... and {len(reasons) - 10} more in {path.name} (see --json)")


def _statuses(values: list[str] | None) -> list[FindingStatus]:
    try:
        return [FindingStatus.parse(v) for v in values or []]
    except ValueError:
        names = ", ".join(s.value for s in FindingStatus)
        raise InvalidInputError(f"--status: one of {names}") from None


def _severity(value: str | None) -> Severity | None:
    if value is None:
        return None
    severity = Severity.parse(value)
    if severity is None or severity.value != value.strip().lower():
        raise InvalidInputError("--severity: one of critical, high, medium, low, info")
    return severity


@app.command("list")
def list_(
    ctx: typer.Context,
    incident_id: IdArg,
    status: Annotated[
        list[str] | None,
        typer.Option(help="Only this status (repeatable): open, reopened, fixed, accepted, ..."),
    ] = None,
    severity: Annotated[
        str | None, typer.Option(help="This severity and worse (critical, high, medium, low).")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue findings.")] = False,
    active: Annotated[
        bool, typer.Option("--open", help="Only findings still to fix (open or reopened).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List an incident's findings, worst first; overdue ones are highlighted."""
    wanted = _statuses(status)
    if active:
        wanted += [FindingStatus.OPEN, FindingStatus.REOPENED]
    with opened(ctx) as ws:
        rows = ws.findings.list_findings(
            IncidentId(incident_id),
            status=wanted,
            severity=_severity(severity),
            overdue=overdue,
        )
    if as_json:
        emit_json([finding_json(r) for r in rows])
        return
    table = Table("#", "Severity", "Status", "Due", "Title", "Location", "Tools")
    for r in rows:
        s, f = r.stored, r.stored.finding
        flags = (" recurring" if s.recurring else "") + (" root-cause" if s.root_cause else "")
        table.add_row(
            str(s.id),
            f"[{SEVERITY_STYLE[f.severity]}]{f.severity.value}[/]",
            s.status.value + flags,
            f"[bold red]OVERDUE {when(s.due_at)}[/]" if r.overdue else when(s.due_at),
            _plain(f.title),
            _plain(f.location.describe()),
            ", ".join(s.tools),
        )
    console.print(table)
    console.print(f"{len(rows)} findings, {sum(r.overdue for r in rows)} overdue", markup=False)


def _plain(text: str) -> str:
    """Text from a scanner report, with rich markup escaped."""
    from rich.markup import escape

    return escape(text)


@app.command("show")
def show(
    ctx: typer.Context, incident_id: IdArg, finding: FindingArg, as_json: JsonOpt = False
) -> None:
    """One finding with its evidence, every scan that reported it and which scan fixed it."""
    with opened(ctx) as ws:
        row, occurrences, scans = ws.findings.show(IncidentId(incident_id), finding)
    if as_json:
        emit_json(
            finding_json(row, with_evidence=True) | {"occurrences": occurrences, "scans": scans}
        )
        return
    _print_finding(row, occurrences, scans)


def _print_finding(
    row: FindingRow, occurrences: list[Occurrence], scans: list[FindingScan]
) -> None:
    s, f = row.stored, row.stored.finding
    lines = [
        f"Finding {s.id}  {f.severity.value}  {s.status.value}"
        + ("  OVERDUE" if row.overdue else "")
        + ("  recurring" if s.recurring else "")
        + ("  root cause" if s.root_cause else ""),
        f"Title:       {f.title}",
        f"Location:    {f.location.describe()}",
        f"Rule:        {f.tool} {f.rule_id}",
        f"CWE / CVE:   {', '.join(f'CWE-{c}' for c in f.cwe) or '-'} / {', '.join(f.cve) or '-'}",
        f"CVSS:        {f.cvss_vector or '-'} {f.cvss_score if f.cvss_score is not None else ''}",
        f"Fingerprint: {s.fingerprint}",
        f"Seen:        {when(s.first_seen_at)} .. {when(s.last_seen_at)}; due {when(s.due_at)}",
    ]
    if s.fixed_by_scan_id is not None:
        lines.append(f"Fixed by:    scan {s.fixed_by_scan_id} at {when(s.fixed_at)}")
    if s.note:
        lines.append(f"Note:        {s.note}")
    if s.accepted_until:
        lines.append(f"Accepted to: {when(s.accepted_until)}")
    if f.evidence:
        lines.append(f"Evidence:    {f.evidence}")
    if f.description:
        lines.append(f"\n{f.description}")
    for line in lines:
        console.print(line, markup=False)
    by_id: dict[int, FindingScan] = {scan.id: scan for scan in scans}
    table = Table("Scan", "Tool", "Label", "Imported", "Times", "Reported as")
    for o in occurrences:
        scan = by_id.get(o.scan_id)
        table.add_row(
            str(o.scan_id), o.tool, _plain(scan.label if scan else "-"),
            when(scan.imported_at if scan else None), str(o.count), _plain(o.location),
        )  # fmt: skip
    console.print(table)


@app.command("set-status")
def set_status(
    ctx: typer.Context,
    incident_id: IdArg,
    finding: FindingArg,
    status: Annotated[
        str, typer.Argument(metavar="STATUS", help="fixed, accepted, false-positive or open.")
    ],
    note: Annotated[
        str | None, typer.Option(help="Why (required for accepted and false-positive).")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(help="Expiry of an accepted risk (ISO time, e.g. 2027-03-01T00:00Z)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a finding's status by hand (audited); accepting a risk needs --note and --until."""
    target = _statuses([status])[0]
    expiry: datetime | None = parse_utc(until, field="--until") if until else None
    with opened(ctx) as ws:
        changed = ws.findings.set_status(
            IncidentId(incident_id), finding, target, actor=ws.actor, note=note, until=expiry
        )
        row = FindingRow(changed, changed.overdue(datetime.now(UTC)))
    if as_json:
        emit_json(finding_json(row))
        return
    console.print(f"Finding {changed.id}: {changed.status.value}", markup=False)


@app.command("root-cause")
def root_cause(
    ctx: typer.Context, incident_id: IdArg, finding: FindingArg, as_json: JsonOpt = False
) -> None:
    """Record a finding as (one of) the ways the attacker got in (audited)."""
    with opened(ctx) as ws:
        changed = ws.findings.mark_root_cause(IncidentId(incident_id), finding, actor=ws.actor)
    if as_json:
        emit_json({"id": changed.id, "fingerprint": changed.fingerprint, "root_cause": True})
        return
    console.print(
        f"Finding {changed.id} recorded as a root cause of incident {incident_id}", markup=False
    )


@app.command("scans")
def scans(ctx: typer.Context, incident_id: IdArg, as_json: JsonOpt = False) -> None:
    """List the scans imported into an incident (tool, label, evidence file)."""
    with opened(ctx) as ws:
        found = ws.findings.scans(IncidentId(incident_id))
    if as_json:
        emit_json(found)
        return
    table = Table("Scan", "Tool", "Label", "Evidence", "Imported", "By", "Findings", "Skipped")
    for s in found:
        table.add_row(
            str(s.id), s.tool, _plain(s.label), str(s.evidence_id or "-"), when(s.imported_at),
            s.imported_by, str(s.findings), str(s.skipped),
        )  # fmt: skip
    console.print(table)
