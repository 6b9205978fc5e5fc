"""``breachdesk notify authority-letters`` and ``notify drafts``: documents beyond the notices."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import Workspace
from breachdesk.cli.notify import app
from breachdesk.cli.output import console, emit_json, opened
from breachdesk.core.errors import ExitCode, InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.notify.elements import LOCALES
from breachdesk.services.documents import Documents, NoticeDocuments
from breachdesk.services.notices import MEASURES_PLACEHOLDER, Sender

To = Annotated[Path, typer.Option(help="Output folder (created if missing).")]
Organisation = Annotated[
    str | None, typer.Option(help="Sender (default: the incident's controller).")
]
Email = Annotated[str | None, typer.Option(help="Contact e-mail shown in the documents.")]
Phone = Annotated[str | None, typer.Option(help="Contact phone.")]
Url = Annotated[str | None, typer.Option(help="Contact web page (the notice page link).")]
Measures = Annotated[str | None, typer.Option(help="What the organisation is doing.")]
Templates = Annotated[Path | None, typer.Option(help="Folder of template overrides.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Id = Annotated[int, typer.Argument(metavar="ID")]


def _sender(
    ws: Workspace,
    incident_id: int,
    organisation: str | None,
    contact: tuple[str | None, str | None, str | None],
    measures: str | None,
) -> Sender:
    controller = ws.cases.show(IncidentId(incident_id)).incident.controller
    name = organisation or controller or "the organisation"
    email, phone, url = contact
    return Sender(
        name,
        ContactInfo(name=name, email=email, phone=phone, url=url),
        measures or MEASURES_PLACEHOLDER,
    )


def _documents(ws: Workspace) -> NoticeDocuments:
    return NoticeDocuments(SqlUnitOfWorkFactory(ws.engine), ws.obligations)


def _write(target: Path, documents: Documents, what: str, as_json: bool) -> None:
    try:
        for relative, data in documents.files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as exc:
        raise InvalidInputError(f"{target}: cannot write ({exc.strerror})") from None
    if as_json:
        files = sorted(documents.files)
        emit_json({"to": target, "files": files, "gaps": documents.gaps, "notes": documents.notes})
    else:
        console.print(f"Wrote {len(documents.files)} {what} files to {target}.", markup=False)
        for gap in documents.gaps:
            console.print(f"  fix: {gap}", markup=False)
        for note in documents.notes:
            console.print(f"  check: {note}", markup=False)
    if documents.gaps:
        raise typer.Exit(ExitCode.ACTION_NEEDED)


def _check(templates: Path | None) -> None:
    if templates is not None and not templates.is_dir():
        raise InvalidInputError(f"{templates}: not a folder")


@app.command("authority-letters")
def authority_letters(
    ctx: typer.Context,
    incident_id: Id,
    to: To,
    locale: Annotated[
        str | None, typer.Option(help="Language of every letter (default: the jurisdiction's).")
    ] = None,
    templates: Templates = None,
    organisation: Organisation = None,
    contact_email: Email = None,
    contact_phone: Phone = None,
    contact_url: Url = None,
    measures: Measures = None,
    as_json: Json = False,
) -> None:
    """Letters (PDF) to every regulator, attorney general and credit bureau the rules require.

    Exit code 1 when a letter needs attention (no contact, a required item not covered).
    """
    _check(templates)
    with opened(ctx) as ws:
        sender = _sender(
            ws, incident_id, organisation, (contact_email, contact_phone, contact_url), measures
        )
        documents = _documents(ws).authority_letters(
            IncidentId(incident_id), sender, actor=ws.actor, locale=locale, overrides=templates
        )
    _write(to, documents, "authority letter", as_json)


@app.command("drafts")
def drafts(
    ctx: typer.Context,
    incident_id: Id,
    to: To,
    locale: Annotated[
        list[str] | None, typer.Option(help="Locale (repeat; default en, es, fr, de).")
    ] = None,
    templates: Templates = None,
    organisation: Organisation = None,
    contact_email: Email = None,
    contact_phone: Phone = None,
    contact_url: Url = None,
    measures: Measures = None,
    as_json: Json = False,
) -> None:
    """Substitute website notice, media notice, press release and social post drafts.

    Exit code 1 when a draft lacks content the rules require of the notice it replaces.
    """
    _check(templates)
    with opened(ctx) as ws:
        sender = _sender(
            ws, incident_id, organisation, (contact_email, contact_phone, contact_url), measures
        )
        documents = _documents(ws).drafts(
            IncidentId(incident_id),
            sender,
            actor=ws.actor,
            locales=tuple(locale or LOCALES),
            overrides=templates,
        )
    _write(to, documents, "draft", as_json)
