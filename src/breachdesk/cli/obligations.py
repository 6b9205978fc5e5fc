"""``breachdesk obligations``, ``facts`` and ``rules``: who must be told what, by when, and why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from breachdesk.cli.output import console, emit_json, err_console, opened, when
from breachdesk.core.clock import parse_utc
from breachdesk.core.errors import ExitCode, InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.rules.loader import validate_folder
from breachdesk.rules.registry import load_rules
from breachdesk.services.obligations import Outcome

DISCLAIMER = (
    "Not legal advice: the rules pack is a reviewed starting point for counsel, as of {as_of}."
)
RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rule folder (adds or overrides rules; repeat)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _rows(outcome: Outcome) -> list[dict[str, Any]]:
    evaluated = {o.key: o for o in outcome.evaluation.obligations}
    rows = []
    for stored in outcome.stored:
        data = json.loads(stored.data)
        rows.append(
            {
                **data,
                "id": stored.id,
                "key": stored.key,
                "active": stored.active,
                "met_at": stored.met_at,
                "met_by": stored.met_by,
                "late": stored.late,
                "proof_evidence_id": stored.proof_evidence_id,
                "met_note": stored.met_note,
                "current": stored.key in evaluated,
            }
        )
    rows.sort(key=lambda r: (not r["active"], r["due_at"] or r["target_at"] or "9999"))
    return rows


def _print(outcome: Outcome, explain: bool) -> None:
    table = Table(
        "#",
        "Jurisdiction",
        "Recipient",
        "Status",
        "Due (UTC)",
        "Due (local)",
        "People",
        "Met",
        title="Obligations, earliest first",
    )
    for r in _rows(outcome):
        if not r["active"]:
            continue
        due = r["due_at"] or (f"target {r['target_at']}" if r["target_at"] else "-")
        style = "red" if r["overdue"] and not r["met_at"] else None
        met = ("late" if r["late"] else "on time") if r["met_at"] else "-"
        table.add_row(
            str(r["id"]),
            r["jurisdiction"],
            r["recipient"],
            r["status"],
            str(due)[:16].replace("T", " "),
            (r["due_local"] or "-")[:16],
            f"{r['people']:,}",
            met,
            style=style,
        )
    console.print(table)
    if explain:
        for ob in outcome.evaluation.obligations:
            console.print(f"[bold]{ob.jurisdiction} {ob.recipient}[/] ({'; '.join(ob.citations)})")
            for line in (*ob.explanation, *ob.notes):
                console.print(f"  {line}", markup=False)
        if outcome.evaluation.not_applicable:
            console.print("[bold]Not applicable[/]")
            for na in outcome.evaluation.not_applicable:
                console.print(f"  {na.jurisdiction} {na.rule_id}: {na.reason}", markup=False)
    for note in outcome.evaluation.notes:
        console.print(note, markup=False)
    if outcome.changes:
        err_console.print(
            f"{len(outcome.changes)} change(s) since the last evaluation "
            "(recorded in the audit log)."
        )
    console.print(DISCLAIMER.format(as_of=outcome.evaluation.rules_as_of), markup=False)


def obligations(
    ctx: typer.Context,
    args: Annotated[list[str], typer.Argument(metavar="ID | done ID OBLIGATION")],
    explain: Annotated[bool, typer.Option(help="Why each rule applies or not.")] = False,
    as_of: Annotated[
        str | None, typer.Option(help="Judge lateness at this time (ISO-8601).")
    ] = None,
    evidence: Annotated[Path | None, typer.Option(help="Proof file (stored as evidence).")] = None,
    note: Annotated[str | None, typer.Option(help="Proof note.")] = None,
    rules: RulesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Evaluate and list obligations (earliest deadline first), or mark one met with proof."""
    if args and args[0] == "done":
        if len(args) != 3 or not args[1].isdigit():
            raise InvalidInputError(
                "usage: breachdesk obligations done ID OBLIGATION --evidence FILE | --note TEXT"
            )
        _done(ctx, IncidentId(int(args[1])), args[2], evidence, note, as_json)
        return
    if len(args) != 1 or not args[0].isdigit():
        raise InvalidInputError("usage: breachdesk obligations ID [--explain] [--json]")
    moment = parse_utc(as_of, field="--as-of") if as_of else None
    with opened(ctx) as ws:
        outcome = ws.obligations.evaluate(
            IncidentId(int(args[0])), actor=ws.actor, rule_folders=rules or (), as_of=moment
        )
    if as_json:
        emit_json(
            {
                "obligations": _rows(outcome),
                "changes": outcome.changes,
                "not_applicable": outcome.evaluation.not_applicable,
                "notes": outcome.evaluation.notes,
                "rules_as_of": outcome.evaluation.rules_as_of,
                "disclaimer": DISCLAIMER.format(as_of=outcome.evaluation.rules_as_of),
            }
        )
    else:
        _print(outcome, explain)
    if any(r["overdue"] and not r["met_at"] and r["active"] for r in _rows(outcome)):
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))


