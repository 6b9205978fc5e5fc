"""Server-rendered inline SVG charts: horizontal bars, and spans on a time axis."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup, escape

_ROW = 22
_LABEL = 150
_WIDTH = 520


def bar_chart(rows: Sequence[tuple[str, int]], *, title: str) -> Markup:
    """Labelled horizontal bars, one per row, scaled to the largest value."""
    top = max((n for _, n in rows), default=0) or 1
    height = _ROW * len(rows) + 4
    bars = []
    for i, (label, n) in enumerate(rows):
        y = i * _ROW + 2
        width = max(1, round((_WIDTH - _LABEL - 60) * n / top))
        bars.append(
            f'<text x="{_LABEL - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="{_LABEL}" y="{y + 3}" width="{width}" height="{_ROW - 6}">'
            f"<title>{escape(label)}: {n}</title></rect>"
            f'<text x="{_LABEL + width + 6}" y="{y + 15}">{n:,}</text>'
        )
    return Markup(  # noqa: S704 - every interpolated text is escaped above
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {_WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>{''.join(bars)}</svg>"
    )


def span_chart(rows: Sequence[tuple[str, datetime, datetime]], *, title: str) -> Markup:
    """One bar per row from its first to its last time, on a shared axis."""
    if not rows:
        return Markup("")
    start = min(r[1] for r in rows)
    end = max(r[2] for r in rows)
    total = max((end - start).total_seconds(), 1.0)
    span = _WIDTH - _LABEL - 10
    parts = []
    for i, (label, first, last) in enumerate(rows):
        y = i * _ROW + 2
        x = _LABEL + round(span * (first - start).total_seconds() / total)
        width = max(3, round(span * (last - first).total_seconds() / total))
        parts.append(
            f'<text x="{_LABEL - 6}" y="{y + 15}" text-anchor="end">{escape(label[:22])}</text>'
            f'<rect class="span" x="{x}" y="{y + 3}" width="{width}" height="{_ROW - 6}">'
            f"<title>{escape(label)}: {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}</title>"
            "</rect>"
        )
    height = _ROW * len(rows) + 24
    axis = (
        f'<text x="{_LABEL}" y="{height - 4}">{start:%Y-%m-%d %H:%M}</text>'
        f'<text x="{_WIDTH - 4}" y="{height - 4}" text-anchor="end">{end:%Y-%m-%d %H:%M}</text>'
    )
    return Markup(  # noqa: S704 - every interpolated text is escaped above
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {_WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>{''.join(parts)}{axis}</svg>"
    )
