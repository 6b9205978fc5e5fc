"""Field mappings for JSON lines and CSV: normalised names to source fields or dotted paths."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

NORMALISED = (
    "time",
    "host",
    "src_ip",
    "user",
    "action",
    "target",
    "status",
    "bytes",
    "user_agent",
)
# Source names tried, in order, when a normalised field has no explicit mapping; compared after
# lower-casing and dropping everything but letters and digits ("Source IP" -> "sourceip").
GUESSES: Mapping[str, tuple[str, ...]] = {
    "time": (
        "timestamp",
        "time",
        "datetime",
        "eventtime",
        "eventdatetime",
        "date",
        "ts",
        "timecreated",
        "created",
        "logtime",
        "when",
    ),
    "host": ("host", "hostname", "computer", "server", "serverhost", "device"),
    "src_ip": (
        "srcip",
        "sourceip",
        "clientip",
        "sourceipaddress",
        "remoteaddr",
        "remoteip",
        "ip",
        "ipaddress",
        "src",
        "client",
        "caddr",
        "cip",
    ),
    "user": ("user", "username", "userid", "account", "accountname", "principal", "login"),
    "action": (
        "action",
        "eventname",
        "event",
        "method",
        "operation",
        "activity",
        "eventtype",
        "eventaction",
        "httprequestmethod",
    ),
    "target": (
        "target",
        "url",
        "uri",
        "path",
        "request",
        "resource",
        "object",
        "file",
        "urlpath",
        "urloriginal",
    ),
    "status": (
        "status",
        "statuscode",
        "result",
        "outcome",
        "response",
        "errorcode",
        "httpstatus",
        "httpresponsestatuscode",
        "eventoutcome",
    ),
    "bytes": ("bytes", "size", "bytessent", "responsesize", "length", "httpresponsebytes"),
    "user_agent": (
        "useragent",
        "agent",
        "ua",
        "requestuseragent",
        "httpuseragent",
        "useragentoriginal",
    ),
}
_SPEC = re.compile(r"\s*([a-z_]+)\s*=\s*(.+?)\s*")


class FieldMapError(ValueError):
    """A ``--map`` specification that cannot be used; the message names the part."""


def parse_field_map(spec: str | Iterable[str]) -> dict[str, str]:
    """``time=@timestamp,src_ip=client.ip`` (or several such strings) as a mapping."""
    parts = [spec] if isinstance(spec, str) else list(spec)
    mapping: dict[str, str] = {}
    for part in (p for text in parts for p in text.split(",") if p.strip()):
        m = _SPEC.fullmatch(part)
        if m is None:
            raise FieldMapError(f"--map: '{part.strip()}' is not name=field")
        name, source = m.groups()
        if name not in NORMALISED:
            raise FieldMapError(f"--map: unknown field {name} (use {', '.join(NORMALISED)})")
        mapping[name] = source
    return mapping


def squash(name: str) -> str:
    """A field name reduced to lower-case letters and digits, for guessing."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def resolve(names: Iterable[str], explicit: Mapping[str, str]) -> dict[str, str]:
    """Normalised name -> source field, from ``explicit`` first, then by guessing ``names``."""
    available = list(names)
    by_squash: dict[str, str] = {}
    for n in available:
        by_squash.setdefault(squash(n), n)
    chosen = dict(explicit)
    for norm, guesses in GUESSES.items():
        if norm in chosen:
            continue
        for guess in guesses:
            if guess in by_squash:
                chosen[norm] = by_squash[guess]
                break
    return chosen


def flatten(value: Any, prefix: str = "", limit: int = 512) -> Iterator[tuple[str, str]]:
    """Dotted paths and text values of nested JSON (lists by index), at most ``limit`` leaves."""
    stack: list[tuple[str, Any]] = [(prefix, value)]
    count = 0
    while stack and count < limit:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(
                (f"{path}.{i}" if path else str(i), v) for i, v in reversed(list(enumerate(node)))
            )
        elif node is not None:
            count += 1
            yield path, _text(node)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
