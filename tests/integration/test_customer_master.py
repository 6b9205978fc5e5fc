"""The customer master from PostgreSQL, SQLite, CSV and Parquet gives the same customers."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import astuple, fields
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from breachdesk.adapters.customer_master import describe, load_customer_master, load_sql_master
from breachdesk.core.errors import ConfigError, InvalidInputError
from breachdesk.demodata import generate_customer_master, load_people
from breachdesk.identity.mapping import Field

PEOPLE = 120
QUERY = "select * from customers order by customer_id"


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("master") / "master.db"
    generate_customer_master(path, people=PEOPLE, seed=11)
    return path


def as_frame(path: Path) -> pl.DataFrame:
    people = load_people(path)
    names = [f.name for f in fields(people[0])]
    rows = [
        tuple(v.isoformat() if isinstance(v, dt.date) else v for v in astuple(p)) for p in people
    ]
    return pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)


def expected(path: Path) -> pl.DataFrame:
    people = load_people(path)
    return pl.DataFrame(
        {
            "customer_id": [p.customer_id for p in people],
            "email": [p.email for p in people],
            "phone": [p.phone for p in people],
        }
    )


def check(master_frame: pl.DataFrame, path: Path) -> None:
    got = master_frame.select("customer_id", "email", "phone").sort("customer_id")
    assert got.equals(expected(path))


def write_postgres(url: str, frame: pl.DataFrame) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            cols = ", ".join(
                f"{c} {'boolean' if c == 'marketing_opt_in' else 'text'}" for c in frame.columns
            )
            conn.execute(text(f"create table customers ({cols})"))
            marks = ", ".join(f":{c}" for c in frame.columns)
            conn.execute(
                text(f"insert into customers values ({marks})"),
                frame.to_dicts(),
            )
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_master(pg_database: str, demo_master: Path) -> None:
    write_postgres(pg_database, as_frame(demo_master))
    master = load_sql_master(pg_database, QUERY, chunk_rows=25)
    assert master.size == PEOPLE
    assert set(master.keys) == {
        Field.CUSTOMER_ID,
        Field.EMAIL,
        Field.PHONE,
        Field.SSN,
        Field.USERNAME,
    }
    check(master.frame, demo_master)
    assert master.label.startswith("postgresql://")
    assert "breachdesk-ci" not in master.label


@pytest.mark.postgres
def test_postgres_failing_query_names_host_not_credentials(pg_database: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        load_sql_master(pg_database, "select * from no_such_table")
    assert "table not found" in info.value.message
    host = make_url(pg_database).host or ""
    assert host in info.value.message
    password = make_url(pg_database).password or "unused-password"
    assert str(password) not in info.value.message


@pytest.mark.postgres
def test_postgres_duplicate_ids(pg_database: str, demo_master: Path) -> None:
    frame = as_frame(demo_master).head(3)
    write_postgres(pg_database, pl.concat([frame, frame.head(1)]))
    with pytest.raises(InvalidInputError, match=r"appear more than once \(rows 1, 4\)"):
        load_sql_master(pg_database, QUERY.replace(" order by customer_id", ""))


def test_unreachable_database() -> None:
    url = "postgresql+psycopg://someone:hunter2@127.0.0.1:1/crm"
    with pytest.raises(ConfigError) as info:
        load_customer_master(url, query="select 1")
    message = info.value.message
    assert "127.0.0.1:1/crm" in message
    assert "cannot connect" in message
    assert "hunter2" not in message
    assert "someone" not in message


def test_describe_hides_credentials() -> None:
    url = make_url("postgresql+psycopg://u:secret@db.example.org:5433/crm")
    assert describe(url) == "postgresql://db.example.org:5433/crm"


def test_bad_url_and_missing_driver() -> None:
    with pytest.raises(ConfigError, match="no driver"):
        load_customer_master("nosuchdb://x/y", query="select 1")


def test_missing_query(demo_master: Path) -> None:
    with pytest.raises(InvalidInputError, match="needs a query"):
        load_customer_master(f"sqlite:///{demo_master}")


def test_sqlite_master_and_missing_file(demo_master: Path, tmp_path: Path) -> None:
    master = load_customer_master(f"sqlite:///{demo_master}", query=QUERY)
    check(master.frame, demo_master)
    with pytest.raises(ConfigError, match="database file not found"):
        load_customer_master(f"sqlite:///{tmp_path / 'none.db'}", query=QUERY)
    with pytest.raises(InvalidInputError, match="query failed"):
        load_customer_master(f"sqlite:///{demo_master}", query="select * from nope")


def test_csv_and_parquet_masters(demo_master: Path, tmp_path: Path) -> None:
    frame = as_frame(demo_master)
    csv, parquet = tmp_path / "customers.csv", tmp_path / "customers.parquet"
    frame.write_csv(csv)
    frame.write_parquet(parquet)
    for path in (csv, parquet):
        master = load_customer_master(str(path), keys=["email", "phone", "ssn"])
        assert master.size == PEOPLE
        check(master.frame, demo_master)
    with pytest.raises(InvalidInputError, match="--query applies to database URLs only"):
        load_customer_master(str(csv), query="select 1")


def test_sqlite_file_with_one_table_needs_no_query(demo_master: Path, tmp_path: Path) -> None:
    master = load_customer_master(str(demo_master))
    check(master.frame, demo_master)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(InvalidInputError, match="0 tables; pass --query"):
        load_customer_master(str(empty))
