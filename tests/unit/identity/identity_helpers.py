"""Shared helpers for identity tests: a fake keyed hash and frames built from plain rows."""

from __future__ import annotations

import hashlib

import polars as pl

from breachdesk.identity.mapping import map_columns
from breachdesk.identity.master import CustomerMaster, mapped_frame, validate_master


def fake_key_of(kind: str, raw: str) -> str | None:
    """A stand-in for normalise-then-HMAC: case and spacing folded, kind mixed in."""
    value = " ".join(raw.split()).lower()
    return hashlib.sha256(f"{kind}\x00{value}".encode()).hexdigest() if value else None


def record_keys(rows: list[tuple[int, str, str]]) -> pl.DataFrame:
    """A record_keys frame from (record_id, kind, raw value) rows, hashed with the fake."""
    return pl.DataFrame(
        {
            "record_id": [r for r, _, _ in rows],
            "kind": [k for _, k, _ in rows],
            "keyed_hash": [fake_key_of(k, v) for _, k, v in rows],
        },
        schema={"record_id": pl.Int64, "kind": pl.String, "keyed_hash": pl.String},
    )


def make_master(data: dict[str, list[str | None]], keys: list[str] | None = None) -> CustomerMaster:
    """A validated master from columns with arbitrary headers."""
    frame = pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))
    mapping = map_columns(frame.columns)
    return validate_master(mapped_frame(frame.lazy(), mapping).collect(), mapping, keys, "test")
