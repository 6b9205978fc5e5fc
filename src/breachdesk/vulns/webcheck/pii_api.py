"""API endpoints that hand out personal data to a client without credentials."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlsplit

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import Issue, Response, Site

RULE = "web.unauthenticated-pii"
COMMON_ENDPOINTS = ("/api/users", "/api/customers", "/api/v1/users", "/api/accounts", "/api/me")
_DATA_TYPES = ("json", "xml", "csv", "text/plain")


def _is_api(response: Response) -> bool:
    path = urlsplit(response.url).path
    return "/api/" in path or any(t in response.media_type for t in _DATA_TYPES)


class UnauthenticatedPiiCheck:
    """Report API responses that carry personal data although the probe sent no credentials."""

    name = "unauthenticated-pii"
    rules = (RULE,)

    def run(self, site: Site) -> Sequence[Issue]:
        """One issue per endpoint returning personal data (kinds counted, values never kept)."""
        responses = {r.url.split("?")[0]: r for r in (p.response for p in site.pages)}
        for path in COMMON_ENDPOINTS:
            url = site.probe.origin.base + path
            if url not in responses:
                responses[url] = site.probe.fetch(url)
        issues = []
        for url, response in responses.items():
            if response.status != 200 or not _is_api(response):
                continue
            kinds = Counter(site.detect_pii(response.text[:500_000]))
            if len(kinds) >= 2 or sum(kinds.values()) >= 3:
                found = ", ".join(f"{k} x{n}" for k, n in sorted(kinds.items()))
                issues.append(
                    Issue(
                        RULE,
                        "Personal data served without authentication",
                        Severity.HIGH,
                        url,
                        None,
                        306,
                        f"a request without credentials got {response.media_type or 'data'} "
                        f"holding {found} (values not recorded)",
                    )
                )
        return issues
