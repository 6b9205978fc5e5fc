"""Template filters: locale dates, contact lines, and plain text turned into safe HTML."""

from __future__ import annotations

from datetime import date

from jinja2 import Environment
from markupsafe import Markup, escape

from breachdesk.core.obligation import ContactInfo

_MONTHS: dict[str, str] = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
}


def day(value: date, locale: str) -> str:
    """A date as people write it in a locale, e.g. ``1 de marzo de 2026``."""
    lang = locale.split("-", maxsplit=1)[0]
    month = _MONTHS.get(lang, _MONTHS["en"]).split(" ")[value.month - 1]
    if lang == "es":
        return f"{value.day} de {month} de {value.year}"
    if lang == "fr":
        return f"{'1er' if value.day == 1 else value.day} {month} {value.year}"
    if lang == "de":
        return f"{value.day}. {month} {value.year}"
    return f"{month} {value.day}, {value.year}"


def contact_lines(contact: ContactInfo) -> str:
    """A contact as lines: name, then phone, e-mail, web site and address where known."""
    parts = [contact.name, contact.phone, contact.email, contact.url, contact.address]
    return "\n".join(p for p in parts if p)


def paragraphs(text: str) -> Markup:
    """Plain text to HTML: blank lines split paragraphs, ``- `` lines make lists, ``## `` heads."""
    out: list[str] = []
    for block in (b.strip("\n") for b in text.split("\n\n")):
        if not block.strip():
            continue
        lines = block.split("\n")
        if block.startswith("## "):
            out.append(f"<h2>{escape(lines[0][3:])}</h2>")
            lines = lines[1:]
            if not lines:
                continue
        if all(line.startswith(("- ", "  ")) for line in lines):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(str(escape(line[2:])))
                else:
                    items[-1] += "<br>" + str(escape(line.strip()))
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        else:
            out.append("<p>" + "<br>".join(str(escape(line)) for line in lines) + "</p>")
    return Markup("\n".join(out))  # noqa: S704 - every piece above is escaped


def plain(text: str) -> str:
    """Block text for plain-text notices: ``## `` heading marks removed."""
    return "\n".join(line[3:] if line.startswith("## ") else line for line in text.split("\n"))


def tidy(text: str) -> str:
    """Rendered text with trailing spaces dropped and at most one blank line in a row."""
    lines = [line.rstrip() for line in text.strip().split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out) + "\n"


def install_filters(env: Environment, locale: str) -> None:
    """Register the notice filters on an environment for one locale."""
    env.filters["day"] = lambda value: day(value, locale)
    env.filters["contact_lines"] = contact_lines
    env.filters["paragraphs"] = paragraphs
    env.filters["plain"] = plain
