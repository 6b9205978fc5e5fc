"""Field encryption: round trip, and clear errors for a wrong key or an altered value."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.adapters.crypto import (
    FieldCipher,
    create_key_file,
    decode_key,
    encode_key,
    read_key_file,
)
from breachdesk.core.errors import ConfigError, CryptoError

KEY = bytes(range(32))


@given(st.text())
def test_round_trip(value: str) -> None:
    cipher = FieldCipher(KEY)
    token = cipher.encrypt(value, purpose="people.email")
    assert token.startswith("v1:")
    assert token != value
    assert cipher.decrypt(token, purpose="people.email") == value


def test_wrong_key_is_a_clear_error() -> None:
    token = FieldCipher(KEY).encrypt("someone@example.com", purpose="people.email")
    with pytest.raises(CryptoError, match="another key"):
        FieldCipher(os.urandom(32)).decrypt(token, purpose="people.email")


def test_altered_or_moved_value_fails_authentication() -> None:
    cipher = FieldCipher(KEY)
    token = cipher.encrypt("+1 555 0100", purpose="people.phone")
    with pytest.raises(CryptoError, match="authentication"):
        cipher.decrypt(token, purpose="people.email")
    body = token.rsplit(":", 1)[1]
    flipped = token[: -len(body)] + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(CryptoError):
        cipher.decrypt(flipped, purpose="people.phone")


def test_key_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "key"
    key = create_key_file(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_key_file(path) == key
    with pytest.raises(FileExistsError):
        create_key_file(path)


def test_bad_key_text_names_its_source() -> None:
    with pytest.raises(ConfigError, match="BREACHDESK_KEY"):
        decode_key("not-a-key", source="BREACHDESK_KEY")
    assert decode_key(encode_key(KEY), source="x") == KEY
