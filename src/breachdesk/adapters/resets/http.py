"""HTTP helpers of the HTTP providers: retries with backoff on temporary failures."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from breachdesk.credentials.provider import ProviderError

TEMPORARY = frozenset({408, 425, 429, 500, 502, 503, 504})


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    retries: int = 3,
    backoff: float = 0.2,
    sleep: Callable[[float], None] = time.sleep,
    **kwargs: Any,
) -> httpx.Response:
    """One request, retried on connection trouble and temporary statuses; the last answer wins.

    Raises ``ProviderError`` only when no answer came at all.
    """
    last: httpx.Response | None = None
    for attempt in range(retries + 1):
        try:
            last = client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            if attempt == retries:
                raise ProviderError(f"unreachable: {type(exc).__name__}") from None
        else:
            if last.status_code not in TEMPORARY:
                return last
        if attempt < retries:
            sleep(backoff * 2**attempt)
    assert last is not None  # noqa: S101 - the loop either returned, raised or set it
    return last
