"""Cookies set without HttpOnly, Secure (https) or SameSite."""

from __future__ import annotations

from collections.abc import Sequence

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import Issue, Site

RULE = "web.cookie-insecure"


def cookie_flags(set_cookie: str) -> tuple[str, set[str]]:
    """The cookie's name and its attribute names, lower-cased."""
    first, *attributes = set_cookie.split(";")
    name = first.split("=", 1)[0].strip()
    return name, {a.split("=", 1)[0].strip().lower() for a in attributes if a.strip()}


class CookieFlagsCheck:
    """Report every cookie seen during the crawl that lacks a protective flag."""

    name = "cookies"
    rules = (RULE,)

    def run(self, site: Site) -> Sequence[Issue]:
        """One issue per cookie name, listing the missing flags."""
        https = site.probe.origin.scheme == "https"
        found: dict[str, tuple[str, list[str]]] = {}
        for page in site.pages:
            for raw in page.response.all("set-cookie"):
                name, flags = cookie_flags(raw)
                missing = [f for f in ("httponly", "samesite") if f not in flags]
                if https and "secure" not in flags:
                    missing.append("secure")
                if name and missing and name not in found:
                    found[name] = (page.response.url, missing)
        issues = []
        for name, (url, missing) in found.items():
            cwe = 1004 if "httponly" in missing else 614 if "secure" in missing else 1275
            issues.append(
                Issue(
                    RULE,
                    f"Cookie {name} without " + ", ".join(missing),
                    Severity.LOW,
                    url,
                    name,
                    cwe,
                    "Set-Cookie lacks: " + ", ".join(missing),
                )
            )
        return issues
