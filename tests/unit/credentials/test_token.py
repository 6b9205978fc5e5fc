"""Reset-link tokens: signed, expiring, bound to account and issue."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.credentials.token import TokenError, issue, new_nonce, validate

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def mac(payload: str, key: bytes = b"k" * 32) -> str:
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def test_round_trip() -> None:
    nonce = new_nonce()
    token = issue(42, nonce, NOW + timedelta(days=1), mac)
    claims = validate(token, now=NOW, mac=mac)
    assert (claims.account_id, claims.nonce) == (42, nonce)
    assert claims.expires_at == NOW + timedelta(days=1)


def test_expired_token_is_refused() -> None:
    token = issue(1, "n", NOW, mac)
    with pytest.raises(TokenError, match="expired"):
        validate(token, now=NOW, mac=mac)


def test_other_key_is_refused() -> None:
    token = issue(1, "n", NOW + timedelta(hours=1), mac)
    with pytest.raises(TokenError, match="signature"):
        validate(token, now=NOW, mac=lambda p: mac(p, b"x" * 32))


@given(st.integers(0, 10**9), st.text(min_size=1, max_size=60), st.integers(0, 200))
def test_any_single_character_change_is_refused(account: int, junk: str, where: int) -> None:
    token = issue(account, new_nonce(), NOW + timedelta(days=1), mac)
    i = where % len(token)
    replacement = "A" if token[i] != "A" else "B"
    tampered = token[:i] + replacement + token[i + 1 :]
    with pytest.raises(TokenError):
        validate(tampered, now=NOW, mac=mac)
    with pytest.raises(TokenError):
        validate(junk, now=NOW, mac=mac)
