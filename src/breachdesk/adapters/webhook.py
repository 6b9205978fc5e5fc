"""Signed HTTP delivery shared by the gateway transports: HMAC signatures, verdicts, pooled posts.

A signed request carries ``X-Breachdesk-Timestamp`` (Unix seconds) and ``X-Breachdesk-Signature:
sha256=<hex>``, the HMAC-SHA256 under the shared secret of ``<timestamp>.<body>``. Receivers check
it with ``verify_signature`` (or the same three lines in their language) and refuse old timestamps,
so a captured request cannot be replayed later. ``Idempotency-Key`` carries the message's stable
Message-ID, so a resend after a crash can be recognised.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any

import httpx

from breachdesk.core.clock import Clock
from breachdesk.core.delivery import Receipt, Verdict

SIGNATURE_HEADER = "X-Breachdesk-Signature"
TIMESTAMP_HEADER = "X-Breachdesk-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
TOLERANCE_SECONDS = 300

_ADDRESS = re.compile(r"[^\s<>\"',;:]+@[^\s<>\"',;]+")
_NUMBER = re.compile(r"(?<![\w+(])[+(]?\d[\d ().-]{5,}\d")
# refused credentials or an unknown account are configuration trouble, not the recipient's:
# deferring keeps the message for a retry once fixed, instead of falling back for everyone
_TEMPORARY_4XX = frozenset({401, 403, 404, 408, 409, 423, 425, 429})


def scrub(response: str) -> str:
    """A gateway response with addresses and phone numbers replaced, safe to store and show."""
    return _NUMBER.sub("<number>", _ADDRESS.sub("<address>", response))[:500]


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The signature header value of a request body sent at ``timestamp``."""
    mac = hmac.new(secret, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: bytes,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    now: float,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether a received request was signed with ``secret`` within ``tolerance`` seconds."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)


def verdict_for(status: int) -> Verdict:
    """Accepted on 2xx; temporary on 5xx, rate limits and configuration refusals; else permanent."""
    if 200 <= status < 300:
        return Verdict.ACCEPTED
    if status >= 500 or status in _TEMPORARY_4XX or status < 200:
        return Verdict.TEMPORARY
    return Verdict.PERMANENT


def failure_receipt(exc: Exception) -> Receipt:
    """A temporary receipt for a request that got no HTTP answer (refused, timed out, reset)."""
    if isinstance(exc, httpx.TimeoutException):
        what = "timed out"
    elif isinstance(exc, httpx.ConnectError):
        what = "connection failed"
    else:
        what = type(exc).__name__
    return Receipt(Verdict.TEMPORARY, f"no answer: {what}")


def answer_of(response: httpx.Response, *fields: str) -> str:
    """``HTTP <status>`` plus the named fields of a JSON answer (scrubbed), for the ledger."""
    parts = [f"HTTP {response.status_code}"]
    try:
        data = response.json()
    except (ValueError, UnicodeDecodeError):
        data = None
    if isinstance(data, Mapping):
        parts += [f"{name}={data[name]}" for name in fields if data.get(name) not in (None, "")]
    elif response.status_code >= 300 and response.text:
        parts.append(response.text[:200])
    return scrub(" ".join(parts))


class SignedPoster:
    """Posts signed JSON to one URL over a pooled, thread-safe HTTP client."""

    def __init__(
        self, url: str, secret: bytes, clock: Clock, *, timeout: float, connections: int = 16
    ) -> None:
        self._url = url
        self._secret = secret
        self._clock = clock
        self._client = httpx.Client(
            timeout=timeout,
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        )

    def post(self, payload: Mapping[str, Any], idempotency_key: str, *fields: str) -> Receipt:
        """Sign and send one payload; a receipt for every outcome, never an exception."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp = int(self._clock.now().timestamp())
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(self._secret, timestamp, body),
            IDEMPOTENCY_HEADER: idempotency_key,
        }
        try:
            response = self._client.post(self._url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return failure_receipt(exc)
        return Receipt(
            verdict_for(response.status_code),
            answer_of(response, *fields),
            idempotency_key,
        )

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()
