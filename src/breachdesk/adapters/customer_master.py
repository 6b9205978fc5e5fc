"""Load a customer master from a file (CSV, Parquet) or any SQLAlchemy URL plus a query."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from breachdesk.core.errors import ConfigError, InvalidInputError
from breachdesk.identity.mapping import ColumnMapping, map_columns
from breachdesk.identity.master import (
    CustomerMaster,
    load_master_file,
    resolve_keys,
    validate_master,
)

CHUNK_ROWS = 50_000
_SQLITE_SUFFIXES = frozenset({".db", ".sqlite", ".sqlite3"})
# SQLSTATE classes worth naming; the server's message may quote row values, so it is not shown.
_SQLSTATES = {
    "42P01": "table not found",
    "42703": "column not found",
    "42601": "syntax error",
    "42501": "permission denied",
    "42883": "function not found",
    "22P02": "a value does not convert to the column type",
    "57014": "query cancelled (timeout)",
}


def is_database_url(source: str) -> bool:
    """Whether a customer-master source names a database (``scheme://...``) rather than a file."""
    return "://" in source and not Path(source).exists()


def describe(url: URL) -> str:
    """``backend://host/database`` (file name only for SQLite); never user or password."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        return f"sqlite:{Path(url.database or ':memory:').name}"
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    database = f"/{url.database}" if url.database else ""
    return f"{backend}://{host}{port}{database}"


def _engine(source: str) -> tuple[Engine, str]:
    try:
        url = make_url(source)
    except ArgumentError:
        raise ConfigError("customer master: not a valid database URL") from None
    label = describe(url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        raise ConfigError(f"customer master {label}: database file not found")
    try:
        return create_engine(url), label
    except (NoSuchModuleError, ImportError, ArgumentError):
        raise ConfigError(
            f"customer master {label}: no driver for {url.drivername!r} "
            "(for PostgreSQL install breachdesk[postgres])"
        ) from None


def _query_error(exc: DBAPIError, label: str) -> InvalidInputError:
    code = getattr(exc.orig, "sqlstate", None)
    what = _SQLSTATES.get(code or "", f"SQLSTATE {code}" if code else type(exc.orig).__name__)
    return InvalidInputError(f"customer master {label}: the query failed ({what})")


def _text(values: Sequence[object]) -> pl.Series:
    return pl.Series([None if v is None else str(v) for v in values], dtype=pl.String)


def _chunk(
    rows: Sequence[Sequence[object]], names: list[str], mapping: ColumnMapping
) -> pl.DataFrame:
    """The mapped columns of one chunk of rows, every value as text (dates in ISO form)."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    index = {name: i for i, name in enumerate(names)}
    return pl.DataFrame({f.value: _text(columns[index[c]]) for f, c in mapping.columns})


def load_sql_master(
    url: str,
    query: str,
    *,
    overrides: Mapping[str, str] | None = None,
    keys: Sequence[str] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> CustomerMaster:
    """Run ``query`` and read its rows in chunks of ``chunk_rows`` into a validated master."""
    if not query.strip():
        raise InvalidInputError("customer master: a database source needs a query")
    engine, label = _engine(url)
    try:
        try:
            conn = engine.connect()
        except SQLAlchemyError:
            raise ConfigError(
                f"customer master {label}: cannot connect (check host, port and credentials)"
            ) from None
        with conn:
            try:
                result = conn.execution_options(stream_results=True).execute(text(query))
                names = list(result.keys())
                if len(set(names)) != len(names):
                    raise InvalidInputError(
                        f"customer master {label}: the query returns duplicate column names"
                    )
                mapping = map_columns(names, overrides)
                resolve_keys(mapping, keys, label)
                frames = [_chunk(part, names, mapping) for part in result.partitions(chunk_rows)]
            except DBAPIError as exc:
                raise _query_error(exc, label) from None
    finally:
        engine.dispose()
    frame = (
        pl.concat(frames)
        if frames
        else pl.DataFrame({f.value: pl.Series([], dtype=pl.String) for f, _ in mapping.columns})
    )
    return validate_master(frame, mapping, keys, label)


def _only_table(url: str) -> str:
    """``select * from`` the database's one table; an error when it has none or several."""
    engine, label = _engine(url)
    try:
        names = inspect(engine).get_table_names()
    except SQLAlchemyError:
        raise ConfigError(f"customer master {label}: cannot be opened as a database") from None
    finally:
        engine.dispose()
    if len(names) != 1:
        raise InvalidInputError(
            f"customer master {label}: {len(names)} tables; pass --query to choose the rows"
        )
    return f'select * from "{names[0]}"'  # noqa: S608 - a table name read from the database


def load_customer_master(
    source: str,
    *,
    query: str | None = None,
    overrides: Mapping[str, str] | None = None,
    keys: Sequence[str] | None = None,
) -> CustomerMaster:
    """A customer master from a CSV/Parquet/SQLite path or a database URL plus ``query`` (a
    SQLite file with one table needs no query)."""
    if is_database_url(source):
        return load_sql_master(source, query or "", overrides=overrides, keys=keys)
    path = Path(source)
    if path.suffix.lower() in _SQLITE_SUFFIXES:
        url = f"sqlite:///{path}"
        return load_sql_master(url, query or _only_table(url), overrides=overrides, keys=keys)
    if query:
        raise InvalidInputError("customer master: --query applies to database URLs only")
    return load_master_file(Path(source), overrides, keys)
