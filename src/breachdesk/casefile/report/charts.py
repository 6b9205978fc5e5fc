"""Horizontal bar charts as inline SVG (no script, no external assets)."""

from __future__ import annotations

from xml.sax.saxutils import escape

_BAR, _GAP, _LABEL, _WIDTH = 18, 6, 160, 520


def bar_chart_svg(title: str, rows: tuple[tuple[str, int], ...], *, limit: int = 12) -> str:
    """An SVG bar chart of the first ``limit`` rows (label, count)."""
    shown = rows[:limit]
    top = max((n for _, n in shown), default=0) or 1
    height = 28 + len(shown) * (_BAR + _GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{_WIDTH}" '
        f'height="{height}" viewBox="0 0 {_WIDTH} {height}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    span = _WIDTH - _LABEL - 60
    for i, (label, n) in enumerate(shown):
        y = 28 + i * (_BAR + _GAP)
        w = max(1, round(span * n / top))
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="12">{escape(label[:24])}</text>'
            f'<rect x="{_LABEL}" y="{y}" width="{w}" height="{_BAR}" fill="#2f6690"/>'
            f'<text x="{_LABEL + w + 4}" y="{y + 13}" font-size="12">{n:,}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
