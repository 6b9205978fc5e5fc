"""Directory listings served by the web server."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import Issue, Response, Site

RULE = "web.directory-listing"
_SIGNATURE = re.compile(
    r"<title>\s*(Index of /|Directory listing for /)|\[To Parent Directory\]|>Parent Directory</a>",
    re.IGNORECASE,
)
COMMON_DIRECTORIES = ("/files/", "/uploads/", "/backup/", "/static/", "/images/")


def is_listing(response: Response) -> bool:
    """True for an HTML page that is a server-generated directory index."""
    return response.status == 200 and bool(_SIGNATURE.search(response.text[:65536]))


class DirectoryListingCheck:
    """Report crawled or common directories that list their content."""

    name = "directory-listing"
    rules = (RULE,)

    def run(self, site: Site) -> Sequence[Issue]:
        """One issue per listed directory."""
        listed: dict[str, Response] = {}
        seen = set()
        for page in site.pages:
            path = urlsplit(page.response.url).path
            seen.add(path)
            if is_listing(page.response):
                listed.setdefault(path, page.response)
        for path in COMMON_DIRECTORIES:
            if path not in seen:
                response = site.probe.fetch(site.probe.origin.base + path)
                if is_listing(response):
                    listed.setdefault(path, response)
        return [
            Issue(
                RULE,
                f"Directory listing at {path}",
                Severity.MEDIUM,
                response.url,
                None,
                548,
                "the server returns a generated index of the directory's files",
            )
            for path, response in listed.items()
        ]
