"""Column types: aware-UTC datetimes on every backend, and encrypted text."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Engine, Text
from sqlalchemy.types import TypeDecorator

from breachdesk.adapters.crypto import FieldCipher
from breachdesk.adapters.keyring import Keyring, install
from breachdesk.core.errors import CryptoError


class _NoValuesInSqlLogs(logging.Filter):
    """Keeps SQLAlchemy's logs free of values: no result rows, no bound parameters.

    Engines hide parameters themselves; this also covers engines made elsewhere (a customer
    master, a reset provider's database) when someone turns SQL logging up to DEBUG.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG:  # "Row (...)" lines: decrypted values
            return False
        if record.msg == "[%s] %r" and isinstance(record.args, tuple) and len(record.args) == 2:
            record.args = (record.args[0], "[parameters hidden]")
        return True


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoValuesInSqlLogs())

_CIPHER_ATTR = "breachdesk_cipher"
_HOOKED_ATTR = "breachdesk_key_hooks"


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; returns aware UTC even where the backend drops the zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("UtcDateTime refuses naive datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def install_cipher(engine: Engine, cipher: FieldCipher) -> None:
    """Make ``cipher`` (with per-incident data keys it wraps) the one EncryptedText columns use."""
    setattr(engine.dialect, _CIPHER_ATTR, Keyring(cipher))
    if not getattr(engine.dialect, _HOOKED_ATTR, False):  # one hook; it reads the current ring
        install(engine, lambda: engine_keyring(engine))
        setattr(engine.dialect, _HOOKED_ATTR, True)


def engine_keyring(engine: Engine) -> Keyring:
    """The keyring installed on an engine."""
    keyring = getattr(engine.dialect, _CIPHER_ATTR, None)
    if not isinstance(keyring, Keyring):
        raise CryptoError("no workspace key configured for encrypted columns")
    return keyring


def _cipher(dialect: Dialect, purpose: str) -> Keyring:
    cipher = getattr(dialect, _CIPHER_ATTR, None)
    if not isinstance(cipher, Keyring):
        raise CryptoError(f"{purpose}: no workspace key configured for encrypted columns")
    return cipher


class EncryptedText(TypeDecorator[str]):
    """Text encrypted at rest (AES-256-GCM, column name bound as AAD) with the incident's key."""

    impl = Text
    cache_ok = True

    def __init__(self, purpose: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _cipher(dialect, self.purpose).encrypt(value, purpose=self.purpose)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _cipher(dialect, self.purpose).decrypt(value, purpose=self.purpose)
