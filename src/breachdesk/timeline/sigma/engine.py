"""Evaluate compiled Sigma rules over an event frame in one pass: matches per rule."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import polars as pl

from breachdesk.timeline.event import EVENT_SCHEMA, LogEvent
from breachdesk.timeline.sigma.convert import LOWER, Needs
from breachdesk.timeline.sigma.fields import (
    KEYWORDS,
    NATIVE_ALIASES,
    NATIVE_PREFIX,
    PATH,
    QUERY,
)
from breachdesk.timeline.sigma.ruleset import CompiledRule, RuleSet

_KEYWORD_COLUMNS = ("action", "target", "user", "user_agent", "host")


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """One rule's hits: event ids (or row numbers), first and last time."""

    rule: CompiledRule
    event_ids: tuple[int, ...]
    first: datetime
    last: datetime

    @property
    def count(self) -> int:
        """Number of matched events."""
        return len(self.event_ids)


def _natives(natives: set[str]) -> list[pl.Expr]:
    if not natives:
        return []
    names = sorted({alias for n in natives for alias in NATIVE_ALIASES.get(n, (n,))})
    # Decoding costs per non-null row: only events naming one of the wanted fields are decoded.
    named = pl.col("fields").str.contains_any([json.dumps(n) for n in names])
    wanted = pl.when(named).then(pl.col("fields"))
    struct = wanted.str.json_decode(pl.Struct(dict.fromkeys(names, pl.String)))
    return [struct.struct.field(n).alias(f"_raw:{n}") for n in names]


def prepare(frame: pl.LazyFrame, needs: Needs) -> pl.LazyFrame:
    """Add the derived, native and lower-cased columns the rules read, computing each once."""
    lazy = frame
    natives = _natives(needs.natives)
    if natives:
        lazy = lazy.with_columns(natives).with_columns(
            pl.coalesce([pl.col(f"_raw:{a}") for a in NATIVE_ALIASES.get(n, (n,))]).alias(
                NATIVE_PREFIX + n
            )
            for n in sorted(needs.natives)
        )
    derived: list[pl.Expr] = []
    if PATH in needs.derived or PATH in needs.lower:
        derived.append(pl.col("target").str.split_exact("?", 1).struct.field("field_0").alias(PATH))
    if QUERY in needs.derived or QUERY in needs.lower:
        derived.append(pl.col("target").str.splitn("?", 2).struct.field("field_1").alias(QUERY))
    if KEYWORDS in needs.derived:
        # Native fields travel as JSON; undoing the two common escapes lets keywords with
        # backslashes or quotes (Windows paths, SQL) match what the source wrote.
        fields = pl.col("fields").str.replace_all(r"\\", "\\", literal=True)
        fields = fields.str.replace_all(r"\"", '"', literal=True)
        texts = [pl.col(c) for c in _KEYWORD_COLUMNS]
        derived.append(
            pl.concat_str([*texts, fields], separator="\n", ignore_nulls=True).alias(KEYWORDS)
        )
    if derived:
        lazy = lazy.with_columns(derived)
    lower = sorted(needs.lower)
    if lower:
        lazy = lazy.with_columns(pl.col(c).str.to_lowercase().alias(LOWER + c) for c in lower)
    return lazy


def evaluate(frame: pl.DataFrame, rules: RuleSet) -> list[RuleMatch]:
    """Every rule that matched at least one event, with the events, in rule order.

    The frame has the event schema; an ``id`` column, when present, names events in the
    result, else row numbers do.
    """
    if frame.height == 0 or not rules.rules:
        return []
    ids = pl.col("id") if "id" in frame.columns else pl.int_range(pl.len()).alias("id")
    lazy = prepare(frame.lazy().with_columns(ids.cast(pl.Int64).alias("id")), rules.needs())
    columns = [
        (r.scope.expression() & r.expression).alias(f"r{i}") for i, r in enumerate(rules.rules)
    ]
    hits = lazy.select("id", "time", *columns).collect()
    out: list[RuleMatch] = []
    for i, rule in enumerate(rules.rules):
        matched = hits.filter(pl.col(f"r{i}")).select("id", "time")
        if matched.height == 0:
            continue
        times = matched.get_column("time")
        first, last = cast(datetime, times.min()), cast(datetime, times.max())
        out.append(RuleMatch(rule, tuple(matched.get_column("id").to_list()), first, last))
    return out


def frame_of(events: Iterable[LogEvent]) -> pl.DataFrame:
    """An event frame (``EVENT_SCHEMA``) of in-memory events; ``fields`` become JSON text."""
    rows = [
        {
            **{name: getattr(e, name) for name in EVENT_SCHEMA if name != "fields"},
            "fields": json.dumps(dict(e.fields), ensure_ascii=False) if e.fields else None,
        }
        for e in events
    ]
    return pl.DataFrame(rows, schema=dict(EVENT_SCHEMA), orient="row")
