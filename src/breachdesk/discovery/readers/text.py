"""Plain text and log files: bounded chunks with character offsets and line numbers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO

from breachdesk.discovery.model import Locator, Skipped, TextChunk
from breachdesk.discovery.readers.base import HEAD_BYTES, Item, ReadContext, peek_head
from breachdesk.discovery.readers.encoding import LineDecoder, detect_encoding


def looks_textual(head: bytes) -> bool:
    """No NUL bytes (outside UTF-16/32 BOM files) and few control characters."""
    encoding, _ = detect_encoding(head)
    if encoding.startswith(("utf-16", "utf-32")):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head[:4096] if b < 9 or 13 < b < 32)
    return controls <= len(head[:4096]) // 100


def text_chunks(
    lines: Iterable[str], locator: Locator, max_chars: int, first_line: int = 1
) -> Iterator[TextChunk]:
    """Group lines into chunks of about ``max_chars`` characters (never splitting a line)."""
    parts: list[str] = []
    size = offset = 0
    line = start_line = first_line
    for text in lines:
        parts.append(text)
        size += len(text)
        line += text.count("\n")
        if size >= max_chars:
            yield TextChunk(locator, offset, start_line, "".join(parts))
            offset, start_line, parts, size = offset + size, line, [], 0
    if parts:
        yield TextChunk(locator, offset, start_line, "".join(parts))


@dataclass(frozen=True, slots=True)
class TextReader:
    """Any text: documents, logs, dumps the other readers do not recognise."""

    name: str = "text"
    version: int = 1
    extensions: tuple[str, ...] = (".txt", ".log", ".md", ".text", ".out", ".msg")
    media_types: tuple[str, ...] = ("text/plain",)

    def sniff(self, head: bytes, name: str) -> bool:
        """Text-like bytes (the dispatcher asks this reader last)."""
        return looks_textual(head)

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Stream chunks; lines with undecodable bytes are kept (replaced) and reported."""
        head, stream = peek_head(stream, HEAD_BYTES)
        encoding, bom = detect_encoding(head)
        stream.read(bom)
        max_chars = context.limits.text_chunk_chars
        lines = LineDecoder(stream, encoding, max_chars)
        reported = 0
        for chunk in text_chunks(lines, locator, max_chars):
            if lines.replaced != reported:
                reported = lines.replaced
                at = Locator(locator.path, locator.table, chunk.first_line)
                yield Skipped(
                    at, f"{locator.path}: undecodable bytes replaced near line {chunk.first_line}"
                )
            yield chunk

    def samples(self) -> Mapping[str, bytes]:
        """A short log excerpt."""
        return {"app.log": b"2024-01-01 login ok user=alice\n2024-01-01 logout\n"}
