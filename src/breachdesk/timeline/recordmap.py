"""Record maps: how request URLs name records (``/api/customers/{customer_id}``), and which
records a set of requests touched."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote_plus

import polars as pl

from breachdesk.core.errors import InvalidInputError

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_VALUE = r"([^/?#&=]+)"


@dataclass(frozen=True, slots=True)
class RecordMap:
    """One URL pattern with a single ``{kind}`` placeholder naming an identifier kind."""

    pattern: str
    kind: str

    @property
    def regex(self) -> str:
        """Anchored regular expression capturing the identifier (group 1)."""
        head, tail = _PLACEHOLDER.split(self.pattern, maxsplit=1)[0::2]
        query = "?" in self.pattern
        start = "" if self.pattern.startswith("/") else "(?:^|/)"
        # A path pattern matches the path only; a pattern with "?" matches the query too,
        # with its parameters in any order.
        if query:
            path, _, param = head.partition("?")
            head_rx = re.escape(path) + r"\?(?:[^#]*&)?" + re.escape(param)
        else:
            head_rx = re.escape(head)
        end = r"(?:[&#]|$)" if query else r"(?:[/?#]|$)"
        return f"{'^' if start == '' else start}{head_rx}{_VALUE}{re.escape(tail)}{end}"


def parse_pattern(pattern: str, kind: str | None = None) -> RecordMap:
    """Check a pattern: exactly one ``{kind}`` placeholder (``kind`` overrides its name)."""
    names = _PLACEHOLDER.findall(pattern)
    if len(names) != 1:
        raise InvalidInputError(
            f"--pattern {pattern!r}: needs exactly one {{kind}} placeholder, found {len(names)}"
        )
    head, _, tail = _PLACEHOLDER.split(pattern, maxsplit=1)
    if "{" in head + tail or "}" in head + tail:
        raise InvalidInputError(f"--pattern {pattern!r}: unbalanced braces")
    return RecordMap(pattern, kind or names[0])


def accessed_ids(frame: pl.DataFrame, maps: Sequence[RecordMap]) -> pl.DataFrame:
    """``kind, raw, requests, first, last, ids`` for every identifier the events' URLs name."""
    schema: dict[str, pl.DataType] = {
        "kind": pl.String(),
        "raw": pl.String(),
        "requests": pl.UInt32(),
        "first": pl.Datetime("us", "UTC"),
        "last": pl.Datetime("us", "UTC"),
        "ids": pl.List(pl.Int64()),
    }
    parts = []
    for m in maps:
        hits = frame.select(
            "id", "time", pl.col("target").str.extract(m.regex, 1).alias("raw")
        ).drop_nulls("raw")
        if hits.height:
            parts.append(hits.with_columns(pl.lit(m.kind).alias("kind")))
    if not parts:
        return pl.DataFrame(schema=schema)
    found = pl.concat(parts)
    decoded = {r: unquote_plus(r) for r in found.get_column("raw").unique().to_list()}
    return (
        found.with_columns(pl.col("raw").replace_strict(decoded, return_dtype=pl.String))
        .group_by("kind", "raw")
        .agg(
            pl.len().alias("requests"),
            pl.col("time").min().alias("first"),
            pl.col("time").max().alias("last"),
            pl.col("id").sort().alias("ids"),
        )
        .sort("kind", "raw")
        .cast(schema)  # type: ignore[arg-type]
    )
