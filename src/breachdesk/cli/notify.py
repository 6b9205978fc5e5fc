"""``breachdesk notify``: preview notices; plan, approve, test, send and follow the campaign."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from breachdesk.cli import campaign
from breachdesk.cli.notify_bounces import bounces
from breachdesk.cli.output import console, emit_json, opened
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.notify.elements import LOCALES
from breachdesk.notify.message import Channel
from breachdesk.services.notices import MEASURES_PLACEHOLDER, Sender

app = typer.Typer(no_args_is_help=True, help="Notices to affected people and authorities.")
campaign.register(app)
app.command("bounces")(bounces)


@app.command("preview")
def preview(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    to: Annotated[
        Path | None, typer.Option(help="Output folder (default ./notice-preview-ID).")
    ] = None,
    person: Annotated[
        int | None, typer.Option(help="Render one person's notice (audited view).")
    ] = None,
    channel: Annotated[
        list[Channel] | None, typer.Option(help="Channel (repeat; default all).")
    ] = None,
    locale: Annotated[
        list[str] | None, typer.Option(help="Locale (repeat; default en, es, fr, de).")
    ] = None,
    templates: Annotated[
        Path | None, typer.Option(help="Folder of template overrides for this incident.")
    ] = None,
    organisation: Annotated[
        str | None, typer.Option(help="Sender (default: the incident's controller).")
    ] = None,
    contact_email: Annotated[
        str | None, typer.Option(help="Contact e-mail shown in notices.")
    ] = None,
    contact_phone: Annotated[str | None, typer.Option(help="Contact phone.")] = None,
    contact_url: Annotated[str | None, typer.Option(help="Contact web page.")] = None,
    measures: Annotated[
        str | None, typer.Option(help="What the organisation is doing (plain words).")
    ] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Skip PDF letters.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Render samples of every template, channel and locale to files (text, HTML, PDF)."""
    if templates is not None and not templates.is_dir():
        raise InvalidInputError(f"{templates}: not a folder")
    target = to or Path(f"notice-preview-{incident_id}")
    with opened(ctx) as ws:
        controller = ws.cases.show(IncidentId(incident_id)).incident.controller
        name = organisation or controller or "the organisation"
        sender = Sender(
            name,
            ContactInfo(name=name, email=contact_email, phone=contact_phone, url=contact_url),
            measures or MEASURES_PLACEHOLDER,
        )
        files = ws.notices.preview(
            IncidentId(incident_id),
            sender,
            actor=ws.actor,
            person_id=person,
            channels=tuple(channel or Channel),
            locales=tuple(locale or LOCALES),
            overrides=templates,
            pdf=not no_pdf,
        )
    try:
        for relative, data in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as exc:
        raise InvalidInputError(f"{target}: cannot write ({exc.strerror})") from None
    if as_json:
        emit_json({"to": target, "files": sorted(files)})
    else:
        console.print(
            f"Wrote {len(files)} preview files to {target} (template versions in "
            "versions.txt). Review them with counsel before approval.",
            markup=False,
        )


from breachdesk.cli import notify_documents  # noqa: E402, F401 - registers its commands on app
