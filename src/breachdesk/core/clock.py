"""Injected time: every timestamp is aware UTC; parsing refuses naive or malformed input."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from breachdesk.core.errors import InvalidInputError


class Clock(Protocol):
    """Source of the current time (aware UTC)."""

    def now(self) -> datetime:
        """Return the current instant as an aware UTC datetime."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        """Return the current instant as an aware UTC datetime."""
        return datetime.now(UTC)


def ensure_utc(value: datetime) -> datetime:
    """Return ``value`` converted to UTC; a naive datetime is a programming error."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: breachdesk stores aware UTC times only")
    return value.astimezone(UTC)


def parse_utc(text: str, *, field: str) -> datetime:
    """Parse an ISO-8601 instant with an explicit offset (``Z`` allowed) into aware UTC."""
    raw = text.strip()
    try:
        value = datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        raise InvalidInputError(
            f"{field}: not an ISO-8601 time (e.g. 2026-11-20T09:30:00Z)"
        ) from None
    if value.tzinfo is None:
        raise InvalidInputError(f"{field}: time has no UTC offset; add Z or +HH:MM")
    return value.astimezone(UTC)


def iso(value: datetime) -> str:
    """Canonical text of an instant: UTC, microseconds, ``+00:00`` offset."""
    return ensure_utc(value).isoformat(timespec="microseconds")
