"""Keyed hashes of the customer master's key columns, computed once per distinct value."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import phonenumbers
import polars as pl

from breachdesk.identity.master import CustomerMaster
from breachdesk.identity.place import country_code

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


def _international(raw: str, country: str) -> str:
    """A national-format phone written in E.164 using the customer's country, when it parses."""
    try:
        number = phonenumbers.parse(raw, country)
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_valid_number(number):
        return raw
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def local_phones(frame: pl.DataFrame) -> pl.Series:
    """The phone column with national-format numbers made international by the row's country.

    A master keeps ``030 1234567`` beside ``country = DE``; the per-value normaliser cannot
    know the country, so the number is put in E.164 here first (once per distinct pair).
    """
    phones = frame.get_column("phone")
    if "country" not in frame.columns:
        return phones
    countries = frame.get_column("country").drop_nulls().unique().to_list()
    codes = {c: country_code(c) for c in countries}
    pairs = frame.select(
        raw="phone",
        cc=pl.col("country").replace_strict(codes, default=None, return_dtype=pl.String),
    )
    national = pairs.filter(
        pl.col("raw").is_not_null()
        & pl.col("cc").is_not_null()
        & ~pl.col("raw").str.strip_chars_start().str.starts_with("+")
    ).unique()
    if national.height == 0:
        return phones
    fixed = national.with_columns(
        e164=pl.Series([_international(r, c) for r, c in national.iter_rows()], dtype=pl.String)
    )
    return (
        pairs.join(fixed, on=["raw", "cc"], how="left", nulls_equal=True, maintain_order="left")
        .select(pl.coalesce("e164", "raw"))
        .to_series()
        .alias("phone")
    )


def _hash_column(frame: pl.DataFrame, kind: str, keys_of: KeysOf) -> pl.DataFrame:
    raw = local_phones(frame) if kind == "phone" else frame.get_column(kind)
    pairs = pl.DataFrame({"customer_id": frame.get_column("customer_id"), "raw": raw}).drop_nulls(
        "raw"
    )
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
