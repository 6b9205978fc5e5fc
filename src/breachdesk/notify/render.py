"""Render notices per channel and locale from sandboxed templates, with overrides and fallback."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    meta,
)
from jinja2.sandbox import SandboxedEnvironment

from breachdesk.core.element import DataElement
from breachdesk.notify.context import NoticeContext
from breachdesk.notify.coverage import AGENCY_ITEMS, CREDIT_ITEMS, canonical
from breachdesk.notify.elements import element_texts
from breachdesk.notify.filters import install_filters, tidy
from breachdesk.notify.message import Channel, RenderedMessage

#: The templates shipped with breachdesk: ``<locale>/<channel>.<txt|html>.j2``.
SHIPPED = Path(__file__).parent / "templates"

#: The locale's sentences, as macros; channel templates call them as ``b.<block>()``.
BLOCKS = "_blocks.j2"

_CREDIT_ELEMENTS = frozenset({"ssn"})  # US credit files; elsewhere only when a rule asks


class NoticeTemplateError(ValueError):
    """A template failed to render; the message names the template and the variable, never data."""


@dataclass(frozen=True, slots=True)
class _Compiled:
    locale: str
    text: Template
    html: Template | None
    version: str


def locale_chain(locale: str) -> tuple[str, ...]:
    """Locales to try, most specific first: ``es-MX`` -> (``es-MX``, ``es``, ``en``)."""
    tag = locale.replace("_", "-")
    parts = tag.split("-")
    chain = [tag] if len(parts) > 1 else []
    chain += [parts[0].lower(), "en"]
    return tuple(dict.fromkeys(p for p in chain if p))


class Renderer:
    """Renders notices from an optional per-incident override folder, then the shipped templates."""

    def __init__(self, overrides: Path | None = None) -> None:
        """Use ``overrides`` (same layout as the shipped folder) before the shipped templates."""
        self._roots = tuple(r for r in (overrides, SHIPPED) if r is not None)
        self._envs: dict[str, SandboxedEnvironment] = {}
        self._compiled: dict[tuple[Channel, str], _Compiled] = {}

    def environment(self, locale: str) -> SandboxedEnvironment:
        """The sandboxed environment that loads one locale's templates (overrides first)."""
        env = self._envs.get(locale)
        if env is None:
            base = locale_chain(locale)[-2] if "-" in locale else locale
            dirs = [
                str(root / loc) for loc in dict.fromkeys((locale, base)) for root in self._roots
            ]
            env = SandboxedEnvironment(
                loader=FileSystemLoader(dirs),
                undefined=StrictUndefined,
                autoescape=lambda name: bool(name and name.endswith(".html.j2")),
                keep_trailing_newline=True,
                trim_blocks=True,
                lstrip_blocks=True,
            )
            install_filters(env, locale)
            self._envs[locale] = env
        return env

    def resolve(self, channel: Channel, locale: str) -> str:
        """The first locale in the fallback chain that has a template for the channel."""
        for loc in locale_chain(locale):
            if any((root / loc / f"{channel.value}.txt.j2").is_file() for root in self._roots):
                return loc
        raise NoticeTemplateError(f"no template for channel {channel.value}")

    def sources(self, channel: Channel, locale: str) -> tuple[SandboxedEnvironment, list[str]]:
        """Environment and sources of the channel's text (and HTML) templates for a locale."""
        loc = self.resolve(channel, locale)
        env = self.environment(loc)
        out = []
        for name in _names(channel):
            try:
                out.append(_source(env, name))
            except TemplateNotFound:
                continue
        return env, out

    def compiled(self, channel: Channel, locale: str) -> _Compiled:
        """Compiled templates and version hash for a channel in the resolved locale."""
        loc = self.resolve(channel, locale)
        key = (channel, loc)
        found = self._compiled.get(key)
        if found is None:
            env = self.environment(loc)
            text_name, html_name = _names(channel)
            try:
                html = _maybe(env, html_name)
                used = _closure(env, [BLOCKS, text_name, *([html_name] if html else [])])
                found = _Compiled(loc, env.get_template(text_name), html, _version(env, used))
            except TemplateSyntaxError as exc:
                where = f"{loc}/{exc.name or text_name} (line {exc.lineno})"
                raise NoticeTemplateError(f"template {where}: {exc.message}") from None
            except TemplateNotFound as exc:
                raise NoticeTemplateError(f"template {loc}/{exc.name} not found") from None
            self._compiled[key] = found
        return found

    def render(self, channel: Channel, locale: str, context: NoticeContext) -> RenderedMessage:
        """Render one notice; undefined variables fail with the template and variable named."""
        compiled = self.compiled(channel, locale)
        variables = _variables(context, compiled.locale)
        env = self.environment(compiled.locale)
        try:
            # the blocks module renders without autoescape: HTML templates escape what it returns
            blocks = _Blocks(env.get_template(BLOCKS).make_module(variables))
            variables["b"] = blocks
            subject = blocks.subject(channel.value)
            text = tidy(compiled.text.render(variables))
            html = compiled.html.render(variables) if compiled.html is not None else None
        except UndefinedError as exc:
            raise NoticeTemplateError(_describe(exc, channel, compiled.locale)) from None
        except TemplateError as exc:
            raise NoticeTemplateError(_describe(exc, channel, compiled.locale)) from None
        notes = unfilled(context)
        if compiled.locale != locale:
            notes = (
                f"locale {locale} has no {channel.value} template; used {compiled.locale}",
                *notes,
            )
        return RenderedMessage(
            channel=channel,
            locale=compiled.locale,
            subject=str(subject).strip(),
            text=text,
            html=html,
            template_id=f"{compiled.locale}/{channel.value}",
            template_version=compiled.version,
            requested_locale=locale,
            notes=notes,
            recipient_name=context.person_name,
            recipient_address=context.person_address,
        )


