"""Deterministic linking of leaked records to customers, as columnar joins plus union-find.

Evidence: a leaked record's key (kind + keyed hash) equal to a customer's key links the record to
that customer; two leaked records sharing a key belong to the same person. Connected components of
that graph are people: a component with one customer is that customer, one without customers is an
unknown individual, and records that point to several customers are conflicts, reported for review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NewType

import polars as pl

from breachdesk.identity.components import components
from breachdesk.identity.fuzzy import FuzzySettings, fuzzy_matches
from breachdesk.identity.keys import KEY_SCHEMA, RECORD_KEY_SCHEMA, KeyOf, KeysOf, hash_master
from breachdesk.identity.mapping import Field
from breachdesk.identity.master import CustomerMaster, master_names

PersonId = NewType("PersonId", str)
CUSTOMER_PREFIX = "customer:"
UNKNOWN_PREFIX = "unknown:"
#: A key value held by more leaked records than this is a placeholder, not a person.
MAX_GROUP = 1000
VALUE = ["k", "h1", "h2"]  # a key value in compact form (see _key_frame)

ASSIGNMENT_SCHEMA = pl.Schema(
    {
        "record_id": pl.Int64(),
        "person_id": pl.String(),
        "customer_id": pl.String(),
        "method": pl.String(),
        "score": pl.Float64(),
        "review": pl.Boolean(),
    }
)
CONFLICT_SCHEMA = pl.Schema(
    {"record_id": pl.Int64(), "candidates": pl.List(pl.String()), "reason": pl.String()}
)


class Method(StrEnum):
    """How a record came to belong to its person."""

    KEY = "key"  # one of its own keys equals the customer's
    SHARED_KEY = "shared_key"  # it shares a key with records that match the customer
    FUZZY = "fuzzy"  # name, date of birth and postal code are close enough (needs review)
    DECIDED = "decided"  # a reviewer chose the customer (e.g. to settle a conflict)
    UNKNOWN = "unknown"  # no customer: an unknown individual


class ConflictReason(StrEnum):
    """Why a record could not be given to one customer."""

    KEYS_DISAGREE = "keys_disagree"  # its own keys match different customers
    SHARED_VALUE = "shared_value"  # its key value belongs to several customers in the master
    COMPONENT = "component"  # linked through shared keys to records of several customers
    FUZZY_TIE = "fuzzy_tie"  # fuzzy matching found several equally good customers


def customer_person(customer_id: str) -> PersonId:
    """The person id of a customer."""
    return PersonId(CUSTOMER_PREFIX + customer_id)


def unknown_person(record_id: int) -> PersonId:
    """The person id of an unknown individual, named by their least record id."""
    return PersonId(f"{UNKNOWN_PREFIX}{record_id}")


@dataclass(frozen=True, slots=True)
class Conflict:
    """A record that several customers claim; it stays unassigned until someone decides."""

    record_id: int
    candidates: tuple[str, ...]
    reason: ConflictReason


@dataclass(frozen=True, slots=True)
class LinkStats:
    """Counts of one linking run."""

    records: int
    matched_records: int
    customers: int
    unknown_records: int
    unknown_people: int
    conflicts: int
    fuzzy_records: int
    ignored_keys: int  # key values held by more than MAX_GROUP records


@dataclass(frozen=True, slots=True, eq=False)
class LinkResult:
    """Who each leaked record belongs to (``assignments``) and what needs review (``conflicts``)."""

    assignments: pl.DataFrame  # ASSIGNMENT_SCHEMA, one row per assigned record
    conflicts: pl.DataFrame  # CONFLICT_SCHEMA, one row per disputed record
    stats: LinkStats

    def conflict_list(self) -> tuple[Conflict, ...]:
        """The conflicts as values."""
        return tuple(
            Conflict(int(r["record_id"]), tuple(r["candidates"]), ConflictReason(r["reason"]))
            for r in self.conflicts.iter_rows(named=True)
        )


def _hits(record_keys: pl.DataFrame, master_keys: pl.DataFrame) -> pl.DataFrame:
    """``record_id, customer_id, shared`` for every key equality; shared = value of >1 customer."""
    # Joining on one integer column is fastest; the rest of the value is compared after.
    return (
        record_keys.join(master_keys, on="h1", suffix="_m")
        .filter(pl.col("h2") == pl.col("h2_m"), pl.col("k") == pl.col("k_m"))
        .select(
            "record_id",
            "customer_id",
            shared=pl.col("customer_id").n_unique().over(VALUE) > 1,
        )
        .unique()
    )


def _record_edges(record_keys: pl.DataFrame, max_group: int) -> tuple[pl.DataFrame, int]:
    """Star edges joining records that share a key value; values held too widely are ignored."""
    groups = record_keys.group_by(VALUE).agg(pl.col("record_id").unique().alias("members"))
    sizes = groups.get_column("members").list.len()
    ignored = int((sizes > max_group).sum())
    kept = groups.filter((sizes > 1) & (sizes <= max_group))
    edges = (
        kept.select(a=pl.col("members").list.min(), b="members")
        .explode("b")
        .filter(pl.col("a") != pl.col("b"))
    )
    return edges, ignored


def _graph(records: pl.Series, strong: pl.DataFrame, record_edges: pl.DataFrame) -> pl.DataFrame:
    """``record_id, component, n_customers, only_customer, all_customers`` for every record.

    Only records that share a value the master does not hold, or whose keys point to several
    customers, need the union-find; every other record's component is its own (plus customer).
    """
    per_record = strong.group_by("record_id").agg(
        pl.col("customer_id").unique().sort().alias("all_customers")
    )
    multi = per_record.filter(pl.col("all_customers").list.len() > 1).get_column("record_id")
    linked = pl.concat([record_edges.get_column("a"), record_edges.get_column("b"), multi])
    in_graph = linked.unique()
    to_customer = strong.filter(pl.col("record_id").is_in(in_graph.implode()))
    index = (
        to_customer.select("customer_id")
        .unique()
        .with_row_index("node")
        .with_columns(pl.col("node").cast(pl.Int64) + int(records.max() or 0) + 1)  # type: ignore[arg-type]
    )
    edges = to_customer.join(index, on="customer_id").select(a="record_id", b="node")
    comp = components(pl.concat([edges, record_edges.cast(pl.Int64)]), in_graph)
    members = comp.join(index, on="node", how="left")
    per = members.group_by("component").agg(
        pl.col("customer_id").drop_nulls().unique().sort().alias("all_customers")
    )
    grouped = (
        members.filter(pl.col("customer_id").is_null())
        .select(record_id="node", component="component")
        .join(per, on="component")
    )
    alone = (
        pl.DataFrame({"record_id": records.cast(pl.Int64)})
        .join(grouped.select("record_id"), on="record_id", how="anti")
        .join(per_record, on="record_id", how="left")
        .with_columns(
            component=pl.col("record_id"), all_customers=pl.col("all_customers").fill_null([])
        )
    )
    out = pl.concat([grouped, alone.select(grouped.columns)])
    return out.with_columns(
        n_customers=pl.col("all_customers").list.len(),
        only_customer=pl.col("all_customers").list.first(),
    )


def _direct(hits: pl.DataFrame) -> pl.DataFrame:
    """Per record: distinct strong and weak (shared-value) customers."""
    return hits.group_by("record_id").agg(
        pl.col("customer_id").filter(~pl.col("shared")).unique().sort().alias("strong"),
        pl.col("customer_id").filter(pl.col("shared")).unique().sort().alias("weak"),
    )


def _decide(table: pl.DataFrame) -> pl.DataFrame:
    """Add ``customer_id, method, candidates, reason`` from the direct and component evidence."""
    n_strong = pl.col("strong").list.len().fill_null(0)
    n_weak = pl.col("weak").list.len().fill_null(0)
    n_comp = pl.col("n_customers")
    return table.with_columns(
        customer_id=pl.when(n_strong == 1)
        .then(pl.col("strong").list.first())
        .when((n_strong == 0) & (n_comp == 1))
        .then(pl.col("only_customer")),
        method=pl.when(n_strong == 1)
        .then(pl.lit(Method.KEY.value))
        .when((n_strong == 0) & (n_comp == 1))
        .then(pl.lit(Method.SHARED_KEY.value))
        .when((n_strong == 0) & (n_comp == 0) & (n_weak == 0))
        .then(pl.lit(Method.UNKNOWN.value)),
        reason=pl.when(n_strong >= 2)
        .then(pl.lit(ConflictReason.KEYS_DISAGREE.value))
        .when((n_strong == 0) & (n_comp >= 2))
        .then(pl.lit(ConflictReason.COMPONENT.value))
        .when((n_strong == 0) & (n_comp == 0) & (n_weak > 0))
        .then(pl.lit(ConflictReason.SHARED_VALUE.value)),
        candidates=pl.when(n_strong >= 2)
        .then(pl.col("strong"))
        .when(n_strong == 0)
        .then(pl.when(n_comp >= 2).then(pl.col("all_customers")).otherwise(pl.col("weak"))),
    )


def _key_frame(frame: pl.DataFrame, owner: str, kinds: Sequence[str]) -> pl.DataFrame:
    """``owner`` plus the key value in compact form: kind code and the first 128 bits of the hash.

    Keyed hashes are hex digests (HMAC-SHA-256); 128 bits keep accidental collisions out of
    reach (about 1e-25 for ten million values) while joins run on integers instead of text.
    """
    chosen = frame.filter(pl.col("kind").is_in(list(kinds)))
    digest = pl.col("keyed_hash")
    codes = {kind: n for n, kind in enumerate(dict.fromkeys(kinds))}
    try:
        out = chosen.select(
            owner,
            k=pl.col("kind").replace_strict(codes, return_dtype=pl.UInt8),
            h1=digest.str.slice(0, 16).str.to_integer(base=16, dtype=pl.UInt64),
            h2=digest.str.slice(16, 16).str.to_integer(base=16, dtype=pl.UInt64),
            short=digest.str.len_bytes() < 32,
        )
    except pl.exceptions.PolarsError:
        out = None
    if out is None or out.get_column("short").any():
        raise ValueError("keyed hashes must be hex digests of at least 128 bits")
    return out.drop("short")


def resolve(
    record_keys: pl.DataFrame,
    master_keys: pl.DataFrame,
    keys: Sequence[str],
    *,
    records: pl.Series | None = None,
    max_group: int = MAX_GROUP,
) -> tuple[pl.DataFrame, int]:
    """Every record with its component and decision (before fuzzy matching); ignored key count."""
    rk = _key_frame(record_keys.cast(RECORD_KEY_SCHEMA), "record_id", keys).unique()
    mk = _key_frame(master_keys.cast(KEY_SCHEMA), "customer_id", keys)
    ids = record_keys.get_column("record_id").cast(pl.Int64)
    if records is not None:
        ids = pl.concat([ids, records.cast(pl.Int64)])
    ids = ids.unique().sort()
    hits = _hits(rk, mk)
    strong = hits.filter(~pl.col("shared"))
    # Values the master holds link through customers; the rest link records to each other.
    unheld = rk.join(mk.select("h1"), on="h1", how="anti")
    edges, ignored = _record_edges(unheld, max_group)
    graph = _graph(ids, strong, edges)
    table = graph.join(_direct(hits), on="record_id", how="left")
    return _decide(table), ignored


def _apply_fuzzy(table: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """Give unknown components their fuzzy customer; ties become conflicts."""
    unknown = pl.col("method") == Method.UNKNOWN.value
    joined = table.join(
        found.rename({"customer_id": "fuzzy_customer", "candidates": "fuzzy_candidates"}),
        on="component",
        how="left",
    )
    hit = unknown & pl.col("fuzzy_customer").is_not_null() & ~pl.col("tie").fill_null(False)
    tie = unknown & pl.col("tie").fill_null(False)
    return joined.with_columns(
        customer_id=pl.when(hit).then(pl.col("fuzzy_customer")).otherwise(pl.col("customer_id")),
        method=pl.when(hit)
        .then(pl.lit(Method.FUZZY.value))
        .when(tie)
        .then(None)
        .otherwise(pl.col("method")),
        reason=pl.when(tie).then(pl.lit(ConflictReason.FUZZY_TIE.value)).otherwise("reason"),
        candidates=pl.when(tie).then(pl.col("fuzzy_candidates")).otherwise("candidates"),
        score=pl.when(hit).then(pl.col("score")),
        review=pl.when(hit).then(pl.col("review")),
    )


def _apply_decisions(table: pl.DataFrame, decisions: Mapping[int, str | None]) -> pl.DataFrame:
    """Reviewers' choices win: a customer id, or None for "nobody we know" (alone, unknown)."""
    chosen = pl.DataFrame(
        {"record_id": list(decisions), "decided": list(decisions.values())},
        schema={"record_id": pl.Int64, "decided": pl.String},
    )
    has = pl.col("record_id").is_in(chosen.get_column("record_id").implode())
    to_customer = has & pl.col("decided").is_not_null()
    changes = {
        "customer_id": pl.when(has).then(pl.col("decided")).otherwise(pl.col("customer_id")),
        "method": pl.when(to_customer)
        .then(pl.lit(Method.DECIDED.value))
        .when(has)
        .then(pl.lit(Method.UNKNOWN.value))
        .otherwise(pl.col("method")),
        "component": pl.when(has & ~to_customer)
        .then(pl.col("record_id"))
        .otherwise(pl.col("component")),
        "reason": pl.when(has).then(None).otherwise(pl.col("reason")),
    }
    if "score" in table.columns:
        changes["score"] = pl.when(has).then(None).otherwise(pl.col("score"))
        changes["review"] = pl.when(has).then(None).otherwise(pl.col("review"))
    return table.join(chosen, on="record_id", how="left").with_columns(**changes).drop("decided")


