"""Canonical JSON: one byte string per value, so hashes are stable across databases."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def canonical_json(value: Mapping[str, Any] | list[Any]) -> str:
    """Serialise with sorted keys, no whitespace and real Unicode; rejects NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def digest(value: Mapping[str, Any] | list[Any]) -> str:
    """SHA-256 hex digest of the canonical JSON of ``value``."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()
