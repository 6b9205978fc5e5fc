"""Engine set-up (SQLite locking, PostgreSQL) and the SQL unit of work."""

from __future__ import annotations

import sqlite3
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from breachdesk.adapters.sql.campaigns import SqlCampaigns
from breachdesk.adapters.sql.findings import SqlFindings
from breachdesk.adapters.sql.investigation import SqlInvestigation
from breachdesk.adapters.sql.obligations import SqlObligations
from breachdesk.adapters.sql.outbox import SqlOutbox
from breachdesk.adapters.sql.people import SqlPeople
from breachdesk.adapters.sql.protect import SqlProtect
from breachdesk.adapters.sql.repositories import (
    SqlAuditLog,
    SqlDecisions,
    SqlEvidence,
    SqlIncidents,
    SqlTasks,
)
from breachdesk.adapters.sql.resets import SqlResets
from breachdesk.adapters.sql.scans import SqlScans
from breachdesk.adapters.sql.schedules import SqlSchedules
from breachdesk.adapters.sql.timeline import SqlLogs
from breachdesk.adapters.sql.users import SqlUsers
from breachdesk.core.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 120_000


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE: writers then queue on the lock
    # instead of failing on upgrade from a read lock.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create an engine for a SQLAlchemy URL, with serialised writers on SQLite."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError("BREACHDESK_DATABASE_URL: not a database URL") from None
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        # SQL parameters carry personal data (and keys): never put them in logs or errors
        engine = create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise ConfigError(f"database URL for {parsed.get_backend_name()}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


class SqlUnitOfWork:
    """One database transaction exposing every repository; rolled back unless committed."""

    incidents: SqlIncidents
    tasks: SqlTasks
    decisions: SqlDecisions
    evidence: SqlEvidence
    audit: SqlAuditLog
    scans: SqlScans
    people: SqlPeople
    obligations: SqlObligations
    outbox: SqlOutbox
    logs: SqlLogs
    investigation: SqlInvestigation
    campaigns: SqlCampaigns
    users: SqlUsers
    protect: SqlProtect
    findings: SqlFindings
    resets: SqlResets

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __enter__(self) -> Self:
        self._conn = self._engine.connect()
        self._tx = self._conn.begin()
        self.incidents = SqlIncidents(self._conn)
        self.tasks = SqlTasks(self._conn)
        self.decisions = SqlDecisions(self._conn)
        self.evidence = SqlEvidence(self._conn)
        self.audit = SqlAuditLog(self._conn)
        self.scans = SqlScans(self._conn)
        self.people = SqlPeople(self._conn)
        self.obligations = SqlObligations(self._conn)
        self.outbox = SqlOutbox(self._conn)
        self.logs = SqlLogs(self._conn)
        self.investigation = SqlInvestigation(self._conn)
        self.campaigns = SqlCampaigns(self._conn)
        self.users = SqlUsers(self._conn)
        self.findings = SqlFindings(self._conn)
        self.schedules = SqlSchedules(self._conn)
        self.resets = SqlResets(self._conn)
        self.protect = SqlProtect(self._conn, self._engine)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._tx.is_active:
                self._tx.rollback()
        finally:
            self._conn.close()

    def commit(self) -> None:
        """Commit the transaction."""
        self._tx.commit()


class SqlUnitOfWorkFactory:
    """Creates a unit of work per user action on one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)
