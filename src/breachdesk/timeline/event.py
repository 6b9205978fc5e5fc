"""Normalised log events: one shape for every parser, the event store and the Sigma evaluator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

import polars as pl

EMPTY_FIELDS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One log line or record, normalised; ``fields`` keeps the source's own field names.

    ``time`` is aware UTC. ``fields`` holds parser-specific values under their native names
    (``EventID``, ``Channel``, ``eventName``, ``cs-uri-query``, ...) so Sigma rules written for the
    source can match them next to the normalised columns.
    """

    time: datetime
    source: str
    locator: str
    host: str | None = None
    src_ip: str | None = None
    user: str | None = None
    action: str | None = None
    target: str | None = None
    status: str | None = None
    bytes: int | None = None
    user_agent: str | None = None
    fields: Mapping[str, str] = field(default_factory=lambda: EMPTY_FIELDS)


@dataclass(frozen=True, slots=True)
class LineSkipped:
    """A line or record that could not be parsed; the reason names the location, not values."""

    locator: str
    reason: str


ParsedItem = LogEvent | LineSkipped

# Column layout of event frames (store reads, Sigma evaluation); ``fields`` travels as JSON text.
EVENT_SCHEMA: Mapping[str, pl.DataType] = MappingProxyType(
    {
        "time": pl.Datetime("us", "UTC"),
        "source": pl.String(),
        "locator": pl.String(),
        "host": pl.String(),
        "src_ip": pl.String(),
        "user": pl.String(),
        "action": pl.String(),
        "target": pl.String(),
        "status": pl.String(),
        "bytes": pl.Int64(),
        "user_agent": pl.String(),
        "fields": pl.String(),
    }
)