def _done(
    ctx: typer.Context,
    incident_id: IncidentId,
    ref: str,
    evidence: Path | None,
    note: str | None,
    as_json: bool,
) -> None:
    with opened(ctx) as ws:
        evidence_id = None
        if evidence is not None:
            evidence_id = ws.evidence.add(
                incident_id, evidence, actor=ws.actor, description=f"proof for obligation {ref}"
            ).item.id
        met = ws.obligations.mark_met(
            incident_id, ref, actor=ws.actor, note=note, evidence_id=evidence_id
        )
    if as_json:
        emit_json(met)
    else:
        console.print(
            f"Obligation {met.key} met at {when(met.met_at)}"
            f" ({'LATE' if met.late else 'on time'}); proof recorded.",
            markup=False,
        )


facts_app = typer.Typer(no_args_is_help=True, help="Facts the obligations depend on.")


@facts_app.command("set")
def facts_set(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    encrypted: Annotated[bool | None, typer.Option(help="Was the data encrypted?")] = None,
    key_exposed: Annotated[bool | None, typer.Option(help="Was the key exposed too?")] = None,
    determined: Annotated[
        str | None, typer.Option(help="When the breach was determined (ISO-8601).")
    ] = None,
    assessed: Annotated[str | None, typer.Option(help="When the assessment finished.")] = None,
    flag: Annotated[
        list[str] | None,
        typer.Option(help="Organisation flag, e.g. hipaa_covered_entity (repeat; -NAME removes)."),
    ] = None,
    no_risk: Annotated[
        list[str] | None,
        typer.Option(
            help="Jurisdiction or rule id with a documented no-risk decision (repeat; -X removes)."
        ),
    ] = None,
    rules: RulesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record facts (encryption, determination time, flags, risk decisions); re-evaluates."""
    with opened(ctx) as ws:
        current = ws.obligations.facts(IncidentId(incident_id))
        changes: dict[str, Any] = {}
        if encrypted is not None:
            changes["encrypted"] = encrypted
        if key_exposed is not None:
            changes["key_exposed"] = key_exposed
        if determined:
            changes["determined_at"] = parse_utc(determined, field="--determined")
        if assessed:
            changes["assessed_at"] = parse_utc(assessed, field="--assessed")
        if flag:
            changes["flags"] = _edit(current.flags, flag)
        if no_risk:
            changes["no_risk"] = _edit(current.no_risk, no_risk)
        if not changes:
            raise InvalidInputError("nothing to set: give at least one option (see --help)")
        outcome = ws.obligations.set_facts(
            IncidentId(incident_id), changes, actor=ws.actor, rule_folders=rules or ()
        )
    if as_json:
        emit_json({"set": changes, "changes": outcome.changes})
    else:
        console.print(f"Facts recorded; {len(outcome.changes)} obligation change(s).")
        for c in outcome.changes[:30]:
            console.print(f"  {c.key}: {c.change} {c.before} -> {c.after}", markup=False)


def _edit(current: tuple[str, ...], edits: list[str]) -> tuple[str, ...]:
    values = list(current)
    for item in edits:
        name = item.lstrip("-")
        if item.startswith("-"):
            values = [v for v in values if v != name]
        elif name not in values:
            values.append(name)
    return tuple(values)


rules_app = typer.Typer(no_args_is_help=True, help="The notification rules pack.")


@rules_app.command("list")
def rules_list(rules: RulesOpt = None, as_json: JsonOpt = False) -> None:
    """List every rule (all versions) of the shipped pack and any extra folders."""
    ruleset = load_rules(rules or ())
    items = sorted(
        ruleset.loaded, key=lambda r: (r.rule.jurisdiction, r.rule.id, r.rule.effective_from)
    )
    if as_json:
        emit_json(
            [
                {
                    "id": r.rule.id,
                    "jurisdiction": r.rule.jurisdiction,
                    "title": r.rule.title,
                    "as_of": r.rule.as_of,
                    "effective_from": r.rule.effective_from,
                    "effective_to": r.rule.effective_to,
                    "file": r.file,
                }
                for r in items
            ]
        )
        return
    table = Table("Jurisdiction", "Rule", "Title", "Effective", "As of")
    for r in items:
        rule = r.rule
        span = f"{rule.effective_from} .. {rule.effective_to or ''}"
        table.add_row(rule.jurisdiction, rule.id, rule.title, span, str(rule.as_of))
    console.print(table)
    for override in ruleset.overrides:
        console.print(override.describe(), markup=False)
    as_of = max((r.rule.as_of for r in items), default=None)
    console.print(f"{len(items)} rule versions. " + DISCLAIMER.format(as_of=as_of), markup=False)


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(metavar="RULE")],
    rules: RulesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one rule (every version) with its citations, notices and notes."""
    ruleset = load_rules(rules or ())
    found = [r for r in ruleset.loaded if r.rule.id == rule_id]
    if not found:
        raise InvalidInputError(f"rule {rule_id!r}: no such rule (see `rules list`)")
    data = [{"file": r.file, **r.rule.model_dump(mode="json", by_alias=True)} for r in found]
    if as_json:
        emit_json(data)
        return
    for item in data:
        console.print_json(json.dumps(item))


@rules_app.command("validate")
def rules_validate(
    path: Annotated[
        Path | None, typer.Argument(help="Rule folder (default: the shipped pack).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate a rule folder; exit 2 naming each file and line with a problem."""
    from breachdesk.rules.registry import shipped_folder

    if path is not None and not path.is_dir():
        raise InvalidInputError(f"{path}: not a folder")
    problems = validate_folder(path if path is not None else shipped_folder())
    if as_json:
        emit_json({"ok": not problems, "problems": list(problems)})
    else:
        for line in problems:
            err_console.print(line, markup=False)
        console.print("rules valid" if not problems else f"{len(problems)} problem(s)")
    if problems:
        raise typer.Exit(int(ExitCode.USAGE))


contact_app = typer.Typer(
    no_args_is_help=True, help="Contacts with authorities and law enforcement."
)


@contact_app.command("add")
def contact_add(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    authority: Annotated[str, typer.Option(help="Who was contacted (e.g. ICO, FBI field office).")],
    channel: Annotated[str, typer.Option(help="phone, email, web form, letter, meeting...")],
    at: Annotated[str | None, typer.Option(help="When (ISO-8601; default now).")] = None,
    reference: Annotated[str | None, typer.Option(help="Case or reference number.")] = None,
    outcome: Annotated[str | None, typer.Option(help="What was said or agreed.")] = None,
    jurisdiction: Annotated[
        str | None, typer.Option(help="Jurisdiction concerned (e.g. US-CA).")
    ] = None,
    delay: Annotated[bool, typer.Option(help="Law enforcement asked to delay notice.")] = False,
    delay_until: Annotated[str | None, typer.Option(help="End of the requested delay.")] = None,
    evidence: Annotated[
        Path | None, typer.Option(help="The request or receipt (stored as evidence).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a contact; a delay request holds the clocks only where the statute allows it."""
    from breachdesk.services.obligations import ContactDraft

    with opened(ctx) as ws:
        moment = parse_utc(at, field="--at") if at else ws.obligations.now()
        draft = ContactDraft(
            at=moment,
            authority=authority,
            channel=channel,
            reference=reference,
            outcome=outcome,
            jurisdiction=jurisdiction,
            delay_requested=delay or delay_until is not None,
            delay_until=parse_utc(delay_until, field="--delay-until") if delay_until else None,
        )
        evidence_id = None
        if evidence is not None:
            evidence_id = ws.evidence.add(
                IncidentId(incident_id),
                evidence,
                actor=ws.actor,
                description=f"contact with {authority}",
            ).item.id
        contact, outcome_ = ws.obligations.record_contact(
            IncidentId(incident_id), draft, actor=ws.actor, evidence_id=evidence_id
        )
    if as_json:
        emit_json({"contact": contact, "changes": outcome_.changes})
        return
    console.print(
        f"Recorded contact {contact.id} with {contact.authority}; "
        f"{len(outcome_.changes)} obligation change(s).",
        markup=False,
    )
    for c in outcome_.changes[:20]:
        console.print(f"  {c.key}: {c.change} {c.before} -> {c.after}", markup=False)


@contact_app.command("list")
def contact_list(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    as_json: JsonOpt = False,
) -> None:
    """List recorded contacts with authorities."""
    with opened(ctx) as ws:
        contacts = ws.obligations.contacts(IncidentId(incident_id))
    if as_json:
        emit_json(contacts)
        return
    table = Table(
        "#", "When", "Authority", "Channel", "Reference", "Jurisdiction", "Delay", "Outcome"
    )
    for c in contacts:
        table.add_row(
            str(c.id),
            when(c.at),
            c.authority,
            c.channel,
            c.reference or "-",
            c.jurisdiction or "-",
            (f"until {when(c.delay_until)}" if c.delay_until else "yes")
            if c.delay_requested
            else "-",
            c.outcome or "-",
        )
    console.print(table)
