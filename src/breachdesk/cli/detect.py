"""``breachdesk detect``: span-level PII detection over a JSON-lines file, a result per line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from breachdesk.core.errors import ExitCode

app = typer.Typer(no_args_is_help=True, help="Detect personal data in text.")


#: Lines detected together: one batched call per block (short texts cost far less that way).
BLOCK_LINES = 2048

if TYPE_CHECKING:
    from breachdesk.discovery.match import TextMatch


def _spans(matches: Iterable[TextMatch]) -> list[dict[str, Any]]:
    return [
        {
            "element": m.element.value,
            "start": m.start,
            "end": m.end,
            "confidence": m.confidence,
            "detector": m.detector,
            **({"country": m.country} if m.country else {}),
        }
        for m in matches
    ]


def _blocks(handle: IO[str]) -> Iterator[list[tuple[int, str]]]:
    """``(line number, line)`` of the input in blocks of ``BLOCK_LINES``."""
    numbered = enumerate(handle, start=1)
    while block := list(islice(numbered, BLOCK_LINES)):
        yield block


def _detect_block(block: list[tuple[int, str]], field: str, min_confidence: float) -> int:
    """Write one result line per good line of ``block``; report bad ones; return how many."""
    from breachdesk.discovery.text import detect_many

    parsed = [(number, *_text_of(line, field)) for number, line in block if line.strip()]
    texts = [text for _, text, _ in parsed if text is not None]
    found = iter(detect_many(texts, min_confidence=min_confidence))
    bad = 0
    for number, text, reason in parsed:
        if text is None:
            bad += 1
            typer.echo(f"line {number}: {reason}; skipped", err=True)
            continue
        sys.stdout.write(json.dumps({"line": number, "spans": _spans(next(found))}) + "\n")
    return bad


def _text_of(line: str, field: str) -> tuple[str | None, str | None]:
    """``(text, None)`` or ``(None, reason)``; reasons never quote the line's content."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON at column {exc.colno}"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    value = record.get(field)
    if not isinstance(value, str):
        return None, f"no text field {field!r}"
    return value, None


@app.command("detect")
def detect(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="JSON-lines input.")
    ],
    field: Annotated[str, typer.Option(help="Name of the text field in each line.")] = "full_text",
    min_confidence: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Drop matches below this confidence.")
    ] = 0.5,
) -> None:
    """Print {"line": n, "spans": [...]} for every line; bad lines are reported on stderr."""
    bad = 0
    with file.open("r", encoding="utf-8", errors="replace") as handle:
        for block in _blocks(handle):
            bad += _detect_block(block, field, min_confidence)
    sys.stdout.flush()
    if bad:
        typer.echo(f"{bad} line(s) skipped", err=True)
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))
