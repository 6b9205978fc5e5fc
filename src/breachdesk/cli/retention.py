"""``breachdesk retention``: schedules, legal holds, what is due, and enforcement (for cron)."""

from __future__ import annotations

from typing import Annotated

import typer

from breachdesk.bootstrap import protection
from breachdesk.cli.output import console, emit_json, opened, when
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.services.retention import parse_duration

app = typer.Typer(no_args_is_help=True, help="Retention schedules and legal holds.")


def _hold(value: str | None) -> bool | None:
    if value is None:
        return None
    if value.lower() not in ("on", "off"):
        raise InvalidInputError("--legal-hold: on or off")
    return value.lower() == "on"


@app.command("set")
def set_(
    ctx: typer.Context,
    incident: Annotated[int, typer.Argument(help="Incident id.")],
    keep_people: Annotated[
        str | None, typer.Option(help="Keep affected people this long after closing (2y, 18m).")
    ] = None,
    keep_evidence: Annotated[
        str | None, typer.Option(help="Keep evidence this long after closing (7y).")
    ] = None,
    legal_hold: Annotated[
        str | None, typer.Option(help="on or off: a hold blocks purging.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option(help="Why the hold is set (required with on).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Set an incident's retention schedule or legal hold (audited, with who set it)."""
    people = parse_duration(keep_people, option="--keep-people") if keep_people else None
    evidence = parse_duration(keep_evidence, option="--keep-evidence") if keep_evidence else None
    with opened(ctx) as ws:
        policy = protection(ws).retention.set(
            IncidentId(incident),
            actor=ws.actor,
            keep_people_days=people,
            keep_evidence_days=evidence,
            legal_hold=_hold(legal_hold),
            reason=reason,
        )
    if as_json:
        emit_json(policy)
        return
    hold = f"legal hold ({policy.hold_reason})" if policy.legal_hold else "no legal hold"
    console.print(
        f"Incident {incident}: people kept {policy.keep_people_days} days, evidence"
        f" {policy.keep_evidence_days} days after closing; {hold}; set by {policy.set_by}.",
        markup=False,
    )


@app.command("due")
def due(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What will be purged when, and what a legal hold keeps."""
    with opened(ctx) as ws:
        items = protection(ws).retention.due()
    if as_json:
        emit_json([i.as_dict() for i in items])
        return
    if not items:
        console.print("No incidents.")
    for item in items:
        if item.purged_at:
            state = f"purged {when(item.purged_at)}"
        elif item.due_at is None:
            state = "not closed: retention has not started"
        else:
            state = f"due {when(item.due_at)}" + (" (DUE NOW)" if item.due else "")
        if item.held:
            state += f"; legal hold: {item.hold_reason}"
        console.print(f"incident {item.incident_id} {item.what.value}: {state}", markup=False)


@app.command("enforce")
def enforce(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Purge what is due and not held (safe to run from cron; does nothing when nothing is due)."""
    with opened(ctx) as ws:
        prot = protection(ws)
        done = prot.purge.enforce(prot.retention, actor=ws.actor)
    if as_json:
        emit_json([r.as_dict() for r in done])
        return
    if not done:
        console.print("Nothing is due.")
    for result in done:
        console.print(
            f"Purged incident {result.incident_id} {result.what.value}:"
            f" {sum(result.rows.values())} rows, {result.files} files,"
            f" {result.keys_destroyed} data keys destroyed.",
            markup=False,
        )
