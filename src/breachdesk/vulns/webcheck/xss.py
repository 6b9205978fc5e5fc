"""Reflected cross-site scripting: a unique marker echoed back as live markup."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import Issue, Site
from breachdesk.vulns.webcheck.points import fetch_point, limited

RULE = "web.reflected-xss"


class ReflectedXssCheck:
    """Send ``'"><bdx…>`` in each parameter; an unencoded echo in HTML is an XSS."""

    name = "reflected-xss"
    rules = (RULE,)

    def run(self, site: Site) -> Sequence[Issue]:
        """One issue per parameter reflected unencoded."""
        issues = []
        for point in limited(site):
            tag = f"<bdx{secrets.token_hex(4)}>"
            response = fetch_point(site.probe, point, "'\">" + tag)
            if "html" in response.media_type and tag in response.text:
                issues.append(
                    Issue(
                        RULE,
                        "Reflected cross-site scripting",
                        Severity.HIGH,
                        point.url,
                        point.name,
                        79,
                        f"a unique tag sent in {point.name} came back unencoded in HTML",
                    )
                )
        return issues
