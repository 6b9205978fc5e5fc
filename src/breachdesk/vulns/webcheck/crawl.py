"""A bounded same-origin crawl: pages, their links and the parameters worth testing."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from breachdesk.vulns.webcheck.model import (
    BudgetExhaustedError,
    InjectionPoint,
    Page,
    Probe,
    ProbeError,
    Response,
)

_LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "iframe": "src", "img": "src"}


@dataclass
class _Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)


class _Extractor(HTMLParser):
    """Collects link targets and forms (with their named fields) from HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[_Form] = []
        self._form: _Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in _LINK_ATTRS and values.get(_LINK_ATTRS[tag]):
            self.links.append(values[_LINK_ATTRS[tag]])
        elif tag == "form":
            method = values.get("method", "get").upper()
            self._form = _Form(values.get("action", ""), "POST" if method == "POST" else "GET")
            self.forms.append(self._form)
        elif tag in ("input", "textarea", "select") and self._form is not None:
            name = values.get("name")
            kind = values.get("type", "text").lower()
            if name and kind not in ("submit", "button", "image", "file", "reset"):
                self._form.fields.append((name, values.get("value") or "1"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def strip_query(url: str) -> str:
    """``url`` without query string and fragment."""
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, p.path or "/", "", ""))


def _points(url: str, method: str, params: list[tuple[str, str]]) -> list[InjectionPoint]:
    unique = tuple(dict(params).items())
    return [InjectionPoint(strip_query(url), method, unique, name) for name, _ in unique]


def extract(response: Response) -> tuple[list[str], list[InjectionPoint]]:
    """Absolute link targets and the injection points (query parameters, form fields) of a page."""
    if "html" not in response.media_type:
        return [], []
    parser = _Extractor()
    try:
        parser.feed(response.text)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some malformed markup
        pass
    links = [urljoin(response.url, link).split("#")[0] for link in parser.links]
    points: list[InjectionPoint] = []
    for link in links:
        query = urlsplit(link).query
        if query:
            points += _points(link, "GET", parse_qsl(query, keep_blank_values=True))
    for form in parser.forms:
        target = urljoin(response.url, form.action or response.url)
        if form.fields:
            points += _points(target, form.method, form.fields)
    return links, points


def _key(point: InjectionPoint) -> tuple[str, str, str]:
    return (point.url, point.method, point.name)


def crawl(
    probe: Probe, start: str, *, max_pages: int
) -> tuple[tuple[Page, ...], tuple[InjectionPoint, ...]]:
    """Breadth-first from ``start`` over same-origin links, at most ``max_pages`` fetched.

    Links to other origins are dropped here, before any request; redirects are recorded, not
    followed, except that an in-scope ``Location`` is queued like a link.
    """
    queue: deque[str] = deque([start])
    seen = {start}
    pages: list[Page] = []
    points: dict[tuple[str, str, str], InjectionPoint] = {}
    while queue and len(pages) < max_pages:
        url = queue.popleft()
        try:
            response = probe.fetch(url)
        except BudgetExhaustedError:
            break
        except ProbeError:
            if url == start:
                raise  # the target itself is unreachable: nothing can be tested
            continue  # one broken page does not end the crawl
        links, found = extract(response)
        location = response.header("location")
        if location and 300 <= response.status < 400:
            links.append(urljoin(url, location))
        for point in found:
            if probe.origin.contains(point.url):
                points.setdefault(_key(point), point)
        for link in links:
            if probe.origin.contains(link) and link not in seen:
                seen.add(link)
                queue.append(link)
        pages.append(Page(response, tuple(links)))
    return tuple(pages), tuple(points.values())
