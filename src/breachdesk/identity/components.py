"""Connected components of an edge list as columnar label propagation (union-find, vectorised)."""

from __future__ import annotations

import polars as pl

_NODE = pl.Int64


def components(edges: pl.DataFrame, nodes: pl.Series | None = None) -> pl.DataFrame:
    """``node, component`` for every node (of the edges, and ``nodes``), named by its least node.

    Each round gives every node the least label among itself and its neighbours, then jumps each
    label to its own label (pointer jumping), so rounds grow with the log of component diameter.
    """
    edges = edges.select(pl.col("a").cast(_NODE), pl.col("b").cast(_NODE))
    extra = [pl.DataFrame({"node": nodes.cast(_NODE)})] if nodes is not None else []
    labels = (
        pl.concat([edges.select(node="a"), edges.select(node="b"), *extra])
        .unique()
        .with_columns(label=pl.col("node"))
    )
    edges = edges.filter(pl.col("a") != pl.col("b"))
    both = pl.concat([edges, edges.select(a="b", b="a")]).unique()
    while True:
        seen = (
            both.join(labels, left_on="b", right_on="node")
            .group_by("a")
            .agg(pl.col("label").min().alias("seen"))
        )
        step = labels.join(seen, left_on="node", right_on="a", how="left").select(
            "node", "label", new=pl.min_horizontal("label", "seen")
        )
        # Hook each old root under the least label any of its members now has.
        hooks = step.group_by("label").agg(pl.col("new").min().alias("hook"))
        hooked = step.join(hooks, left_on="node", right_on="label", how="left").select(
            "node", label=pl.min_horizontal("new", "hook")
        )
        jumped = hooked.join(
            hooked.rename({"node": "label", "label": "far"}), on="label", how="left"
        ).select("node", label=pl.min_horizontal("label", "far"))
        changed = jumped.join(labels, on="node").filter(pl.col("label") != pl.col("label_right"))
        labels = jumped
        if changed.height == 0:
            return labels.rename({"label": "component"}).sort("node")
