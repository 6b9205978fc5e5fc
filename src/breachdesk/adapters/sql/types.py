"""Column types: aware-UTC datetimes on every backend, and encrypted text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Engine, Text
from sqlalchemy.types import TypeDecorator

from breachdesk.adapters.crypto import FieldCipher
from breachdesk.core.errors import CryptoError

_CIPHER_ATTR = "breachdesk_cipher"


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
    """Make ``cipher`` the one EncryptedText columns of this engine use."""
    setattr(engine.dialect, _CIPHER_ATTR, cipher)


def _cipher(dialect: Dialect, purpose: str) -> FieldCipher:
    cipher = getattr(dialect, _CIPHER_ATTR, None)
    if not isinstance(cipher, FieldCipher):
        raise CryptoError(f"{purpose}: no workspace key configured for encrypted columns")
    return cipher


class EncryptedText(TypeDecorator[str]):
    """Text encrypted at rest with the workspace key (AES-256-GCM, column name bound as AAD)."""

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
