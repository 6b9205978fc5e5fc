"""``breachdesk reset``: plan, run (dry by default), track and remind credential resets."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from breachdesk.bootstrap import credential_resets
from breachdesk.cli.output import console, emit_json, err_console, opened, when
from breachdesk.core.element import DataElement
from breachdesk.core.errors import ExitCode, InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.discovery.normalize import mask
from breachdesk.services.reset_ports import ResetAccount
from breachdesk.services.reset_run import RunReport

app = typer.Typer(no_args_is_help=True, help="Force credential resets and track completion.")
provider_app = typer.Typer(no_args_is_help=True, help="Configure credential providers.")
app.add_typer(provider_app, name="provider")

IdArg = Annotated[int, typer.Argument(metavar="ID", help="Incident id.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def parse_rate(text: str) -> float:
    """``50/s``, ``300/m`` or ``10`` (per second) -> accounts per second."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:/\s*([smh]))?\s*", text)
    if not m or float(m.group(1)) <= 0:
        raise InvalidInputError(f"--rate {text!r}: use e.g. 50/s or 300/m")
    per = {"s": 1, "m": 60, "h": 3600}[m.group(2) or "s"]
    return float(m.group(1)) / per


def parse_duration(text: str) -> timedelta:
    """``7d``, ``12h``, ``30m`` -> timedelta."""
    m = re.fullmatch(r"\s*(\d+)\s*([dhm])\s*", text)
    if not m:
        raise InvalidInputError(f"--after {text!r}: use e.g. 7d, 12h or 30m")
    unit = {"d": "days", "h": "hours", "m": "minutes"}[m.group(2)]
    return timedelta(**{unit: int(m.group(1))})


def _account_json(a: ResetAccount) -> dict[str, Any]:
    return {"account": a.id, "person": a.person_id, **a.state_dict()}


def plan(ctx: typer.Context, incident_id: IdArg, as_json: JsonOpt = False) -> None:
    """Accounts to reset: who, why (exposed element), urgency, actions, provider."""
    with opened(ctx) as ws:
        report = credential_resets(ws).resets.plan(IncidentId(incident_id), actor=ws.actor)
    if as_json:
        emit_json(
            {
                "accounts": [_account_json(a) for a in report.accounts],
                "added": report.added,
                "cards_exposed_people": report.cards,
                "ssn_exposed_people": report.ssn,
                "credit_codes_allocated": report.codes_allocated,
                "credit_codes_free": report.codes_free,
            }
        )
        return
    table = Table("Account", "Person", "Urgency", "Why", "Actions", "State", "Provider")
    for a in report.accounts:
        table.add_row(
            str(a.id),
            str(a.person_id),
            a.urgency,
            f"{', '.join(a.reasons)}: {a.rationale}",
            ", ".join(a.actions),
            a.state.value,
            a.provider or "-",
        )
    console.print(table)
    console.print(
        f"{len(report.accounts):,} accounts ({report.added:,} new). Payment cards exposed: "
        f"{len(report.cards):,} people (listed by person id for the issuer; no card numbers are "
        f"stored). SSN exposed: {len(report.ssn):,} people; credit-monitoring codes allocated "
        f"now: {report.codes_allocated:,}, still free: {report.codes_free:,}."
    )


def _print_previews(report: RunReport) -> None:
    table = Table("Account", "Login", "Action", "Change", "Would touch")
    for p in report.previews:
        login = mask(DataElement.EMAIL, p.login) if "@" in p.login else (p.login[:2] + "***")
        if p.error:
            table.add_row(str(p.account.id), login or "-", "-", f"error: {p.error}", "-")
        for c in p.changes:
            n = "?" if c.affected is None else str(c.affected)
            table.add_row(str(p.account.id), login, c.action.value, c.change, n)
    console.print(table)
    console.print("Dry run: nothing was changed. Add --execute to make these changes.")


