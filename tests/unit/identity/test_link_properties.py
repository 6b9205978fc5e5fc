"""Linking agrees with a plain union-find reference on random leaks and masters."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from identity_helpers import fake_key_of, record_keys

from breachdesk.identity.link import link

KINDS = ["email", "phone"]
VALUES = [f"v{n}" for n in range(8)]

masters = st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(VALUES)), max_size=10).map(
    lambda pairs: [(f"C{n % 4}", kind, value) for n, (kind, value) in enumerate(pairs)]
)
leaks = st.lists(
    st.tuples(st.integers(1, 12), st.sampled_from(KINDS), st.sampled_from(VALUES)), max_size=25
)


def reference(master: list[tuple[str, str, str]], leak: list[tuple[int, str, str]]) -> dict:
    """Expected person or conflict per record, straight from the rules in link.py."""
    owners: dict[tuple[str, str], set[str]] = {}
    for customer, kind, value in master:
        owners.setdefault((kind, value), set()).add(customer)
    records = sorted({r for r, _, _ in leak})
    parent: dict[object, object] = {r: r for r in records}

    def find(x: object) -> object:
        while parent[x] != x:
            x = parent[x]
        return x

    def union(a: object, b: object) -> None:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    strong: dict[int, set[str]] = {r: set() for r in records}
    weak: dict[int, set[str]] = {r: set() for r in records}
    holders: dict[tuple[str, str], set[int]] = {}
    for r, kind, value in leak:
        held = owners.get((kind, value), set())
        (strong if len(held) == 1 else weak)[r].update(held)
        if not held:
            holders.setdefault((kind, value), set()).add(r)
    for r, customers in strong.items():
        for c in customers:
            union(r, ("c", c))
    for group in holders.values():
        first = min(group)
        for r in group:
            union(first, r)
    comp: dict[object, list[int]] = {}
    for r in records:
        comp.setdefault(find(r), []).append(r)
    customers_of: dict[object, set[str]] = {}
    for node in parent:
        if isinstance(node, tuple):
            customers_of.setdefault(find(node), set()).add(node[1])
    return {
        r: expected(strong[r], weak[r], customers_of.get(find(r), set()), comp[find(r)])
        for r in records
    }


def expected(strong: set[str], weak: set[str], in_comp: set[str], comp: list[int]) -> object:
    """One record's person id, or its conflict with the candidates."""
    if len(strong) == 1:
        return "customer:" + next(iter(strong))
    if len(strong) > 1:
        return ("conflict", tuple(sorted(strong)))
    if len(in_comp) == 1:
        return "customer:" + next(iter(in_comp))
    if len(in_comp) > 1:
        return ("conflict", tuple(sorted(in_comp)))
    if weak:
        return ("conflict", tuple(sorted(weak)))
    return f"unknown:{min(comp)}"


@settings(max_examples=150, deadline=None)
@given(masters, leaks)
def test_link_matches_reference(master: list[tuple[str, str, str]], leak: list) -> None:
    master_keys = pl.DataFrame(
        {
            "customer_id": [c for c, _, _ in master],
            "kind": [k for _, k, _ in master],
            "keyed_hash": [fake_key_of(k, v) for _, k, v in master],
        },
        schema={"customer_id": pl.String, "kind": pl.String, "keyed_hash": pl.String},
    )
    result = link(record_keys(leak), master_keys, KINDS)
    got: dict[int, object] = dict(result.assignments.select("record_id", "person_id").iter_rows())
    for conflict in result.conflict_list():
        got[conflict.record_id] = ("conflict", conflict.candidates)
    assert got == reference(master, leak)
