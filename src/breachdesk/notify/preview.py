"""Sample renderings of every channel and locale as named files, for review before approval."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from breachdesk.notify.context import NoticeContext
from breachdesk.notify.elements import LOCALES
from breachdesk.notify.message import Channel, RenderedMessage
from breachdesk.notify.pdf import render_pdf
from breachdesk.notify.render import Renderer

#: Channels whose preview also includes a print-ready PDF.
PRINTED: frozenset[Channel] = frozenset({Channel.LETTER, Channel.REGULATOR_LETTER})


def preview_files(
    context: NoticeContext,
    *,
    channels: Iterable[Channel] = tuple(Channel),
    locales: Iterable[str] = LOCALES,
    overrides: Path | None = None,
    pdf: bool = True,
) -> dict[str, bytes]:
    """``<locale>/<channel>.{txt,html,pdf}`` -> content, and ``versions.txt`` (template hashes)."""
    renderer = Renderer(overrides)
    files: dict[str, bytes] = {}
    versions: list[str] = []
    for locale in locales:
        for channel in channels:
            message = renderer.render(channel, locale, context)
            files.update(_files(message, pdf=pdf and channel in PRINTED))
            line = f"{message.template_id}\t{message.template_version}"
            versions.append(line + "".join(f"\t{note}" for note in message.notes))
    files["versions.txt"] = ("\n".join(versions) + "\n").encode("utf-8")
    return files


def _files(message: RenderedMessage, *, pdf: bool) -> dict[str, bytes]:
    base = f"{message.requested_locale or message.locale}/{message.channel.value}"
    out = {f"{base}.txt": f"{message.subject}\n\n{message.text}".encode()}
    if message.html is not None:
        out[f"{base}.html"] = message.html.encode("utf-8")
    if pdf:
        out[f"{base}.pdf"] = render_pdf(message)
    return out
