"""HMAC signatures of webhook requests and completion callbacks (both directions)."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Breachdesk-Signature"
TIMESTAMP_HEADER = "X-Breachdesk-Timestamp"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value of a body sent at ``timestamp`` (unix seconds)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """Whether a request carries the right signature for its body and timestamp."""
    expected = signature(secret, timestamp, body).encode()
    return hmac.compare_digest(expected, header.encode("utf-8", "replace"))
