"""Pwned Passwords: binary search over a local sorted file; the k-anonymity range client."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachdesk.adapters.pwned import LocalPwnedFile, PwnedRangeClient


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest().upper()


@settings(max_examples=40)
@given(
    st.lists(st.text(min_size=1, max_size=12), min_size=0, max_size=60, unique=True),
    st.lists(st.text(min_size=1, max_size=12), max_size=10),
    st.sampled_from(["\n", "\r\n"]),
)
def test_local_file_finds_exactly_the_listed_hashes(
    tmp_path_factory: pytest.TempPathFactory, listed: list[str], others: list[str], eol: str
) -> None:
    counts = {sha1(p): n + 1 for n, p in enumerate(listed)}
    path = tmp_path_factory.mktemp("pwned") / "pwned.txt"
    path.write_text("".join(f"{h}:{counts[h]}{eol}" for h in sorted(counts)), newline="")
    check = LocalPwnedFile(path)
    try:
        for password in listed:
            assert check.count(sha1(password).lower()) == counts[sha1(password)]
        for password in others:
            assert check.count(sha1(password)) == counts.get(sha1(password), 0)
    finally:
        check.close()


class _Range(BaseHTTPRequestHandler):
    table: ClassVar[dict[str, int]] = {}
    prefixes: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        prefix = self.path.rsplit("/", 1)[-1]
        self.prefixes.append(prefix)
        lines = [f"{h[5:]}:{n}" for h, n in self.table.items() if h.startswith(prefix)]
        lines.append("0" * 35 + ":0")  # padding entry
        body = "\r\n".join(lines).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def range_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Range)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/range/"
    finally:
        server.shutdown()


def test_range_client_sends_only_a_prefix(range_api: str) -> None:
    _Range.table = {sha1("password1"): 2_000_000}
    _Range.prefixes = []
    client = PwnedRangeClient(range_api)
    try:
        assert client.count(sha1("password1")) == 2_000_000
        assert client.count(sha1("a much longer passphrase nobody used")) == 0
    finally:
        client.close()
    assert all(len(p) == 5 for p in _Range.prefixes)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    from breachdesk.core.errors import ConfigError

    with pytest.raises(ConfigError, match="cannot read"):
        LocalPwnedFile(tmp_path / "absent.txt")
