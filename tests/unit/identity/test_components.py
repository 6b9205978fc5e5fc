"""Columnar connected components agree with a plain union-find on any graph."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from breachdesk.identity.components import components


def reference(nodes: set[int], edges: list[tuple[int, int]]) -> dict[int, int]:
    parent = {n: n for n in nodes}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for n in nodes:
        groups.setdefault(find(n), []).append(n)
    return {n: min(g) for g in groups.values() for n in g}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=60),
    st.sets(st.integers(0, 50), max_size=10),
)
def test_matches_union_find(edges: list[tuple[int, int]], lonely: set[int]) -> None:
    frame = pl.DataFrame(
        {"a": [a for a, _ in edges], "b": [b for _, b in edges]},
        schema={"a": pl.Int64, "b": pl.Int64},
    )
    got = components(frame, pl.Series(sorted(lonely), dtype=pl.Int64))
    nodes = {n for e in edges for n in e} | lonely
    assert dict(got.iter_rows()) == reference(nodes, edges)


def test_long_chain_converges() -> None:
    n = 5000
    frame = pl.DataFrame({"a": list(range(n - 1)), "b": list(range(1, n))})
    got = components(frame)
    assert got["component"].unique().to_list() == [0]
