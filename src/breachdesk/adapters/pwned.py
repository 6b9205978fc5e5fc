"""Pwned Passwords checks: a local sorted ``SHA1:count`` file (binary search by seeking, never
loaded) and the online k-anonymity range API (only the first five hex digits leave the host)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from breachdesk.core.errors import ConfigError

RANGE_API = "https://api.pwnedpasswords.com/range/"


class LocalPwnedFile:
    """Binary search over a file of upper-case ``SHA1:count`` lines sorted by hash."""

    def __init__(self, path: Path) -> None:
        try:
            self._fh = path.open("rb")
            self._size = os.fstat(self._fh.fileno()).st_size
        except OSError as exc:
            raise ConfigError(
                f"{path}: cannot read the Pwned Passwords file ({exc.strerror})"
            ) from None

    def _line_at(self, offset: int) -> tuple[int, bytes]:
        """The first full line starting at or after ``offset`` and where it starts."""
        self._fh.seek(offset)
        if offset:
            self._fh.readline()  # skip the partial line we landed in
        start = self._fh.tell()
        return start, self._fh.readline()

    def count(self, sha1_hex: str) -> int:
        """How often the password with this SHA-1 was seen (0 when absent)."""
        target = sha1_hex.upper().encode("ascii")
        # smallest offset whose next full line has a key >= target (monotonic in the offset)
        lo, hi = 0, self._size
        while lo < hi:
            mid = (lo + hi) // 2
            line = self._line_at(mid)[1]
            if not line or line[:40] >= target:
                hi = mid
            else:
                lo = mid + 1
        line = self._line_at(lo)[1]
        return int(line[41:].strip() or 0) if line[:40] == target else 0

    def close(self) -> None:
        """Close the file."""
        self._fh.close()


class PwnedRangeClient:
    """The k-anonymity range API: sends a 5-digit prefix, matches the suffix locally."""

    def __init__(self, base_url: str = RANGE_API, *, timeout: float = 10.0) -> None:
        self._base = base_url
        self._http = httpx.Client(timeout=timeout, headers={"Add-Padding": "true"})
        self._cache: dict[str, dict[str, int]] = {}

    def count(self, sha1_hex: str) -> int:
        """How often the password with this SHA-1 was seen (0 when absent)."""
        digest = sha1_hex.upper()
        prefix, suffix = digest[:5], digest[5:]
        if prefix not in self._cache:
            try:
                r = self._http.get(self._base + prefix)
                r.raise_for_status()
            except httpx.HTTPError as exc:
                raise ConfigError(
                    f"Pwned Passwords range API unavailable ({type(exc).__name__})"
                ) from None
            table: dict[str, int] = {}
            for line in r.text.splitlines():
                tail, _, n = line.strip().partition(":")
                if tail and n.isdigit() and int(n) > 0:
                    table[tail.upper()] = int(n)
            self._cache[prefix] = table
        return self._cache[prefix].get(suffix, 0)

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()
