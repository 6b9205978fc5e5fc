"""``breachdesk notify plan|approve|test|send|status``: the notice campaign of an incident."""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from breachdesk.bootstrap import MailRoute, Workspace, channel_transport, email_route
from breachdesk.cli.output import console, emit_json, err_console, opened
from breachdesk.core.delivery import DeliveryState
from breachdesk.core.errors import ExitCode, InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.services.campaign import CampaignContent
from breachdesk.services.campaign_plan import CHANNEL_ORDER, CampaignPlan
from breachdesk.services.campaign_proof import Settlement, mask_recipient
from breachdesk.services.campaign_support import parse_rate
from breachdesk.services.notices import MEASURES_PLACEHOLDER
from breachdesk.services.outbox import DEFAULT_LEASE
from breachdesk.services.ports import Transport

S = DeliveryState
IdArg = Annotated[int, typer.Argument(metavar="ID")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
#: Order in which channels are dispatched: fallbacks of one channel are sent by the next.
DISPATCH_ORDER = (*(c.value for c in CHANNEL_ORDER), "in_app")


def _overrides(templates: Path | None) -> Path | None:
    if templates is not None and not templates.is_dir():
        raise InvalidInputError(f"{templates}: not a folder")
    return templates.resolve() if templates else None


def plan(ctx: typer.Context, incident_id: IdArg, as_json: JsonOpt = False) -> None:
    """Who gets what, by which channel and locale, under which obligation; who cannot be reached."""
    with opened(ctx) as ws:
        found = ws.campaigns.plan(IncidentId(incident_id), actor=ws.actor)
    if as_json:
        emit_json(_plan_json(found))
        return
    table = Table("", "People", title=f"Notice plan for incident {incident_id}")
    for name, n in found.counts().items():
        table.add_row(name.replace("_", " "), f"{n:,}")
    console.print(table)
    locales = ", ".join(f"{loc} {n:,}" for loc, n in found.locales().items()) or "-"
    console.print(f"Locales: {locales}", markup=False)
    obligations = Table("Obligation (individual notice)", "People", "Due (UTC)")
    for ob in found.obligations:
        served = sum(ob.key in n.obligations for n in found.notices)
        due = ob.due_at or ob.target_at
        obligations.add_row(
            ob.key, f"{served:,}", due.isoformat(timespec="minutes") if due else "-"
        )
    console.print(obligations)
    if found.authorities:
        letters = Table("Authority letter", "Recipient", "Addressees", "Status")
        for a in found.authorities:
            names = ", ".join(a.addressees[:2]) or "-"
            more = f" (+{len(a.addressees) - 2} more)" if len(a.addressees) > 2 else ""
            letters.add_row(a.obligation, a.recipient, names + more, a.status)
        console.print(letters)
    if found.unreachable:
        console.print(
            f"{len(found.unreachable):,} people cannot be reached (no contact data); "
            f"{sum(u.substitute for u in found.unreachable):,} may be covered by substitute "
            "notice.",
            markup=False,
        )


def _plan_json(found: CampaignPlan) -> dict[str, object]:
    return {
        "incident": found.incident_id,
        "counts": found.counts(),
        "locales": found.locales(),
        "recipients": [
            {
                "person": n.person_id,
                "locale": n.locale,
                "channels": [c.value for c in n.channels],
                "to": mask_recipient(n.channels[0].value, n.addresses[0]),
                "obligations": list(n.obligations),
                "resident": n.resident,
            }
            for n in found.notices
        ],
        "unreachable": [
            {
                "person": u.person_id,
                "reason": u.reason,
                "substitute_notice": u.substitute,
                "obligations": list(u.obligations),
            }
            for u in found.unreachable
        ],
        "authorities": [
            {
                "obligation": a.obligation,
                "recipient": a.recipient,
                "jurisdiction": a.jurisdiction,
                "addressees": list(a.addressees),
                "status": a.status,
                "due_at": a.due_at,
                "channel": a.channel.value,
            }
            for a in found.authorities
        ],
    }


def approve(
    ctx: typer.Context,
    incident_id: IdArg,
    role: Annotated[str, typer.Option("--as", help="The approver's role, e.g. counsel.")],
    templates: Annotated[
        Path | None, typer.Option(help="Folder of template overrides for this incident.")
    ] = None,
    organisation: Annotated[
        str | None, typer.Option(help="Sender (default: the incident's controller).")
    ] = None,
    contact_email: Annotated[str | None, typer.Option(help="Contact e-mail in notices.")] = None,
    contact_phone: Annotated[str | None, typer.Option(help="Contact phone.")] = None,
    contact_url: Annotated[str | None, typer.Option(help="Contact web page.")] = None,
    link: Annotated[str | None, typer.Option(help="Page with details (SMS links to it).")] = None,
    measures: Annotated[
        str | None, typer.Option(help="What the organisation is doing (plain words).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the approver, role, wording and the exact template versions; send needs it."""
    if not role.strip():
        raise InvalidInputError("--as: give the approver's role, e.g. counsel")
    with opened(ctx) as ws:
        controller = ws.cases.show(IncidentId(incident_id)).incident.controller
        name = organisation or controller or "the organisation"
        content = CampaignContent(
            name,
            ContactInfo(name=name, email=contact_email, phone=contact_phone, url=contact_url),
            measures or MEASURES_PLACEHOLDER,
            link,
        )
        approval = ws.campaigns.approve(
            IncidentId(incident_id),
            content,
            actor=ws.actor,
            role=role.strip(),
            overrides=_overrides(templates),
        )
    if as_json:
        emit_json(approval.state())
        return
    console.print(
        f"Approval {approval.id}: {approval.approver} as {approval.role}, "
        f"{len(approval.templates)} templates ({', '.join(t for t, _ in approval.templates)}).",
        markup=False,
    )


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _dispatch_one(
    ws: Workspace,
    incident_id: int,
    transport: Transport,
    progress: Progress,
    concurrency: int,
    rate: float | None,
    lease: timedelta,
) -> None:
    channel = transport.channel
    done = {S.DELIVERED, S.FAILED, S.FALLEN_BACK, S.BOUNCED, S.DEFERRED}

    def snapshot() -> tuple[int, int, dict[DeliveryState, int]]:
        counts = {
            s: n
            for (c, s), n in ws.campaigns.counts(IncidentId(incident_id)).items()
            if c == channel
        }
        return sum(counts.values()), sum(n for s, n in counts.items() if s in done), counts

    total, finished, counts = snapshot()
    bar = progress.add_task(channel, total=total, completed=finished, **_fields(counts))
    failure: list[BaseException] = []

    def run() -> None:
        try:
            ws.campaigns.dispatch(
                transport, owner=_owner(), concurrency=concurrency, rate=rate, lease=lease
            )
        except BaseException as exc:  # re-raised in the main thread
            failure.append(exc)

    worker = threading.Thread(target=run, name=f"send-{channel}", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.3)
        total, finished, counts = snapshot()
        progress.update(bar, total=total, completed=finished, **_fields(counts))
    if failure:
        raise failure[0]


def _fields(counts: dict[DeliveryState, int]) -> dict[str, Any]:
    return {
        "delivered": counts.get(S.DELIVERED, 0),
        "deferred": counts.get(S.DEFERRED, 0),
        "failed": counts.get(S.FAILED, 0) + counts.get(S.BOUNCED, 0),
        "fallen": counts.get(S.FALLEN_BACK, 0),
    }


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description:>6}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "delivered {task.fields[delivered]:,} · deferred {task.fields[deferred]:,} · "
            "failed {task.fields[failed]:,} · fallen back {task.fields[fallen]:,}"
        ),
        TimeElapsedColumn(),
        console=err_console,
    )


def send(
    ctx: typer.Context,
    incident_id: IdArg,
    channel: Annotated[
        list[str] | None,
        typer.Option(help="Dispatch only this channel (repeat; default every channel)."),
    ] = None,
    rate: Annotated[
        str | None, typer.Option(help="Cap per process, e.g. 200/s or 6000/min.")
    ] = None,
    concurrency: Annotated[int, typer.Option(help="Messages in flight per channel.")] = 8,
    lease: Annotated[
        float,
        typer.Option(
            help="Seconds a claimed message is reserved; a dead sender's are resent after."
        ),
    ] = DEFAULT_LEASE.total_seconds(),
    suppress_duplicates: Annotated[
        bool,
        typer.Option(help="Skip people already notified in another incident (matched by e-mail)."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Queue the approved campaign (idempotent) and deliver it; several senders can share it."""
    per_second = parse_rate(rate)
    if concurrency < 1:
        raise InvalidInputError("--concurrency must be at least 1")
    if lease <= 0:
        raise InvalidInputError("--lease must be a positive number of seconds")
    chosen = tuple(channel or DISPATCH_ORDER)
    unknown = [c for c in chosen if c not in DISPATCH_ORDER]
    if unknown:
        raise InvalidInputError(f"--channel {unknown[0]}: one of {', '.join(DISPATCH_ORDER)}")
    iid = IncidentId(incident_id)
    with opened(ctx) as ws:
        found = ws.campaigns.plan(iid, actor=ws.actor)
        report = ws.campaigns.queue(
            iid, actor=ws.actor, suppress_duplicates=suppress_duplicates, plan=found
        )
        missing = send_all(ws, found, chosen, per_second, concurrency, timedelta(seconds=lease))
        counts = ws.campaigns.counts(iid)
        settled = ws.campaigns.settle(found, actor=ws.actor)
    if as_json:
        emit_json(
            {
                "queued": report.queued,
                "suppressed": report.suppressed,
                "states": _by_channel(counts),
                "no_transport": missing,
                "obligations": [
                    {
                        "obligation": s.obligation,
                        "met": s.met,
                        "reachable": s.reachable,
                        "delivered": s.delivered,
                        "suppressed": s.suppressed,
                        "missing": s.missing,
                        "unreachable": s.unreachable,
                    }
                    for s in settled
                ],
            }
        )
    else:
        _report(incident_id, report.queued, report.suppressed, counts, missing)
        _settled(settled)
    _exit_if_unfinished(incident_id, counts, chosen, missing)


def _exit_if_unfinished(
    incident_id: int,
    counts: dict[tuple[str, DeliveryState], int],
    chosen: tuple[str, ...],
    missing: list[str],
) -> None:
    """Exit 1 when notices wait for a retry or a transport, or failed for good."""
    mine = {k: n for k, n in counts.items() if k[0] in chosen}
    deferred = sum(n for (_, s), n in mine.items() if s is S.DEFERRED)
    failed = sum(n for (_, s), n in mine.items() if s in (S.FAILED, S.BOUNCED))
    waiting = sum(n for (c, s), n in mine.items() if c in missing and s is S.QUEUED)
    if not (deferred or failed or waiting):
        return
    err_console.print(
        f"incident {incident_id}: {deferred:,} deferred (run `breachdesk notify send "
        f"{incident_id}` again later), {failed:,} failed or bounced, {waiting:,} waiting for a "
        "transport",
        markup=False,
    )
    raise typer.Exit(int(ExitCode.ACTION_NEEDED))


def _settled(settled: list[Settlement]) -> None:
    newly = [s for s in settled if s.newly_met]
    if newly:
        console.print(
            f"{len(newly)} individual-notice obligations marked met from the ledger.", markup=False
        )
    for s in settled:
        if not s.met:
            console.print(
                f"{s.obligation}: not met yet, {s.missing:,} of {s.reachable:,} reachable people "
                "have no delivered notice",
                markup=False,
            )


def send_all(
    ws: Workspace,
    plan: CampaignPlan,
    chosen: tuple[str, ...] = DISPATCH_ORDER,
    rate: float | None = None,
    concurrency: int = 8,
    lease: timedelta = DEFAULT_LEASE,
) -> list[str]:
    """Dispatch each chosen channel with a progress bar; returns channels without a transport."""
    incident_id = IncidentId(plan.incident_id)
    missing: list[str] = []
    with email_route(ws.settings, ws.layout.home) as route, _progress() as progress:
        for name in DISPATCH_ORDER:
            # a channel's permanent failures may have queued fallbacks on the next one: render
            # them for their own channel before it is dispatched
            ws.campaigns.render_fallbacks(plan, actor=ws.actor)
            present = {c for c, _ in ws.campaigns.counts(incident_id)}
            if name not in chosen or name not in present:
                continue
            transport = _transport(ws, route, name)
            if transport is None:
                missing.append(name)
                continue
            try:
                _dispatch_one(ws, incident_id, transport, progress, concurrency, rate, lease)
            finally:
                if transport is not route.transport:
                    transport.close()
    return missing


def _transport(ws: Workspace, route: MailRoute, channel: str) -> Transport | None:
    if channel == "email":
        return route.transport
    return channel_transport(channel, ws.settings, ws.layout.home)


def _report(
    incident_id: int,
    queued: int,
    suppressed: int,
    counts: dict[tuple[str, DeliveryState], int],
    missing: list[str],
) -> None:
    console.print(_status_table(incident_id, counts))
    console.print(f"Queued {queued:,} new notices; suppressed {suppressed:,}.", markup=False)
    for name in missing:
        waiting = sum(n for (c, s), n in counts.items() if c == name and s is S.QUEUED)
        console.print(
            f"{name}: no transport configured; {waiting:,} notices wait in the queue.",
            markup=False,
        )


def _by_channel(counts: dict[tuple[str, DeliveryState], int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (channel, state), n in sorted(counts.items()):
        out.setdefault(channel, {s.value: 0 for s in S})[state.value] = n
    return out


def _status_table(incident_id: int, counts: dict[tuple[str, DeliveryState], int]) -> Table:
    table = Table(
        "Channel",
        *(s.value.replace("_", " ") for s in S),
        title=f"Notices of incident {incident_id}",
    )
    for channel, states in _by_channel(counts).items():
        table.add_row(channel, *(f"{states[s.value]:,}" for s in S))
    return table


def status(ctx: typer.Context, incident_id: IdArg, as_json: JsonOpt = False) -> None:
    """Counts per state (queued, sending, delivered, deferred, bounced, failed, fallen back)."""
    with opened(ctx) as ws:
        counts = ws.campaigns.counts(IncidentId(incident_id))
    if as_json:
        emit_json(_by_channel(counts))
        return
    console.print(_status_table(incident_id, counts))


def register(app: typer.Typer) -> None:
    """Add the campaign commands to the ``notify`` group."""
    from breachdesk.cli.campaign_tools import ledger, send_test

    app.command("plan")(plan)
    app.command("approve")(approve)
    app.command("test")(send_test)
    app.command("send")(send)
    app.command("status")(status)
    app.command("ledger")(ledger)
