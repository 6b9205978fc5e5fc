"""Schema, column types and the audit chain through a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pydantic import SecretStr
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text

from breachdesk.adapters.crypto import FieldCipher, encode_key
from breachdesk.adapters.sql.tables import metadata
from breachdesk.adapters.sql.types import EncryptedText, UtcDateTime, install_cipher
from breachdesk.adapters.sql.uow import make_engine
from breachdesk.bootstrap import Workspace, init_workspace, open_workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.core.errors import ConfigError, CryptoError

T0 = datetime(2026, 11, 20, 9, 30, 0, 123456, tzinfo=UTC)


def test_migrations_from_empty_match_the_tables(workspace: Workspace) -> None:
    with workspace.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == []


def test_times_come_back_aware_utc(workspace: Workspace) -> None:
    paris = timezone(timedelta(hours=1))
    incident = workspace.cases.open_incident(
        IncidentDraft("t", T0.astimezone(paris), occurred_from=T0 - timedelta(days=2)), actor="a"
    )
    again = workspace.cases.show(incident.id).incident
    assert again.discovered_at == T0
    assert again.discovered_at.tzinfo is UTC
    assert again.occurred_from == T0 - timedelta(days=2)


def test_encrypted_column_round_trip_and_wrong_key(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url()) if settings.database_url else None
    if engine is None:
        settings.home.mkdir(parents=True)
        engine = make_engine(f"sqlite:///{settings.home / 'enc.db'}")
    table = Table(
        "contacts",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("email", EncryptedText("contacts.email")),
        Column("seen", UtcDateTime),
    )
    table.create(engine)
    install_cipher(engine, FieldCipher(bytes(32)))
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, email="ana@example.com", seen=T0))
        raw = conn.execute(text("SELECT email FROM contacts")).scalar_one()
        assert "ana@example.com" not in raw
        assert conn.execute(select(table.c.email)).scalar_one() == "ana@example.com"
    install_cipher(engine, FieldCipher(os.urandom(32)))
    with engine.connect() as conn, pytest.raises(CryptoError, match=r"contacts\.email"):
        conn.execute(select(table.c.email)).scalar_one()
    engine.dispose()


def test_wrong_or_missing_key_is_refused(settings: Settings) -> None:
    init_workspace(settings)
    (settings.home / "key").rename(settings.home / "key.bak")
    with pytest.raises(ConfigError, match="key file is missing"):
        open_workspace(settings)
    wrong = settings.model_copy(update={"key": SecretStr(encode_key(os.urandom(32)))})
    with pytest.raises(ConfigError, match="wrong key"):
        open_workspace(wrong)


def test_missing_workspace_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="breachdesk init"):
        open_workspace(Settings(home=tmp_path / "none"))
    assert not (tmp_path / "none").exists()


def test_init_twice_is_harmless(settings: Settings) -> None:
    first = init_workspace(settings)
    second = init_workspace(settings)
    assert first.created_schema
    assert not second.created_schema
    ws = open_workspace(settings)
    try:
        report = ws.audit.verify()
        assert report.ok
        assert report.entries == 1
    finally:
        ws.close()
