"""Pieces of the web test: origins, link and form extraction, cookies, response likeness."""

from __future__ import annotations

import pytest

from breachdesk.core.errors import InvalidInputError
from breachdesk.vulns.webcheck.cookies import cookie_flags
from breachdesk.vulns.webcheck.crawl import crawl, extract
from breachdesk.vulns.webcheck.model import Origin, ProbeError, Response
from breachdesk.vulns.webcheck.sqli_boolean import similar


def _html(url: str, body: str, status: int = 200) -> Response:
    return Response(url, status, (("content-type", "text/html"),), body.encode())


def test_origin_is_scheme_host_and_port() -> None:
    origin = Origin.of("HTTPS://Shop.Example/path?q=1")
    assert origin == Origin("https", "shop.example", 443)
    assert origin.contains("https://shop.example:443/other")
    assert not origin.contains("http://shop.example/")
    assert not origin.contains("https://shop.example:8443/")
    assert not origin.contains("https://evil.example/?https://shop.example/")
    assert not origin.contains("javascript:alert(1)")
    assert Origin.of("http://[::1]:8080/").base == "http://[::1]:8080"
    for bad in ("ftp://x/", "/relative", "https://", "http://host:99999/"):
        with pytest.raises(InvalidInputError):
            Origin.of(bad)


def test_links_and_forms_become_injection_points() -> None:
    page = _html(
        "http://a.example/dir/page",
        '<a href="item?id=7&amp;sort=asc#top">x</a><a href="//b.example/">b</a>'
        '<form method="POST" action="/login"><input name="user"><input type="password" '
        'name="pw"><input type="submit" name="go"></form><form><input name="q"></form>',
    )
    links, points = extract(page)
    assert "http://a.example/dir/item?id=7&sort=asc" in links
    assert "http://b.example/" in links
    found = {(p.url, p.method, p.name) for p in points}
    assert found == {
        ("http://a.example/dir/item", "GET", "id"),
        ("http://a.example/dir/item", "GET", "sort"),
        ("http://a.example/login", "POST", "user"),
        ("http://a.example/login", "POST", "pw"),
        ("http://a.example/dir/page", "GET", "q"),
    }
    point = next(p for p in points if p.name == "id")
    assert point.with_value("X") == {"id": "X", "sort": "asc"}


def test_non_html_and_broken_markup_yield_nothing_or_what_parses() -> None:
    json_page = Response("http://a.example/", 200, (("content-type", "application/json"),), b"{}")
    assert extract(json_page) == ([], [])
    links, _ = extract(_html("http://a.example/", '<a href="/x"><form action=">'))
    assert links == ["http://a.example/x"]


def test_cookie_flags() -> None:
    name, flags = cookie_flags("sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax")
    assert name == "sid"
    assert flags == {"path", "httponly", "secure", "samesite"}
    assert cookie_flags("plain=1") == ("plain", set())


def test_similar_ignores_echoes_of_the_value_sent() -> None:
    a = _html("u", "<p>no results for shoes' AND '1'='1</p>")
    b = _html("u", "<p>no results for shoes' AND '1'='2</p>")
    assert similar(a, "shoes' AND '1'='1", b, "shoes' AND '1'='2")
    escaped = _html("u", "<p>no results for shoes&#x27; AND &#x27;1&#x27;=&#x27;2</p>")
    assert similar(a, "shoes' AND '1'='1", escaped, "shoes' AND '1'='2")
    assert not similar(_html("u", "<p>found</p>"), "x", _html("u", "<p>none</p>"), "y")
    assert not similar(_html("u", "same"), "x", _html("u", "same", status=500), "y")


class _Flaky:
    """A probe whose /broken page fails like a dropped connection."""

    def __init__(self) -> None:
        self.origin = Origin.of("http://a.example/")
        self.used = 0

    def fetch(self, url: str, **_: object) -> Response:
        self.used += 1
        if url.endswith("/broken"):
            raise ProbeError("ReadTimeout on http://a.example:80")
        return _html(url, '<a href="/broken">b</a><a href="/ok?x=1">ok</a>')

    def tls_report(self) -> None:
        return None


def test_a_broken_page_does_not_end_the_crawl_but_a_dead_start_does() -> None:
    pages, points = crawl(_Flaky(), "http://a.example/", max_pages=5)  # type: ignore[arg-type]
    assert [p.response.url for p in pages] == ["http://a.example/", "http://a.example/ok?x=1"]
    assert [p.name for p in points] == ["x"]
    with pytest.raises(ProbeError):
        crawl(_Flaky(), "http://a.example/broken", max_pages=5)  # type: ignore[arg-type]
