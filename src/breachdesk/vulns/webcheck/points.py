"""Sending a crawled parameter with a test value, and the per-profile bound on parameters."""

from __future__ import annotations

from breachdesk.vulns.webcheck.model import InjectionPoint, Probe, Profile, Response, Site

MAX_POINTS = {Profile.BASELINE: 20, Profile.FULL: 100}


def limited(site: Site) -> tuple[InjectionPoint, ...]:
    """The injection points a check may test under the site's profile."""
    return site.points[: MAX_POINTS[site.profile]]


def original(point: InjectionPoint) -> str:
    """The value the crawl saw for the parameter under test."""
    return dict(point.params)[point.name]


def fetch_point(probe: Probe, point: InjectionPoint, value: str | None) -> Response:
    """Send the point's request with ``value`` in the tested parameter (None: the original)."""
    params = point.with_value(original(point) if value is None else value)
    if point.method == "POST":
        return probe.fetch(point.url, method="POST", data=params)
    return probe.fetch(point.url, params=params)


def append(point: InjectionPoint, suffix: str) -> str:
    """The original value with ``suffix`` appended."""
    return original(point) + suffix
