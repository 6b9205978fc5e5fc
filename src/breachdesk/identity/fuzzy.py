"""Optional fuzzy linking of unknown individuals: same date of birth, similar name, postal code."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from rapidfuzz import fuzz, process

DOB = "date_of_birth"
POSTAL = "postal_code"
FUZZY_SCHEMA = pl.Schema(
    {
        "component": pl.Int64(),
        "customer_id": pl.String(),
        "score": pl.Float64(),
        "review": pl.Boolean(),
        "tie": pl.Boolean(),
        "candidates": pl.List(pl.String()),
    }
)


@dataclass(frozen=True, slots=True)
class FuzzySettings:
    """Weights and thresholds of the fuzzy score (0..1); the date of birth must match exactly."""

    name_weight: float = 0.7
    dob_weight: float = 0.2
    postal_weight: float = 0.1
    threshold: float = 0.8  # below this a pair is not a candidate
    margin: float = 0.05  # the best must beat the runner-up by this much, else it is a tie
    sure: float = 0.97  # at or above this (and no runner-up) no review is requested


def fold_name(expr: pl.Expr) -> pl.Expr:
    """A name folded for comparison: accents stripped, case folded, spacing collapsed."""
    return (
        expr.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
        .str.strip_chars()
    )


def _first_key(record_keys: pl.DataFrame, kind: str, id_col: str) -> pl.DataFrame:
    return (
        record_keys.filter(pl.col("kind") == kind)
        .group_by(id_col)
        .agg(pl.col("keyed_hash").min().alias(kind))
    )


def _pairs(
    unknown: pl.DataFrame,
    record_keys: pl.DataFrame,
    record_names: pl.DataFrame,
    master_keys: pl.DataFrame,
    master_names: pl.DataFrame,
) -> pl.DataFrame:
    """Candidate pairs blocked on date of birth, with both folded names and postal hashes."""
    rec = (
        unknown.select("record_id", "component")
        .join(record_names.select("record_id", name=fold_name(pl.col("name"))), on="record_id")
        .join(_first_key(record_keys, DOB, "record_id"), on="record_id")
        .join(_first_key(record_keys, POSTAL, "record_id"), on="record_id", how="left")
    )
    cust = (
        _first_key(master_keys, DOB, "customer_id")
        .join(_first_key(master_keys, POSTAL, "customer_id"), on="customer_id", how="left")
        .join(
            master_names.select("customer_id", master_name=fold_name(pl.col("name"))),
            on="customer_id",
        )
    )
    return rec.join(cust, on=DOB, suffix="_m").filter(
        pl.col("name").str.len_chars() > 0, pl.col("master_name").str.len_chars() > 0
    )


def fuzzy_matches(
    unknown: pl.DataFrame,
    record_keys: pl.DataFrame,
    record_names: pl.DataFrame,
    master_keys: pl.DataFrame,
    master_names: pl.DataFrame,
    settings: FuzzySettings = FuzzySettings(),
) -> pl.DataFrame:
    """Best customer per unknown component (``FUZZY_SCHEMA``); ties are flagged, not resolved.

    ``unknown``: record_id, component; ``record_names``: record_id, name (leaked, decrypted);
    ``master_names``: customer_id, name. Keys frames carry ``date_of_birth``/``postal_code`` kinds.
    """
    pairs = _pairs(unknown, record_keys, record_names, master_keys, master_names)
    if pairs.height == 0:
        return pl.DataFrame(schema=FUZZY_SCHEMA)
    similarity = process.cpdist(
        pairs.get_column("name").to_list(),
        pairs.get_column("master_name").to_list(),
        scorer=fuzz.token_sort_ratio,
        workers=-1,
    )
    s = settings
    postal_same = (pl.col(POSTAL) == pl.col(f"{POSTAL}_m")).fill_null(False)
    scored = (
        pairs.with_columns(
            score=pl.Series(similarity, dtype=pl.Float64) / 100 * s.name_weight
            + s.dob_weight
            + postal_same.cast(pl.Float64) * s.postal_weight
        )
        .with_columns(pl.col("score").round(4))
        .filter(pl.col("score") >= s.threshold)
    )
    best = (
        scored.group_by("component", "customer_id")
        .agg(pl.col("score").max())
        .sort(["component", "score", "customer_id"], descending=[False, True, False])
        .group_by("component", maintain_order=True)
        .agg(
            pl.col("customer_id").first(),
            pl.col("score").first(),
            runner_up=pl.col("score").get(1, null_on_oob=True),
            candidates=pl.col("customer_id"),
        )
    )
    close = (pl.col("score") - pl.col("runner_up") < s.margin).fill_null(False)
    return best.select(
        "component",
        "customer_id",
        "score",
        review=(pl.col("score") < s.sure) | pl.col("runner_up").is_not_null(),
        tie=close,
        candidates="candidates",
    ).cast(FUZZY_SCHEMA)
