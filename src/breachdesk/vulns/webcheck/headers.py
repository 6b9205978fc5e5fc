"""Security headers missing from the start page."""

from __future__ import annotations

from collections.abc import Sequence

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import Issue, Site

RULE = "web.security-header-missing"

# header -> why it matters (shown as evidence); HSTS only means something over https
_HEADERS: dict[str, str] = {
    "content-security-policy": "no Content-Security-Policy: injected scripts run unrestricted",
    "x-frame-options": "no X-Frame-Options (nor CSP frame-ancestors): the page can be framed",
    "x-content-type-options": "no X-Content-Type-Options: nosniff",
    "referrer-policy": "no Referrer-Policy: full URLs may leak to other sites",
    "strict-transport-security": "no Strict-Transport-Security: downgrade to http possible",
}


class SecurityHeadersCheck:
    """Report each recommended security header the start page lacks."""

    name = "headers"
    rules = (RULE,)

    def run(self, site: Site) -> Sequence[Issue]:
        """One issue per missing header on the first page crawled."""
        if not site.pages:
            return []
        response = site.pages[0].response
        issues = []
        for header, why in _HEADERS.items():
            if header == "strict-transport-security" and site.probe.origin.scheme != "https":
                continue
            if header == "x-frame-options" and "frame-ancestors" in (
                response.header("content-security-policy") or ""
            ):
                continue
            if response.header(header) is None:
                issues.append(
                    Issue(
                        RULE,
                        f"Missing security header {header}",
                        Severity.LOW,
                        site.start,
                        header,
                        693,
                        why,
                    )
                )
        return issues
