"""Campaign helpers: template and override-folder version hashes, rate parsing."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from pathlib import Path

from breachdesk.core.errors import InvalidInputError
from breachdesk.notify.message import Channel
from breachdesk.notify.render import Renderer


def folder_hash(folder: Path | None) -> str | None:
    """sha256 over the relative names and bytes of every file in an override folder."""
    if folder is None:
        return None
    digest = hashlib.sha256()
    if not folder.is_dir():
        return "missing"
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        for part in (path.relative_to(folder).as_posix().encode(), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


def template_versions(
    used: Iterable[tuple[Channel, str]], overrides: Path | None
) -> tuple[tuple[str, str], ...]:
    """``(template id, version)`` of every (channel, locale) a campaign renders."""
    renderer = Renderer(overrides)
    found = {}
    for channel, locale in used:
        compiled = renderer.compiled(channel, locale)
        found[f"{compiled.locale}/{channel.value}"] = compiled.version
    return tuple(sorted(found.items()))


def parse_rate(text: str | None) -> float | None:
    """Messages per second from ``200/s``, ``6000/min``, ``50000/h`` or a plain number."""
    if not text:
        return None
    number, _, unit = text.strip().partition("/")
    per = {"": 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600}.get(unit.strip())
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    if per is None or not math.isfinite(value) or value <= 0:
        raise InvalidInputError(
            f"--rate {text!r}: give messages per second, e.g. 200/s or 6000/min"
        )
    return value / per
