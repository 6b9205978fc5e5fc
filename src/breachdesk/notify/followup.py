"""The "it is fixed" follow-up notice and a regulator's final report, from sandboxed templates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from breachdesk.notify.render import SHIPPED, locale_chain

FOLLOWUP = "followup"
FINAL_REPORT = "final_report"


@dataclass(frozen=True, slots=True)
class FollowupContext:
    """What the follow-up says: what was fixed, when it was verified, what people can still do."""

    organisation: str
    incident_title: str
    changes: tuple[str, ...]  # what we changed, in plain words (one per fixed root cause)
    verified_on: date
    contact: str
    elements: tuple[str, ...] = ()  # element ids exposed in the incident (for the advice)


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What a final report to a regulator states (GDPR Art. 33(4) phased information, etc.)."""

    organisation: str
    regime: str
    citations: tuple[str, ...]
    incident_title: str
    incident_description: str
    discovered_at: str
    occurred: str
    people: int
    categories: tuple[str, ...]
    root_causes: tuple[str, ...]
    fixed: tuple[tuple[str, str, str], ...]  # (finding, location, proved by scan / at)
    verified_on: date
    notified_people: int
    contact: str
    open_findings: int = 0
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered document: subject line, text, HTML and the template version used."""

    locale: str
    subject: str
    text: str = field(repr=False)
    html: str = field(repr=False)
    version: str
    content_hash: str


def _environment(locale: str) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(SHIPPED / locale)),
        undefined=StrictUndefined,
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _resolve(name: str, locale: str) -> str:
    for loc in locale_chain(locale):
        if (SHIPPED / loc / f"{name}.txt.j2").is_file():
            return loc
    raise FileNotFoundError(f"no {name} template")


def render_document(name: str, locale: str, context: FollowupContext | ReportContext) -> Rendered:
    """Render ``<locale>/<name>.txt.j2`` and ``.html.j2`` (locale fallback to English)."""
    loc = _resolve(name, locale)
    env = _environment(loc)
    variables: dict[str, Any] = {f: getattr(context, f) for f in context.__dataclass_fields__}
    text_t = env.get_template(f"{name}.txt.j2")
    html_t = env.get_template(f"{name}.html.j2")
    module = text_t.make_module(variables)
    subject = str(getattr(module, "subject", "")).strip()
    text = text_t.render(variables)
    html = html_t.render(variables)
    sources = b"".join((SHIPPED / loc / f"{name}.{k}.j2").read_bytes() for k in ("txt", "html"))
    version = f"{loc}/{name}@" + hashlib.sha256(sources).hexdigest()[:16]
    digest = hashlib.sha256((subject + "\n" + text + "\n" + html).encode()).hexdigest()
    return Rendered(loc, subject, text, html, version, digest)
