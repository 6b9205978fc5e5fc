"""Workspace on disk: folder, key file, database schema and key check."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from breachdesk.adapters.crypto import FieldCipher, create_key_file, decode_key, read_key_file
from breachdesk.adapters.sql import migrate
from breachdesk.adapters.sql.tables import workspace_meta
from breachdesk.core.errors import ConfigError

KEY_FILE = "key"
KEY_CHECK = "key_fingerprint"


@dataclass(frozen=True, slots=True)
class Layout:
    """Paths inside a workspace folder."""

    home: Path

    @property
    def key_file(self) -> Path:
        """The encryption key file (mode 0600)."""
        return self.home / KEY_FILE

    @property
    def key_store(self) -> Path:
        """The key-encryption keys of incident data keys, sealed by the workspace key (0600)."""
        return self.home / "keks"

    @property
    def evidence(self) -> Path:
        """Root of the evidence store."""
        return self.home / "evidence"


def load_key(layout: Layout, env_key: str | None) -> bytes:
    """The key from ``BREACHDESK_KEY`` if set, else from the workspace key file."""
    if env_key:
        return decode_key(env_key, source="BREACHDESK_KEY")
    return read_key_file(layout.key_file)


def prepare_home(layout: Layout, env_key: str | None) -> tuple[bytes, bool]:
    """Create the folder and, unless a key is given by environment, the key file."""
    layout.home.mkdir(parents=True, exist_ok=True)
    os.chmod(layout.home, 0o700)
    layout.evidence.mkdir(exist_ok=True)
    os.chmod(layout.evidence, 0o700)
    database = layout.home / "breachdesk.db"
    if not database.exists():  # SQLite creates -wal/-shm files with the database's mode
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
    if env_key:
        return decode_key(env_key, source="BREACHDESK_KEY"), False
    if layout.key_file.exists():
        return read_key_file(layout.key_file), False
    return create_key_file(layout.key_file), True


def initialise_schema(engine: Engine, cipher: FieldCipher) -> bool:
    """Migrate to head and record the key fingerprint; return True if the schema was new."""
    try:
        fresh = migrate.current_revision(engine) is None
        migrate.upgrade(engine)
    except OperationalError as exc:
        raise ConfigError(f"database cannot be opened or created ({exc.orig})") from None
    with engine.begin() as conn:
        stored = conn.execute(
            select(workspace_meta.c.value).where(workspace_meta.c.key == KEY_CHECK)
        ).scalar()
        if stored is None:
            conn.execute(insert(workspace_meta).values(key=KEY_CHECK, value=cipher.fingerprint))
        elif stored != cipher.fingerprint:
            raise ConfigError(
                f"the key (fingerprint {cipher.fingerprint}) is not this "
                f"database's key (fingerprint {stored})"
            )
    return fresh


def check_schema(engine: Engine, cipher: FieldCipher, *, where: str) -> None:
    """Refuse an uninitialised database or a wrong key; migrate an older schema forward."""
    try:
        current = migrate.current_revision(engine)
    except SQLAlchemyError:
        raise ConfigError(f"database for {where} cannot be opened") from None
    if current is None:
        raise ConfigError(f"no workspace at {where}: run `breachdesk init` first")
    if current != migrate.head_revision():
        migrate.upgrade(engine)
    with engine.connect() as conn:
        stored = conn.execute(
            select(workspace_meta.c.value).where(workspace_meta.c.key == KEY_CHECK)
        ).scalar()
    if stored != cipher.fingerprint:
        raise ConfigError(
            f"wrong key for {where}: the key's fingerprint is "
            f"{cipher.fingerprint}, the workspace expects {stored}; set "
            "BREACHDESK_KEY to the key used at init or restore the key file"
        )
