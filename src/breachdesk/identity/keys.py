"""Keyed hashes of the customer master's key columns, computed once per distinct value."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from breachdesk.identity.master import CustomerMaster

#: ``key_of(kind, raw)``: the keyed hash of the normalised value, None when it is not usable.
KeyOf = Callable[[str, str], str | None]
#: ``keys_of(kind, raws)``: the same for many values at once (lets a caller parallelise).
KeysOf = Callable[[str, Sequence[str]], Sequence[str | None]]

KEY_SCHEMA = pl.Schema({"customer_id": pl.String, "kind": pl.String, "keyed_hash": pl.String})
RECORD_KEY_SCHEMA = pl.Schema({"record_id": pl.Int64, "kind": pl.String, "keyed_hash": pl.String})


def batched(key_of: KeyOf) -> KeysOf:
    """A many-values hasher from a per-value one."""

    def keys_of(kind: str, raws: Sequence[str]) -> list[str | None]:
        """Hash each value in turn."""
        return [key_of(kind, raw) for raw in raws]

    return keys_of


def _hash_column(frame: pl.DataFrame, kind: str, keys_of: KeysOf) -> pl.DataFrame:
    pairs = frame.select("customer_id", pl.col(kind).alias("raw")).drop_nulls("raw")
    distinct = pairs.get_column("raw").unique(maintain_order=True)
    hashes = pl.Series("keyed_hash", list(keys_of(kind, distinct.to_list())), dtype=pl.String)
    lookup = pl.DataFrame({"raw": distinct, "keyed_hash": hashes}).drop_nulls("keyed_hash")
    return (
        pairs.join(lookup, on="raw", how="inner")
        .select("customer_id", pl.lit(kind).alias("kind"), "keyed_hash")
        .unique()
    )


def hash_master(
    master: CustomerMaster,
    key_of: KeyOf | None = None,
    *,
    keys_of: KeysOf | None = None,
    fields: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Long frame ``customer_id, kind, keyed_hash`` of every key value of every customer.

    ``fields`` defaults to the master's linking keys (add date_of_birth and postal_code for fuzzy
    matching). Pass either ``key_of`` (called once per distinct value) or ``keys_of`` (called
    once per kind with all distinct values, e.g. to spread the work over processes).
    """
    if keys_of is None:
        if key_of is None:
            raise TypeError("hash_master needs key_of or keys_of")
        keys_of = batched(key_of)
    kinds = [k.value for k in master.keys] if fields is None else list(dict.fromkeys(fields))
    parts = [_hash_column(master.frame, k, keys_of) for k in kinds if k in master.frame.columns]
    if not parts:
        return pl.DataFrame(schema=KEY_SCHEMA)
    return pl.concat(parts).cast(KEY_SCHEMA)