def _finish(table: pl.DataFrame, ignored: int) -> LinkResult:
    if "score" not in table.columns:
        table = table.with_columns(score=pl.lit(None, pl.Float64), review=pl.lit(None, pl.Boolean))
    is_unknown = pl.col("method") == Method.UNKNOWN.value
    assigned = table.filter(pl.col("method").is_not_null()).select(
        "record_id",
        person_id=pl.when(is_unknown)
        .then(pl.lit(UNKNOWN_PREFIX) + pl.col("component").cast(pl.String))
        .otherwise(pl.lit(CUSTOMER_PREFIX) + pl.col("customer_id")),
        customer_id="customer_id",
        method="method",
        score=pl.when(is_unknown).then(None).otherwise(pl.col("score").fill_null(1.0)),
        review=pl.col("review").fill_null(False),
    )
    conflicts = table.filter(pl.col("method").is_null()).select(
        "record_id", pl.col("candidates").fill_null([]), "reason"
    )
    assigned = assigned.cast(ASSIGNMENT_SCHEMA).sort("record_id")
    conflicts = conflicts.cast(CONFLICT_SCHEMA).sort("record_id")
    methods = assigned.get_column("method")
    unknown = assigned.filter(pl.col("method") == Method.UNKNOWN.value)
    stats = LinkStats(
        records=table.height,
        matched_records=int((methods != Method.UNKNOWN.value).sum()),
        customers=assigned.get_column("customer_id").drop_nulls().n_unique(),
        unknown_records=unknown.height,
        unknown_people=unknown.get_column("person_id").n_unique(),
        conflicts=conflicts.height,
        fuzzy_records=int((methods == Method.FUZZY.value).sum()),
        ignored_keys=ignored,
    )
    return LinkResult(assigned, conflicts, stats)


