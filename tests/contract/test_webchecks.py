"""Contract over every registered web check: rules, scope, robustness, value-free evidence."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping

import pytest

from breachdesk.services.pentest import detect_pii
from breachdesk.vulns.webcheck.crawl import crawl
from breachdesk.vulns.webcheck.model import (
    BudgetExhaustedError,
    Check,
    Origin,
    OutOfScopeError,
    Profile,
    Response,
    Site,
    TlsReport,
)
from breachdesk.vulns.webcheck.registry import DuplicateCheckError, check_unique, default_checks

CHECKS = default_checks()
BASE = "https://shop.example:8443"

Handler = Callable[[str, Mapping[str, str]], Response]


class MemoryProbe:
    """A probe over a handler function; a request outside the origin fails the test."""

    def __init__(self, handler: Handler, *, budget: int = 10_000) -> None:
        self._origin = Origin.of(BASE)
        self._handler = handler
        self._budget = budget
        self.used = 0
        self.urls: list[str] = []

    @property
    def origin(self) -> Origin:
        return self._origin

    def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> Response:
        if not self._origin.contains(url):
            raise OutOfScopeError(url)
        if self.used >= self._budget:
            raise BudgetExhaustedError("spent")
        self.used += 1
        self.urls.append(url)
        return self._handler(url, {**(params or {}), **(data or {})})

    def tls_report(self) -> TlsReport | None:
        return TlsReport(("TLSv1.2", "TLSv1.3"), ())


SECURE_HEADERS = (
    ("content-type", "text/html; charset=utf-8"),
    ("content-security-policy", "default-src 'self'"),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("strict-transport-security", "max-age=63072000"),
)
HOME = (
    b'<html><a href="/item?id=3">item</a><a href="https://other.example/x?next=/">out</a>'
    b'<form action="/find" method="post"><input name="q" value="a"></form></html>'
)


def clean_site(url: str, params: Mapping[str, str]) -> Response:
    """A well-behaved site: every page escapes input, unknown paths are 404."""
    path = url.removeprefix(BASE)
    if path in ("/", "/item", "/find"):
        return Response(url, 200, SECURE_HEADERS, HOME)
    return Response(url, 404, (("content-type", "text/plain"),), b"not found")


def garbage_site(url: str, params: Mapping[str, str]) -> Response:
    """Every answer is 200 with binary junk or broken markup: nothing is proven by it."""
    body = bytes(range(256)) * 4 + b"<form><input name=" + b"\xff" * 10
    return Response(url, 200, (("content-type", "text/html"),), body)


def _site(probe: MemoryProbe, profile: Profile = Profile.FULL) -> Site:
    pages, points = crawl(probe, BASE + "/", max_pages=10)
    return Site(probe, BASE + "/", pages, points, profile, detect_pii)


def test_registry_unique_and_duplicates_fail() -> None:
    assert len(CHECKS) >= 11
    with pytest.raises(DuplicateCheckError):
        check_unique([CHECKS[0], CHECKS[0]])


@pytest.fixture(params=CHECKS, ids=lambda c: c.name)
def check(request: pytest.FixtureRequest) -> Check:
    return request.param  # type: ignore[no-any-return]


def test_rules_are_named(check: Check) -> None:
    assert check.rules
    assert all(r.startswith("web.") for r in check.rules)


@pytest.mark.parametrize("profile", list(Profile))
def test_a_clean_site_has_no_issues_and_scope_holds(check: Check, profile: Profile) -> None:
    probe = MemoryProbe(clean_site)
    assert check.run(_site(probe, profile)) == []
    assert all(u.startswith(BASE) for u in probe.urls)


def test_garbage_answers_prove_nothing(check: Check) -> None:
    probe = MemoryProbe(garbage_site)
    issues = check.run(_site(probe))
    # only "what is missing" checks can fire on a junk site; none that needs proof of content
    assert {i.rule_id for i in issues} <= {"web.security-header-missing"}


def test_a_spent_budget_stops_the_check(check: Check) -> None:
    probe = MemoryProbe(clean_site, budget=3)
    site = _site(probe)
    with contextlib.suppress(BudgetExhaustedError):
        check.run(site)
    assert probe.used <= 3


def test_personal_data_never_reaches_the_evidence() -> None:
    people = [
        {"name": "Alice Martin", "email": "alice.martin@example.org", "phone": "+1 202-555-0143"}
    ] * 3

    def api(url: str, params: Mapping[str, str]) -> Response:
        if url.endswith("/api/customers"):
            body = json.dumps(people).encode()
            return Response(url, 200, (("content-type", "application/json"),), body)
        return clean_site(url, params)

    (pii,) = [c for c in CHECKS if c.name == "unauthenticated-pii"]
    issues = pii.run(_site(MemoryProbe(api)))
    assert [i.rule_id for i in issues] == ["web.unauthenticated-pii"]
    assert "email" in issues[0].evidence
    assert "alice" not in issues[0].evidence.lower()
    assert "555" not in issues[0].evidence