def run(
    ctx: typer.Context,
    incident_id: IdArg,
    provider: Annotated[str, typer.Option(help="Configured provider name.")],
    execute: Annotated[bool, typer.Option(help="Make the changes (default: dry run).")] = False,
    rate: Annotated[str | None, typer.Option(help="Accounts per time, e.g. 50/s.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Reset the planned accounts through a provider; a dry run unless --execute."""
    per_second = parse_rate(rate) if rate else None
    with opened(ctx) as ws:
        services = credential_resets(ws)
        total = len(services.tracking.status(IncidentId(incident_id)).accounts)
        columns = (TextColumn("reset"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err_console, transient=as_json) as progress:
            bar = progress.add_task("reset", total=total)
            report = services.resets.run(
                IncidentId(incident_id),
                provider,
                actor=ws.actor,
                execute=execute,
                rate=per_second,
                on_account=lambda _a, _o: progress.advance(bar),
            )
    if as_json:
        emit_json(
            {
                "provider": report.provider,
                "execute": report.execute,
                "outcomes": report.outcomes,
                "skipped": report.skipped,
                "recovered": report.recovered,
                "failures": [{"account": a, "reason": r} for a, r in report.failures],
                "previews": [
                    {
                        "account": p.account.id,
                        "error": p.error,
                        "changes": [
                            {"action": c.action.value, "change": c.change, "affected": c.affected}
                            for c in p.changes
                        ],
                    }
                    for p in report.previews
                ],
            }
        )
    elif not execute:
        _print_previews(report)
    else:
        outcomes = ", ".join(f"{k}: {v:,}" for k, v in sorted(report.outcomes.items()))
        console.print(
            f"{outcomes or 'nothing to do'}; already settled: {report.skipped:,}; "
            f"recovered after an interruption: {report.recovered:,}."
        )
        for account, reason in report.failures[:20]:
            err_console.print(f"account {account}: {reason}", markup=False)
    if report.failures:
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))


def status(
    ctx: typer.Context,
    incident_id: IdArg,
    poll: Annotated[bool, typer.Option(help="Ask the providers for completion first.")] = False,
    close_at: Annotated[
        float, typer.Option(help="Completion rate that closes the tracking task.")
    ] = 0.9,
    as_json: JsonOpt = False,
) -> None:
    """Per account: state, sessions revoked, link sent and clicked, completed, reminded."""
    with opened(ctx) as ws:
        tracking = credential_resets(ws).tracking
        report = (
            tracking.poll(IncidentId(incident_id), actor=ws.actor, close_at=close_at)
            if poll
            else tracking.status(IncidentId(incident_id))
        )
    if as_json:
        emit_json(
            {
                "counts": report.counts,
                "completion": round(report.completion, 4),
                "newly_completed": report.newly_completed,
                "task_closed": report.task_closed,
                "poll_errors": [{"account": a, "reason": r} for a, r in report.poll_errors],
                "accounts": [_account_json(a) for a in report.accounts],
            }
        )
        return
    table = Table(
        "Account", "Person", "State", "Done", "Flagged", "Link", "Clicked", "Completed", "Reminded"
    )
    for a in report.accounts:
        table.add_row(
            str(a.id),
            str(a.person_id),
            a.state.value,
            ", ".join(a.done_actions) or "-",
            when(a.flagged_at),
            when(a.link_sent_at),
            when(a.clicked_at),
            when(a.completed_at),
            f"{a.reminders}x" if a.reminders else "-",
        )
    console.print(table)
    counts = ", ".join(f"{k}: {v:,}" for k, v in report.counts.items())
    console.print(f"{counts}; completion {report.completion:.0%}")
    if report.task_closed:
        console.print("Checklist task credentials.track closed.")


def remind(
    ctx: typer.Context,
    incident_id: IdArg,
    after: Annotated[str, typer.Option(help="Remind those reset at least this long ago (7d).")],
    organisation: Annotated[str, typer.Option(help="Organisation named in the reminder.")] = (
        "Our organisation"
    ),
    locale: Annotated[str, typer.Option(help="Reminder language (en, es, fr, de).")] = "en",
    link_base: Annotated[
        str | None, typer.Option(help="Base URL of reset links (a fresh link per person).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Queue reminder notices to people who have not reset (through the outbox)."""
    with opened(ctx) as ws:
        report = credential_resets(ws).tracking.remind(
            IncidentId(incident_id),
            after=parse_duration(after),
            actor=ws.actor,
            organisation=organisation,
            locale=locale,
            link_base=link_base,
        )
    if as_json:
        emit_json({"queued": report.queued, "no_address": report.no_address})
        return
    console.print(
        f"{report.queued:,} reminders queued (send with the notify dispatcher); "
        f"{report.no_address:,} people without an e-mail address."
    )


def codes(
    ctx: typer.Context,
    incident_id: IdArg,
    file: Annotated[Path, typer.Argument(help="Enrolment codes, one per line.")],
) -> None:
    """Import credit-monitoring enrolment codes (allocated per SSN-exposed person by plan)."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidInputError(f"{file}: cannot read ({exc.strerror})") from None
    with opened(ctx) as ws:
        added = credential_resets(ws).tracking.import_codes(
            IncidentId(incident_id), lines, actor=ws.actor
        )
    console.print(f"{added:,} new codes imported.")


@provider_app.command("add")
def provider_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name to refer to the provider by.")],
    kind: Annotated[str, typer.Option(help="sql, ldap, keycloak, webhook, or a plugin's kind.")],
    config: Annotated[
        str, typer.Option(help="JSON object, or @FILE holding one. Secrets: *_env variable names.")
    ],
) -> None:
    """Store a provider configuration in the workspace (never a secret in clear)."""
    text = config
    if config.startswith("@"):
        try:
            text = Path(config[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInputError(f"{config[1:]}: cannot read ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"--config: not JSON (line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise InvalidInputError("--config: expected a JSON object")
    with opened(ctx) as ws:
        credential_resets(ws).resets.configure(name, kind, data, actor=ws.actor)
    console.print(f"Provider {name} ({kind}) configured.")


@provider_app.command("list")
def provider_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Configured providers (configuration shown; it holds no secrets)."""
    with opened(ctx) as ws:
        providers = credential_resets(ws).resets.providers()
    if as_json:
        emit_json(
            [{"name": p.name, "kind": p.kind, "config": json.loads(p.config)} for p in providers]
        )
        return
    table = Table("Name", "Kind", "Configuration", "By", "At")
    for p in providers:
        table.add_row(p.name, p.kind, p.config, p.created_by, when(p.created_at))
    console.print(table)


app.command("plan")(plan)
app.command("run")(run)
app.command("status")(status)
app.command("remind")(remind)
app.command("codes")(codes)
