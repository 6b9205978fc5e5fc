"""Where each person lives: from the customer master, else inferred from the leak, else unknown."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

import phonenumbers
import polars as pl
from phonenumbers import geocoder

from breachdesk.identity.place import country_code, region_code

RESIDENCE_SCHEMA = pl.Schema(
    {
        "person_id": pl.String,
        "country": pl.String,
        "region": pl.String,
        "residence_source": pl.String,
    }
)
# An explicit country value outweighs a phone's calling code.
_COUNTRY_WEIGHT = 2
_PHONE_WEIGHT = 1


class ResidenceSource(StrEnum):
    """Where a residence came from; unknown residence is treated conservatively by the rules."""

    MASTER = "master"
    INFERRED = "inferred"
    UNKNOWN = "unknown"


def _parse_phone(value: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(value if value.startswith("+") else f"+{value}", None)
    except phonenumbers.NumberParseException:
        return None


def phone_country(value: str) -> str | None:
    """Country of an E.164 phone number (the region its number plan assigns), or None."""
    number = _parse_phone(value)
    region = phonenumbers.region_code_for_number(number) if number is not None else None
    return region if region and region != "ZZ" else None


def phone_place(value: str) -> str | None:
    """``CC`` or ``CC|CC-RR``: a phone's country and, in North America, its area's state or
    province (weak evidence: people keep their numbers when they move)."""
    number = _parse_phone(value)
    if number is None:
        return None
    country = phonenumbers.region_code_for_number(number)
    if not country or country == "ZZ":
        return None
    if country not in ("US", "CA"):
        return country
    area = geocoder.description_for_number(number, "en").rsplit(",", 1)[-1]
    region = region_code(country, area) if area else None
    return f"{country}|{region}" if region else country


def _map_unique(series: pl.Series, fn: Callable[[str], str | None]) -> pl.Series:
    """Apply a per-value function once per distinct value."""
    distinct = series.drop_nulls().unique()
    table = pl.DataFrame(
        {"v": distinct, "out": pl.Series([fn(v) for v in distinct.to_list()], dtype=pl.String)}
    )
    joined = series.to_frame("v").join(table, on="v", how="left", maintain_order="left")
    return joined.get_column("out")


def _regions(frame: pl.DataFrame) -> pl.Series:
    """ISO 3166-2 codes from ``country`` (codes, may be null) and raw ``region_raw`` columns."""
    pairs = frame.select("country", "region_raw").unique().drop_nulls("region_raw")
    codes = [region_code(c, r) for c, r in pairs.iter_rows()]
    table = pairs.with_columns(region=pl.Series(codes, dtype=pl.String))
    joined = frame.join(
        table, on=["country", "region_raw"], how="left", nulls_equal=True, maintain_order="left"
    )
    return joined.get_column("region")


def customer_residence(master: pl.DataFrame) -> pl.DataFrame:
    """``customer_id, country, region`` from the master's country and region columns."""
    frame = master.select(
        "customer_id",
        country_raw=pl.col("country") if "country" in master.columns else pl.lit(None, pl.String),
        region_raw=pl.col("region") if "region" in master.columns else pl.lit(None, pl.String),
    )
    frame = frame.with_columns(country=_map_unique(frame.get_column("country_raw"), country_code))
    return frame.with_columns(region=_regions(frame)).select("customer_id", "country", "region")


def inferred_residence(people: pl.DataFrame, contacts: pl.DataFrame) -> pl.DataFrame:
    """``person_id, country, region`` voted from leaked country, region and phone contacts.

    ``people``: person_id, record_id; ``contacts``: record_id, kind, value (decrypted).
    """
    evidence = people.join(contacts, on="record_id")
    country = evidence.filter(pl.col("kind") == "country")
    phone = evidence.filter(pl.col("kind") == "phone")
    phone = phone.with_columns(
        place=_map_unique(phone.get_column("value"), phone_place).str.split("|")
    ).select(
        "person_id",
        code=pl.col("place").list.get(0),
        area=pl.col("place").list.get(1, null_on_oob=True),
    )
    votes = pl.concat(
        [
            country.select(
                "person_id",
                code=_map_unique(country.get_column("value"), country_code),
                weight=pl.lit(_COUNTRY_WEIGHT),
            ),
            phone.select("person_id", "code", weight=pl.lit(_PHONE_WEIGHT)),
        ]
    ).drop_nulls("code")
    best = (
        votes.group_by("person_id", "code")
        .agg(pl.col("weight").sum())
        .sort(["person_id", "weight", "code"], descending=[False, True, False])
        .group_by("person_id", maintain_order=True)
        .agg(country=pl.col("code").first())
    )
    regions = (
        evidence.filter(pl.col("kind") == "region")
        .select("person_id", region_raw="value")
        .join(best, on="person_id", how="left")
    )
    regions = regions.with_columns(region=_regions(regions)).drop_nulls("region")
    stated = regions.group_by("person_id").agg(pl.col("region").mode().sort().first())
    # A phone's area counts only when it agrees with the chosen country and nothing is stated.
    areas = (
        phone.drop_nulls("area")
        .join(best, on="person_id")
        .filter(pl.col("area").str.starts_with(pl.col("country") + "-"))
        .group_by("person_id")
        .agg(area=pl.col("area").mode().sort().first())
    )
    return (
        best.join(stated, on="person_id", how="full", coalesce=True)
        .join(areas, on="person_id", how="left")
        .with_columns(
            region=pl.coalesce("region", "area"),
        )
        .with_columns(country=pl.coalesce("country", pl.col("region").str.split("-").list.first()))
        .select("person_id", "country", "region")
    )
