"""Helpers every importer shares: safe JSON/XML loading, secret masking, short evidence."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

from breachdesk.core.finding import Severity, Skipped
from breachdesk.vulns.severity import score_vector

EVIDENCE_CHARS = 300
MAX_REPORT_BYTES = 512 * 1024 * 1024

# Values that look like credentials inside evidence text from any tool (key=value pairs, bearer
# tokens, private key blocks, well-known key prefixes); the name is kept, the value masked.
_ASSIGNED = re.compile(
    r"(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|auth|credential)"
    r"[\w.-]*\s*[:=]\s*[\"']?)(?!\[masked|bearer\b|basic\b)([^\s\"',;]{4,})"
)
_BEARER = re.compile(r"(?i)((?:bearer|basic)\s+)(?!\[masked)([A-Za-z0-9._~+/=-]{8,})")
_PREFIXED = re.compile(
    r"\b(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}"
    r"|sk_live_[A-Za-z0-9]{10,}|AIza[0-9A-Za-z_-]{30,})"
)
_PRIVATE_KEY = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.DOTALL
)


def mask_value(value: str) -> str:
    """A secret shown as its length only (never a prefix: short secrets would leak)."""
    return f"[masked {len(value)} chars]"


def mask_secrets(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with the given secret values and anything credential-shaped masked."""
    for secret in sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True):
        text = text.replace(secret, mask_value(secret))
    text = _PRIVATE_KEY.sub("[masked private key]", text)
    text = _BEARER.sub(lambda m: m.group(1) + mask_value(m.group(2)), text)
    text = _ASSIGNED.sub(lambda m: m.group(1) + mask_value(m.group(2)), text)
    return _PREFIXED.sub(lambda m: mask_value(m.group(1)), text)


# detect-secrets' entropy and keyword detectors only fire on lines holding a long mixed token;
# the cheap pre-check keeps large imports fast.
_LONG_TOKEN = re.compile(r"(?=[A-Za-z0-9+/=_.\-]*\d)[A-Za-z0-9+/=_.\-]{12,}")


def detected_secrets(text: str) -> tuple[str, ...]:
    """Values detect-secrets' default detectors flag in ``text`` (none when it is not installed)."""
    lines = [line for line in text.splitlines() if _LONG_TOKEN.search(line)]
    if not lines:
        return ()
    try:
        from detect_secrets.core.scan import scan_line
        from detect_secrets.settings import default_settings
    except ImportError:  # optional at run time: the patterns above still apply
        return ()
    found: set[str] = set()
    with default_settings():
        for line in lines:
            for secret in scan_line(line):
                value = secret.secret_value or ""
                # entropy detectors also flag short fragments and plain words: keep real tokens
                if len(value) >= 20 or (len(value) >= 8 and any(c.isdigit() for c in value)):
                    found.add(value)
    return tuple(found)


def evidence(text: object, secrets: tuple[str, ...] = ()) -> str:
    """Short, secret-free evidence text from a tool's snippet or matched value."""
    if not isinstance(text, str) or not text.strip():
        return ""
    raw = text.strip()[: EVIDENCE_CHARS * 4]
    cleaned = mask_secrets(raw, (*secrets, *detected_secrets(raw)))
    return cleaned if len(cleaned) <= EVIDENCE_CHARS else cleaned[: EVIDENCE_CHARS - 1] + "…"


def safe_text(text: object, limit: int = 2_000) -> str:
    """Free text from a report (title, description) with credential-shaped values masked."""
    if not isinstance(text, str):
        return ""
    cleaned = mask_secrets(text.strip())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def read_all(stream: BinaryIO, name: str) -> bytes | Skipped:
    """The report's bytes, or a skip when it is larger than any sane report."""
    data = stream.read(MAX_REPORT_BYTES + 1)
    if len(data) > MAX_REPORT_BYTES:
        return Skipped(name, "", f"report larger than {MAX_REPORT_BYTES >> 20} MiB")
    return data


def load_json(stream: BinaryIO, name: str) -> Any | Skipped:
    """Parsed JSON (``None`` for an empty file), or a skip naming where the first error is."""
    data = read_all(stream, name)
    if isinstance(data, Skipped):
        return data
    if not data.strip():
        return None  # some tools write an empty file when they find nothing
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return Skipped(name, f"byte {exc.start}", "not UTF-8 text")
    except json.JSONDecodeError as exc:
        return Skipped(name, f"line {exc.lineno} column {exc.colno}", f"invalid JSON ({exc.msg})")
    except RecursionError:
        return Skipped(name, "", "JSON nested too deeply")


def load_json_lines(stream: BinaryIO, name: str) -> Iterator[tuple[int, Any] | Skipped]:
    """``(line number, value)`` per non-empty JSON line, or a skip per bad line."""
    data = read_all(stream, name)
    if isinstance(data, Skipped):
        yield data
        return
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            yield Skipped(name, f"line {number}", "not a JSON value")


def load_xml(stream: BinaryIO, name: str) -> Element | Skipped:
    """The document's root element, parsed without entity expansion or external fetches."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    data = read_all(stream, name)
    if isinstance(data, Skipped):
        return data
    try:
        root: Element = fromstring(data, forbid_dtd=False)
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        return Skipped(name, f"line {line} column {column}", "invalid XML")
    except DefusedXmlException:
        return Skipped(name, "", "XML with entity declarations or external references refused")
    return root


def text_of(value: object) -> str | None:
    """A stripped string, or ``None`` for anything else or empty text."""
    return value.strip() or None if isinstance(value, str) else None


def int_of(value: object) -> int | None:
    """An integer from an int or digit string, else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def sniff_json_keys(head: bytes, *keys: bytes) -> bool:
    """Whether the head looks like JSON and mentions every key (quoted)."""
    start = head.lstrip()[:1]
    return start in (b"{", b"[") and all(b'"' + k + b'"' in head for k in keys)


def first_line(text: object, limit: int = 200) -> str:
    """The first non-empty line of free text, masked and shortened (for titles)."""
    if not isinstance(text, str):
        return ""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return safe_text(line, limit)


def severity_of(vector: object, fallback: object) -> tuple[Severity, str | None, float | None]:
    """Severity from a CVSS vector when it scores, else from the tool's own word, else medium."""
    if isinstance(vector, str) and vector.strip():
        scored = score_vector(vector)
        if scored is not None:
            return scored[1], vector.strip(), scored[0]
    word = Severity.parse(fallback) if isinstance(fallback, str) else None
    return word or Severity.MEDIUM, None, None


def strings(value: object) -> list[str]:
    """A list of strings from a string, a list of strings, or nothing."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def as_map(value: object) -> Mapping[str, Any]:
    """``value`` when it is a JSON object, else an empty mapping."""
    return value if isinstance(value, Mapping) else {}
