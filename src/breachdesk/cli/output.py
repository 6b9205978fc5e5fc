"""Rendering helpers shared by the commands: JSON, tables, one-line messages."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from breachdesk.bootstrap import Workspace, open_workspace
from breachdesk.config import Settings
from breachdesk.core.clock import iso

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_jsonable(value: Any) -> Any:
    """Round-trip through JSON so nested values become plain types."""
    return json.loads(json.dumps(value, default=_default))


def emit_json(value: Any) -> None:
    """Write ``value`` as JSON on stdout."""
    sys.stdout.write(json.dumps(value, default=_default, indent=2, ensure_ascii=False) + "\n")


def when(value: datetime | None) -> str:
    """Short UTC rendering of a time for tables."""
    return value.strftime("%Y-%m-%d %H:%M:%SZ") if value else "-"


def settings_of(ctx: typer.Context) -> Settings:
    """The Settings built by the root callback."""
    settings = ctx.find_root().obj
    if not isinstance(settings, Settings):
        raise RuntimeError("settings missing from the CLI context")
    return settings


@contextmanager
def opened(ctx: typer.Context) -> Iterator[Workspace]:
    """Open the configured workspace for one command and close it afterwards."""
    ws = open_workspace(settings_of(ctx))
    try:
        yield ws
    finally:
        ws.close()
