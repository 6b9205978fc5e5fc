"""The customer master: the organisation's own records, loaded, mapped and validated."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from breachdesk.core.errors import InvalidInputError
from breachdesk.identity.mapping import (
    DEFAULT_KEYS,
    KEY_FIELDS,
    ColumnMapping,
    Field,
    map_columns,
)

_CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
_PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
_SHOWN_ROWS = 5


@dataclass(frozen=True, slots=True, eq=False)
class CustomerMaster:
    """Validated customer records: one string column per mapped field, customer ids unique."""

    frame: pl.DataFrame
    mapping: ColumnMapping
    keys: tuple[Field, ...]
    label: str  # file name or database host, for messages; never a credential

    @property
    def size(self) -> int:
        """Number of customers."""
        return self.frame.height


def _rows(mask: pl.Series) -> str:
    rows = (mask.arg_true() + 1).head(_SHOWN_ROWS).to_list()
    more = int(mask.sum()) - len(rows)
    return ", ".join(map(str, rows)) + (f" and {more} more" if more > 0 else "")


def resolve_keys(
    mapping: ColumnMapping, keys: Sequence[str] | None, label: str
) -> tuple[Field, ...]:
    """The key fields to link on: those asked for (all must be mapped) or the mapped defaults."""
    if Field.CUSTOMER_ID not in mapping.fields():
        raise InvalidInputError(
            f"customer master {label}: no customer id column found "
            "(expected a header such as customer_id; map one with customer_id=COLUMN)"
        )
    if keys is None:
        return tuple(k for k in DEFAULT_KEYS if k in mapping.fields())
    wanted: list[Field] = []
    for name in keys:
        try:
            field = Field(name.strip())
        except ValueError:
            field = None
        if field is None or field not in KEY_FIELDS:
            allowed = ", ".join(sorted(k.value for k in KEY_FIELDS))
            raise InvalidInputError(f"unknown linking key {name.strip()!r} (allowed: {allowed})")
        wanted.append(field)
    missing = [k.value for k in wanted if k not in mapping.fields()]
    if missing:
        raise InvalidInputError(
            f"customer master {label}: no column for key(s) {', '.join(missing)}"
        )
    return tuple(dict.fromkeys(wanted))


def validate_master(
    frame: pl.DataFrame, mapping: ColumnMapping, keys: Sequence[str] | None, label: str
) -> CustomerMaster:
    """Check a mapped frame (columns named by field) and wrap it; errors name rows, not values."""
    chosen = resolve_keys(mapping, keys, label)
    if frame.height == 0:
        raise InvalidInputError(f"customer master {label} has no rows")
    frame = frame.with_columns(
        [pl.col(c).str.strip_chars().replace("", None) for c in frame.columns]
    )
    ids = frame[Field.CUSTOMER_ID.value]
    blank = ids.is_null()
    if blank.any():
        raise InvalidInputError(
            f"customer master {label}: empty customer id in row(s) {_rows(blank)}"
        )
    dupes = ids.is_duplicated()
    if dupes.any():
        distinct = ids.filter(dupes).n_unique()
        raise InvalidInputError(
            f"customer master {label}: {distinct} customer id(s) appear more than once "
            f"(rows {_rows(dupes)})"
        )
    return CustomerMaster(frame, mapping, chosen, label)


def mapped_frame(lazy: pl.LazyFrame, mapping: ColumnMapping) -> pl.LazyFrame:
    """Select and rename the mapped columns, every one as a string."""
    return lazy.select([pl.col(c).cast(pl.String).alias(f.value) for f, c in mapping.columns])


def _separator(path: Path) -> str:
    with path.open("rb") as fh:
        first = fh.readline(65_536).decode("utf-8", "replace")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t", "|")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _scan(path: Path) -> pl.LazyFrame:
    suffix = path.suffix.lower()
    if suffix in _PARQUET_SUFFIXES:
        return pl.scan_parquet(path)
    if suffix in _CSV_SUFFIXES:
        return pl.scan_csv(
            path, separator=_separator(path), infer_schema=False, encoding="utf8-lossy"
        )
    raise InvalidInputError(
        f"customer master {path.name}: unsupported file type (use .csv, .tsv or .parquet)"
    )


def load_master_file(
    path: Path,
    overrides: Mapping[str, str] | None = None,
    keys: Sequence[str] | None = None,
) -> CustomerMaster:
    """Load a customer master from CSV or Parquet, mapping headers and validating rows."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInputError(f"customer master {path.name}: file not found")
    if path.stat().st_size == 0:
        raise InvalidInputError(f"customer master {path.name} is empty")
    try:
        lazy = _scan(path)
        headers = lazy.collect_schema().names()
        mapping = map_columns(headers, overrides)
        resolve_keys(mapping, keys, path.name)
        frame = mapped_frame(lazy, mapping).collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InvalidInputError(
            f"customer master {path.name}: cannot be read ({type(exc).__name__})"
        ) from None
    return validate_master(frame, mapping, keys, path.name)


def master_names(master: CustomerMaster) -> pl.Expr:
    """An expression for each customer's full name (full-name column, else first + last)."""
    fields = master.mapping.fields()
    if Field.FULL_NAME in fields:
        return pl.col(Field.FULL_NAME.value)
    parts = [pl.col(f.value) for f in (Field.FIRST_NAME, Field.LAST_NAME) if f in fields]
    if not parts:
        return pl.lit(None, dtype=pl.String)
    return pl.concat_str(parts, separator=" ", ignore_nulls=True)