@dataclass(frozen=True, slots=True, eq=False)
class FuzzyInput:
    """What fuzzy matching needs beyond the keys: leaked and master names."""

    record_names: pl.DataFrame  # record_id, name (decrypted person_name contacts)
    master_names: pl.DataFrame  # customer_id, name
    settings: FuzzySettings = FuzzySettings()  # noqa: RUF009 - immutable


def link(
    record_keys: pl.DataFrame,
    master_keys: pl.DataFrame,
    keys: Sequence[str],
    *,
    records: pl.Series | None = None,
    fuzzy: FuzzyInput | None = None,
    decisions: Mapping[int, str | None] | None = None,
    max_group: int = MAX_GROUP,
) -> LinkResult:
    """Link leaked records to customers on ``keys`` (record-key kinds), grouping the rest.

    ``record_keys``: record_id, kind, keyed_hash (all kinds; only ``keys`` link, date of birth and
    postal code also feed fuzzy matching); ``master_keys``: customer_id, kind, keyed_hash;
    ``records``: every record id, so records without keys become unknown individuals too;
    ``decisions``: reviewers' record -> customer choices (None: nobody in the master).
    """
    table, ignored = resolve(record_keys, master_keys, keys, records=records, max_group=max_group)
    if fuzzy is not None:
        unknown = table.filter(pl.col("method") == Method.UNKNOWN.value)
        found = fuzzy_matches(
            unknown,
            record_keys.select(list(RECORD_KEY_SCHEMA)).cast(RECORD_KEY_SCHEMA),
            fuzzy.record_names,
            master_keys,
            fuzzy.master_names,
            fuzzy.settings,
        )
        table = _apply_fuzzy(table, found)
    if decisions:
        table = _apply_decisions(table, decisions)
    return _finish(table, ignored)


def link_master(
    master: CustomerMaster,
    record_keys: pl.DataFrame,
    key_of: KeyOf | None = None,
    *,
    keys_of: KeysOf | None = None,
    records: pl.Series | None = None,
    record_names: pl.DataFrame | None = None,
    settings: FuzzySettings | None = None,
    decisions: Mapping[int, str | None] | None = None,
    max_group: int = MAX_GROUP,
) -> LinkResult:
    """Hash the master's keys and link; fuzzy matching runs when ``record_names`` is given."""
    keys = [k.value for k in master.keys]
    fields = keys
    fuzzy = None
    if record_names is not None:
        fields = [*keys, Field.DATE_OF_BIRTH.value, Field.POSTAL_CODE.value]
        names = master.frame.select("customer_id", name=master_names(master))
        fuzzy = FuzzyInput(record_names, names, settings or FuzzySettings())
    master_keys = hash_master(master, key_of, keys_of=keys_of, fields=fields)
    return link(
        record_keys,
        master_keys,
        keys,
        records=records,
        fuzzy=fuzzy,
        decisions=decisions,
        max_group=max_group,
    )
