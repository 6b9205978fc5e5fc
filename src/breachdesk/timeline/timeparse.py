"""Time stamps of every shape logs use, to aware UTC, with small caches where lines repeat."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo

MONTHS = {
    m: n
    for n, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CACHE_LIMIT = 4_096


class StampCache:
    """Memoises a stamp -> datetime conversion (log lines share their second)."""

    __slots__ = ("_convert", "_seen")

    def __init__(self, convert: Callable[[str], datetime]) -> None:
        self._seen: dict[str, datetime | None] = {}
        self._convert = convert

    def get(self, stamp: str) -> datetime | None:
        """The converted stamp, ``None`` when it is not a time."""
        seen = self._seen
        value = seen.get(stamp, seen)
        if value is not seen:
            return value  # type: ignore[return-value]  # the sentinel is never returned
        if len(seen) >= _CACHE_LIMIT:
            seen.clear()
        try:
            result: datetime | None = self._convert(stamp)
        except (ValueError, KeyError, IndexError, OverflowError):
            result = None
        seen[stamp] = result
        return result


def clf_time(stamp: str, tz: tzinfo = UTC) -> datetime:
    """Common Log Format ``10/Oct/2000:13:55:36 -0700`` (zone optional) to UTC."""
    day, month, year = int(stamp[0:2]), MONTHS[stamp[3:6]], int(stamp[7:11])
    if stamp[2] != "/" or stamp[6] != "/" or stamp[11] != ":":
        raise ValueError("not a CLF time")
    hour, minute, second = int(stamp[12:14]), int(stamp[15:17]), int(stamp[18:20])
    zone = stamp[21:].strip()
    zinfo = tz
    if zone:
        sign = -1 if zone[0] == "-" else 1
        if zone[0] not in "+-" or len(zone) != 5:
            raise ValueError("bad zone")
        zinfo = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])))
    return datetime(year, month, day, hour, minute, second, tzinfo=zinfo).astimezone(UTC)


def iso_time(text: str, tz: tzinfo = UTC) -> datetime:
    """ISO 8601 (``Z``, offsets, space separator, `` UTC`` suffix) or epoch seconds/ms to UTC."""
    value = text.strip()
    if not value:
        raise ValueError("empty time")
    if value.replace(".", "", 1).isdigit():
        return epoch_time(float(value))
    if value.endswith(" UTC"):
        value = value[:-4] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def epoch_time(number: float) -> datetime:
    """Epoch seconds, or milliseconds/microseconds when the number is too large for seconds."""
    if number > 1e14:
        number /= 1e6
    elif number > 1e11:
        number /= 1e3
    return _EPOCH + timedelta(seconds=number)


def any_time(value: object, tz: tzinfo = UTC) -> datetime:
    """A JSON value (string or number) as a UTC time; ``ValueError`` when it is none."""
    if isinstance(value, bool):
        raise ValueError("not a time")
    if isinstance(value, int | float):
        return epoch_time(float(value))
    if isinstance(value, str):
        return iso_time(value, tz)
    raise ValueError("not a time")