class _Blocks:
    """A locale's block macros returning plain text, so HTML templates escape what they show."""

    __slots__ = ("_module",)

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Callable[..., str]:
        macro = getattr(self._module, name)

        def call(*args: Any) -> str:
            # called without an eval context, a macro returns text, never Markup
            return str(macro(*args))

        return call


@lru_cache(maxsize=8)
def renderer(overrides: Path | None = None) -> Renderer:
    """A shared renderer per override folder (templates compiled once)."""
    return Renderer(overrides)


def render(
    channel: Channel, locale: str, context: NoticeContext, *, overrides: Path | None = None
) -> RenderedMessage:
    """Render one notice on a channel in a locale (falling back ``es-MX`` -> ``es`` -> ``en``)."""
    return renderer(overrides).render(channel, locale, context)


def template_sources(
    channel: Channel, locale: str, *, overrides: Path | None = None
) -> tuple[SandboxedEnvironment, list[str]]:
    """Environment and the text/HTML template sources a channel renders from in a locale."""
    return renderer(overrides).sources(channel, locale)


#: Required items whose block has nothing to say unless the context carries a value.
_VALUE_OF: dict[str, str] = {
    "services_offered": "services_offer",
    "root_cause": "root_cause",
    "other_information": "other_information",
    "number_affected": "number_affected",
    "notice_to_individuals": "notice_plan",
}


def unfilled(context: NoticeContext) -> tuple[str, ...]:
    """Notes for required content items the context gives no value for (shown, never guessed)."""
    required = canonical(context.required)
    return tuple(
        f"required item {item} has no value: set {field_name}"
        for item, field_name in _VALUE_OF.items()
        if item in required and getattr(context, field_name) in (None, "")
    )


def _names(channel: Channel) -> tuple[str, str]:
    return f"{channel.value}.txt.j2", f"{channel.value}.html.j2"


def _source(env: SandboxedEnvironment, name: str) -> str:
    if env.loader is None:  # pragma: no cover - every environment here has a loader
        raise TemplateNotFound(name)
    return env.loader.get_source(env, name)[0]


def _maybe(env: SandboxedEnvironment, name: str) -> Template | None:
    try:
        return env.get_template(name)
    except TemplateNotFound:
        return None


def _closure(env: SandboxedEnvironment, names: list[str]) -> list[str]:
    """Every template reachable from ``names`` through import, include and extends."""
    seen: list[str] = []
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.append(name)
        for ref in meta.find_referenced_templates(env.parse(_source(env, name))):
            if ref is not None:
                todo.append(ref)
    return sorted(seen)


def _version(env: SandboxedEnvironment, names: list[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        for part in (name, _source(env, name)):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()


def _describe(exc: TemplateError, channel: Channel, locale: str) -> str:
    where = f"{locale}/{channel.value}"
    tb = sys.exc_info()[2]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{Path(filename).parent.name}/{Path(filename).name} (line {tb.tb_lineno})"
        tb = tb.tb_next
    return f"template {where}: {exc.message}"


def _variables(context: NoticeContext, locale: str) -> dict[str, Any]:
    required = canonical(context.required)
    elements = frozenset(DataElement(e).value for e in context.elements)
    return {
        "org": context.organisation,
        "org_contact": context.contact,
        "incident": context.incident_description,
        "measures": context.measures_taken,
        "notice_date": context.notice_date,
        "date_from": context.occurred_from,
        "date_to": context.occurred_to,
        "discovered": context.discovered_on,
        "elements": element_texts(elements, locale),
        "required": required,
        "show_credit": bool(required & CREDIT_ITEMS) or bool(elements & _CREDIT_ELEMENTS),
        "show_agencies": bool(required & AGENCY_ITEMS) or bool(elements & _CREDIT_ELEMENTS),
        "show_delay": "law_enforcement_delay_statement" in required
        or context.law_enforcement_delay,
        "cra": context.cra_contacts,
        "ftc": context.ftc_contact,
        "agency_list": context.agency_contacts,
        "dpo": context.dpo_contact,
        "services": context.services_offer,
        "root_cause": context.root_cause,
        "consequences_text": context.likely_consequences,
        "other_info": context.other_information,
        "number_affected": context.number_affected,
        "delayed": context.law_enforcement_delay,
        "link": context.link,
        "addressee": context.addressee,
        "individuals_notified": context.individuals_notified_on,
        "plan_text": context.notice_plan,
        "person_name": context.person_name,
        "reset_link": context.reset_link,
        "enrolment_code": context.enrolment_code,
        "person_address": context.person_address,
    }
