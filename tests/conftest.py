"""Shared fixtures: workspaces on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from breachdesk.bootstrap import Workspace, init_workspace, open_workspace
from breachdesk.config import Settings

# Tests check behaviour, never speed: no per-example deadline (CI machines are shared and slow).
settings.register_profile("breachdesk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("breachdesk")

PG_URL_VAR = "BREACHDESK_TEST_POSTGRES_URL"
PG_REQUIRED_VAR = "BREACHDESK_REQUIRE_POSTGRES"


def _pg_admin_url() -> str | None:
    url = os.environ.get(PG_URL_VAR)
    if url:
        return url
    if os.environ.get(PG_REQUIRED_VAR) == "1":
        pytest.fail(f"{PG_REQUIRED_VAR}=1 but {PG_URL_VAR} is not set")
    pytest.skip(
        f"no PostgreSQL configured: set {PG_URL_VAR} (e.g. "
        "postgresql+psycopg://user:pass@127.0.0.1/postgres) to run this test"
    )
    return None


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(_pg_admin_url() or "")
    name = f"bd_test_{uuid.uuid4().hex[:12]}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(conninfo, name)


def _drop_database(conninfo: str, name: str) -> None:
    """Drop a test database; a background worker (autovacuum) in it may delay the drop."""
    import psycopg

    for attempt in range(20):
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            # a worker of another role we may not end: it finishes on its own shortly
            if attempt == 19:
                raise
            time.sleep(0.5)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a new workspace, on each database backend."""
    url = request.getfixturevalue("pg_database") if request.param == "postgres" else None
    return Settings(home=tmp_path / "ws", database_url=url, actor="tester", key=None)


@pytest.fixture
def workspace(settings: Settings) -> Iterator[Workspace]:
    """An initialised, opened workspace."""
    init_workspace(settings)
    ws = open_workspace(settings)
    try:
        yield ws
    finally:
        ws.close()
