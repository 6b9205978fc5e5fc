"""Encoding sniffing (BOM, UTF-8, charset-normalizer) and lenient, counted line decoding."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def detect_encoding(head: bytes) -> tuple[str, int]:
    """The encoding of a file starting with ``head`` and the length of its byte-order mark."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom)
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", 0
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency is declared
        return "cp1252" if _cp1252_ok(head) else "latin-1", 0
    best = from_bytes(head[: 1 << 16]).best()
    if best is not None and best.encoding and codecs.lookup(best.encoding).name != "utf-8":
        return codecs.lookup(best.encoding).name, 0
    return "cp1252" if _cp1252_ok(head) else "latin-1", 0


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def is_ascii_compatible(encoding: str) -> bool:
    """Whether newline and ASCII punctuation are single identical bytes in ``encoding``."""
    try:
        return ",\n\"'\t;|".encode(encoding) == b",\n\"'\t;|"
    except (LookupError, UnicodeEncodeError):
        return False


class LineDecoder:
    """Yields decoded lines (endings kept) from a binary stream; counts lines needing replacement.

    Undecodable bytes become U+FFFD instead of ending the read; ``replaced`` tells the caller so
    it can report the location. Lines longer than ``max_line`` characters arrive in pieces.
    """

    __slots__ = ("_encoding", "_max_line", "_stream", "replaced")

    def __init__(self, stream: IO[bytes], encoding: str, max_line: int = 1 << 20) -> None:
        self._stream = stream
        self._encoding = encoding
        self._max_line = max_line
        self.replaced = 0

    def __iter__(self) -> Iterator[str]:
        if not is_ascii_compatible(self._encoding):
            yield from self._realigned()
            return
        buffer = ""
        for piece in self._pieces():
            buffer += piece
            if buffer.endswith("\n") or len(buffer) >= self._max_line:
                yield buffer
                buffer = ""
        if buffer:
            yield buffer

    def _realigned(self) -> Iterator[str]:
        """Lines for encodings where a newline byte is not a line end (UTF-16/32)."""
        buffer = ""
        for piece in self._pieces():
            buffer += piece
            if "\n" in buffer:
                *complete, buffer = buffer.split("\n")
                yield from (line + "\n" for line in complete)
            if len(buffer) >= self._max_line:
                yield buffer
                buffer = ""
        if buffer:
            yield buffer

    def _pieces(self) -> Iterator[str]:
        factory = codecs.getincrementaldecoder(self._encoding)
        decoder = factory("strict")
        while raw := self._stream.readline(self._max_line):
            try:
                yield decoder.decode(raw)
            except UnicodeDecodeError:
                self.replaced += 1
                decoder = factory("replace")
                yield decoder.decode(raw)
                decoder = factory("strict")
        try:
            tail = decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            self.replaced += 1
            tail = "\ufffd"
        if tail:
            yield tail
