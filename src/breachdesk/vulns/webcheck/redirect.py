"""Open redirects: a parameter that sends the browser to any site."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import Issue, Site
from breachdesk.vulns.webcheck.points import fetch_point, limited, original

RULE = "web.open-redirect"
CANARY_HOST = "breachdesk-redirect.invalid"  # reserved TLD: never resolves, never followed
_NAMES = re.compile(
    r"^(next|url|redirect|redirect_?ur[il]|return|return_?to|returnurl|goto|dest"
    r"|destination|continue|r|u|target|to|forward|callback)$",
    re.IGNORECASE,
)
_PAYLOADS = (f"https://{CANARY_HOST}/", f"//{CANARY_HOST}/")


class OpenRedirectCheck:
    """Put an outside URL in redirect-like parameters; a Location to it is an open redirect."""

    name = "open-redirect"
    rules = (RULE,)

    def run(self, site: Site) -> Sequence[Issue]:
        """One issue per parameter that redirects to the canary host (never followed)."""
        issues = []
        for point in limited(site):
            value = original(point)
            likely = _NAMES.match(point.name) or value.startswith(("/", "http"))
            if not likely and site.profile == "baseline":
                continue
            for payload in _PAYLOADS:
                response = fetch_point(site.probe, point, payload)
                location = response.header("location") or ""
                host = urlsplit(urljoin(point.url, location)).hostname
                if 300 <= response.status < 400 and host == CANARY_HOST:
                    issues.append(
                        Issue(
                            RULE,
                            "Open redirect",
                            Severity.MEDIUM,
                            point.url,
                            point.name,
                            601,
                            f"{point.name}={payload} answered {response.status} with "
                            "Location to that outside host",
                        )
                    )
                    break
        return issues
