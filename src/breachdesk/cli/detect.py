"""``breachdesk detect``: span-level PII detection over a JSON-lines file, a result per line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from breachdesk.core.errors import ExitCode

app = typer.Typer(no_args_is_help=True, help="Detect personal data in text.")


def _spans(text: str, min_confidence: float) -> list[dict[str, Any]]:
    from breachdesk.discovery.text import detect_text

    return [
        {
            "element": m.element.value,
            "start": m.start,
            "end": m.end,
            "confidence": m.confidence,
            "detector": m.detector,
            **({"country": m.country} if m.country else {}),
        }
        for m in detect_text(text, min_confidence=min_confidence)
    ]


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
    out = sys.stdout
    with file.open("r", encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            text, reason = _text_of(line, field)
            if text is None:
                bad += 1
                typer.echo(f"line {number}: {reason}; skipped", err=True)
                continue
            out.write(json.dumps({"line": number, "spans": _spans(text, min_confidence)}) + "\n")
    out.flush()
    if bad:
        typer.echo(f"{bad} line(s) skipped", err=True)
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))
