"""Error pages that reveal stack traces or framework debug output."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import Issue, Response, Site
from breachdesk.vulns.webcheck.points import fetch_point, limited

RULE = "web.verbose-error"
_SIGNATURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("Python traceback", r"Traceback \(most recent call last\)"),
        ("Java stack trace", r"\bat [\w$.]+\([\w$]+\.java:\d+\)"),
        ("PHP error", r"(Fatal error|Parse error|Warning)(</b>)?:.{0,200} on line (<b>)?\d+"),
        ("PHP stack trace", r"Stack trace:\s*(<br />)?\s*#0 "),
        ("ASP.NET error page", r"Server Error in '/[^']*' Application"),
        (".NET exception", r"\bSystem\.[\w.]+Exception\b.{0,200}\bat \w"),
        ("Node.js stack trace", r"\n\s+at [\w.<>]+ \((/|[A-Z]:\\)[^)]+:\d+:\d+\)"),
        ("Werkzeug debugger", r"Werkzeug Debugger"),
        ("Django debug page", r"You're seeing this error because you have <code>DEBUG = True"),
        ("Rails exception page", r"Action Controller: Exception caught"),
    )
)
_PAYLOADS = ("'\"", "[]{}%")


def stack_trace(response: Response) -> str | None:
    """The kind of stack trace or debug output in ``response``, or None."""
    text = response.text[:200_000]
    return next((name for name, pattern in _SIGNATURES if pattern.search(text)), None)


class VerboseErrorCheck:
    """Break parameters and ask for a missing page; report responses carrying stack traces."""

    name = "verbose-errors"
    rules = (RULE,)

    def run(self, site: Site) -> Sequence[Issue]:
        """One issue per parameter (or missing page) whose error response reveals internals."""
        issues: list[Issue] = []
        missing = f"{site.probe.origin.base}/breachdesk-missing-{secrets.token_hex(4)}"
        kind = stack_trace(site.probe.fetch(missing))
        if kind:
            issues.append(self._issue(missing, None, kind))
        for point in limited(site):
            if stack_trace(fetch_point(site.probe, point, None)):
                continue  # the page shows it anyway: not caused by our input
            for payload in _PAYLOADS:
                kind = stack_trace(fetch_point(site.probe, point, payload))
                if kind:
                    issues.append(self._issue(point.url, point.name, kind))
                    break
        return issues

    @staticmethod
    def _issue(url: str, parameter: str | None, kind: str) -> Issue:
        where = f"parameter {parameter}" if parameter else "a missing page"
        return Issue(
            RULE,
            f"Verbose error ({kind})",
            Severity.MEDIUM,
            url,
            parameter,
            209,
            f"malformed input in {where} produced a {kind} in the response",
        )
