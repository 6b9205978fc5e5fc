"""Helpers shared by the built-in providers: configuration checks and scrubbing responses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from breachdesk.credentials.provider import ProviderError

# Keys whose literal values would be secrets: configuration must name a variable instead.
_SECRET_WORDS = ("password", "secret", "token", "apikey", "api_key", "credential")


def refuse_literal_secrets(config: Mapping[str, Any]) -> None:
    """Refuse a configuration that holds a secret in clear (only ``*_env`` names are allowed)."""
    for key in config:
        lowered = key.lower()
        if any(w in lowered for w in _SECRET_WORDS) and not lowered.endswith("_env"):
            raise ProviderError(
                f"configuration key {key!r} would store a secret in clear; "
                f"use {key}_env naming an environment variable"
            )


def require(config: Mapping[str, Any], *keys: str) -> None:
    """Fail with the names of missing configuration keys."""
    missing = [k for k in keys if not config.get(k)]
    if missing:
        raise ProviderError(f"missing configuration: {', '.join(missing)}")


def scrub(text: str, *secrets: str | None, limit: int = 500) -> str:
    """A provider response safe to store: given values replaced, length bounded."""
    for value in secrets:
        if value:
            text = text.replace(value, "***")
    return " ".join(text.split())[:limit]
