"""Boolean-based SQL injection: a true condition keeps the page, a false one changes it."""

from __future__ import annotations

import html
from collections.abc import Sequence
from difflib import SequenceMatcher

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import InjectionPoint, Issue, Response, Site
from breachdesk.vulns.webcheck.points import append, fetch_point, limited

RULE = "web.sqli-boolean"

# (true, false) suffix pairs per context; two pairs must agree, which rules out chance
_CONTEXTS: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    ((" AND 1=1", " AND 1=2"), (" AND 7=7", " AND 7=8")),
    (("' AND '1'='1", "' AND '1'='2"), ("' AND 'b'='b", "' AND 'b'='c")),
    (('" AND "1"="1', '" AND "1"="2'), ('" AND "b"="b', '" AND "b"="c')),
)
_LIMIT = 50_000
_COMPARED = 8_000  # characters compared fuzzily (ratio() is quadratic at worst)


def _body(response: Response, sent: str) -> str:
    """The body without echoes of the value sent, so echoing pages compare equal."""
    text = response.text[:_LIMIT]
    for echo in (sent, html.escape(sent), html.escape(sent, quote=False)):
        text = text.replace(echo, "")
    return text


def similar(a: Response, a_sent: str, b: Response, b_sent: str) -> bool:
    """Same status and (nearly) the same body once echoes are removed."""
    if a.status != b.status:
        return False
    x, y = _body(a, a_sent), _body(b, b_sent)
    if x == y:
        return True
    matcher = SequenceMatcher(None, x[:_COMPARED], y[:_COMPARED])
    return matcher.quick_ratio() >= 0.98 and matcher.ratio() >= 0.98


class SqlBooleanCheck:
    """Compare true/false condition pairs with the original response (number and quote contexts)."""

    name = "sqli-boolean"
    rules = (RULE,)

    def run(self, site: Site) -> Sequence[Issue]:
        """One issue per parameter whose true/false pairs behave like a SQL condition."""
        issues = []
        for point in limited(site):
            context = self._injectable(site, point)
            if context is not None:
                issues.append(
                    Issue(
                        RULE,
                        "SQL injection (boolean-based)",
                        Severity.HIGH,
                        point.url,
                        point.name,
                        89,
                        f"appending{context} to {point.name} keeps the page; "
                        "the false condition changes it",
                    )
                )
        return issues

    @staticmethod
    def _injectable(site: Site, point: InjectionPoint) -> str | None:
        value = dict(point.params)[point.name]
        base = fetch_point(site.probe, point, None)
        for pairs in _CONTEXTS:
            if all(_differs(site, point, base, value, pair) for pair in pairs):
                return pairs[0][0]
        return None


def _differs(
    site: Site, point: InjectionPoint, base: Response, value: str, pair: tuple[str, str]
) -> bool:
    true_sent, false_sent = append(point, pair[0]), append(point, pair[1])
    true = fetch_point(site.probe, point, true_sent)
    if not similar(true, true_sent, base, value):
        return False
    false = fetch_point(site.probe, point, false_sent)
    return not similar(false, false_sent, true, true_sent)
