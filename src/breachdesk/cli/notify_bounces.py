"""``breachdesk notify bounces``: apply delivery status notifications from a mailbox."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from breachdesk.adapters.mailboxes import ImapSource, read_maildir, read_mbox
from breachdesk.bootstrap import message_id_domain
from breachdesk.cli.output import console, emit_json, err_console, opened
from breachdesk.core.errors import ConfigError, ExitCode, InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.services.bounces import BounceReport, MailItem

_SHOWN = 20


def _source(
    imap: str | None,
    mbox: Path | None,
    maildir: Path | None,
    password_env: str,
    cafile: Path | None,
) -> tuple[str, Iterable[MailItem]]:
    given = [s for s in (imap, mbox, maildir) if s is not None]
    if len(given) != 1:
        raise InvalidInputError("give exactly one of --imap, --mbox, --maildir")
    if mbox is not None:
        return "mbox", read_mbox(mbox)
    if maildir is not None or imap is None:
        return "maildir", read_maildir(maildir or Path())
    password = os.environ.get(password_env)
    if password is None:
        raise ConfigError(f"set the IMAP password in the environment variable {password_env}")
    return "imap", ImapSource(imap, password, cafile).messages()


def _summary(report: BounceReport) -> str:
    counts = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in sorted(report.outcomes.items()))
    return (
        f"Read {report.read:,} messages: {counts or 'no delivery status notifications'}; "
        f"skipped {len(report.skipped):,}."
    )


def bounces(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    imap: Annotated[
        str | None, typer.Option(help="IMAP folder: imaps://user@host[:port]/INBOX (read-only).")
    ] = None,
    mbox: Annotated[Path | None, typer.Option(help="An mbox file of returned mail.")] = None,
    maildir: Annotated[Path | None, typer.Option(help="A Maildir folder of returned mail.")] = None,
    password_env: Annotated[
        str, typer.Option(help="Environment variable holding the IMAP password.")
    ] = "BREACHDESK_IMAP_PASSWORD",  # noqa: S107 - a variable name, not a password
    imap_cafile: Annotated[
        Path | None, typer.Option(help="CA certificate to trust for imaps://.")
    ] = None,
    any_domain: Annotated[
        bool,
        typer.Option(
            "--any-domain",
            help="Also apply DSNs of Message-IDs outside this workspace's domain "
            "(BREACHDESK_SMTP_DOMAIN, else the From domain).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Process delivery status notifications: bounces fall back or fail, delays are logged."""
    kind, items = _source(imap, mbox, maildir, password_env, imap_cafile)
    columns = (
        TextColumn("[bold]bounces"),
        MofNCompleteColumn(),
        TextColumn("messages"),
        TimeElapsedColumn(),
    )
    with opened(ctx) as ws, Progress(*columns, console=err_console, transient=False) as progress:
        bar = progress.add_task("bounces", total=None)
        domain = None if any_domain else message_id_domain(ws.settings)
        report = ws.bounces.process(
            IncidentId(incident_id),
            items,
            actor=ws.actor,
            source=kind,
            domain=domain,
            on_progress=lambda n: progress.update(bar, advance=n),
        )
    if as_json:
        emit_json(
            {
                "incident": incident_id,
                "source": kind,
                "read": report.read,
                "outcomes": report.outcomes,
                "skipped": [{"location": s.location, "reason": s.reason} for s in report.skipped],
            }
        )
    else:
        console.print(_summary(report), markup=False)
        for s in report.skipped[:_SHOWN]:
            err_console.print(f"skipped: {s.location}: {s.reason}", markup=False)
        if len(report.skipped) > _SHOWN:
            err_console.print(f"... and {len(report.skipped) - _SHOWN} more skipped messages")
    if report.skipped:
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))
