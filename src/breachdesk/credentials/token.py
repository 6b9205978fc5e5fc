"""Reset-link tokens: signed, expiring, bound to one account and one issue (single use is kept
by the store, which records the click and refuses a second one).

A token is ``<payload>.<mac>``: the payload is URL-safe base64 of ``account:nonce:expiry`` and
the MAC is an HMAC computed by the caller with a workspace-derived key (``KeyedHasher`` with
purpose ``reset-link``), so this module never sees a key.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

Mac = Callable[[str], str]
PURPOSE = "reset-link"


class TokenError(ValueError):
    """A reset token that cannot be accepted; the message says why, never the token."""


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a valid token says: which reset account, which issue, valid until when."""

    account_id: int
    nonce: str
    expires_at: datetime


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def _unb64(text: str) -> str:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")


def new_nonce() -> str:
    """A fresh random nonce for one issued link."""
    return secrets.token_urlsafe(12)


def issue(account_id: int, nonce: str, expires_at: datetime, mac: Mac) -> str:
    """A signed token for one reset account, valid until ``expires_at``."""
    payload = _b64(f"{account_id}:{nonce}:{int(expires_at.timestamp())}")
    return f"{payload}.{mac(payload)}"


def validate(token: str, *, now: datetime, mac: Mac) -> TokenClaims:
    """The claims of a well-signed, unexpired token; ``TokenError`` otherwise."""
    payload, dot, signature = token.strip().partition(".")
    if not dot or not payload or not signature:
        raise TokenError("malformed reset token")
    if not hmac.compare_digest(mac(payload).encode(), signature.encode("utf-8", "replace")):
        raise TokenError("reset token signature does not match")
    try:
        account, nonce, expiry = _unb64(payload).split(":")
        claims = TokenClaims(int(account), nonce, datetime.fromtimestamp(int(expiry), UTC))
    except (ValueError, UnicodeDecodeError):
        raise TokenError("malformed reset token") from None
    if now >= claims.expires_at:
        raise TokenError("reset token has expired")
    return claims
