"""The Reader contract, read limits and the context threaded through nested reads."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

from breachdesk.discovery.model import Locator, Skipped, TableBatch, TextChunk

Item = TableBatch | TextChunk | Skipped
"""What every reader yields."""

Nested = Callable[[IO[bytes], Locator, "ReadContext"], Iterator[Item]]
"""Reads a member of a container (archive entry, attachment) by dispatching on its content."""

MiB = 1 << 20


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Bounds on batch sizes and on what containers may expand to (decompression-bomb guards)."""

    batch_rows: int = 50_000
    text_chunk_chars: int = 1 << 20
    fast_path_bytes: int = 8 * MiB
    csv_chunk_bytes: int = 32 * MiB
    max_depth: int = 5
    max_ratio: float = 200.0
    max_total_bytes: int = 64 * 1024 * MiB
    max_member_bytes: int = 16 * 1024 * MiB
    max_members: int = 100_000
    max_spool_bytes: int = 4 * 1024 * MiB
    ratio_grace_bytes: int = 8 * MiB


class LimitExceededError(Exception):
    """A container would expand beyond the configured limits; the message names the limit only."""


@dataclass(slots=True)
class Budget:
    """Bytes and members produced by containers within one top-level source (shared, mutable)."""

    expanded_bytes: int = 0
    members: int = 0

    def add_bytes(self, count: int, limits: ReadLimits) -> None:
        """Account for decompressed bytes; raise when the total limit is crossed."""
        self.expanded_bytes += count
        if self.expanded_bytes > limits.max_total_bytes:
            raise LimitExceededError("total expanded size limit exceeded")

    def add_member(self, limits: ReadLimits) -> None:
        """Account for one more container member; raise when the member limit is crossed."""
        self.members += 1
        if self.members > limits.max_members:
            raise LimitExceededError("member count limit exceeded")


@dataclass(frozen=True, slots=True)
class ReadContext:
    """Limits, nesting depth, shared budget and the dispatcher used for nested members."""

    limits: ReadLimits = field(default_factory=ReadLimits)
    depth: int = 0
    budget: Budget = field(default_factory=Budget, compare=False)
    nested: Nested | None = field(default=None, compare=False, repr=False)

    def deeper(self) -> ReadContext:
        """The context for members one container level down."""
        return ReadContext(self.limits, self.depth + 1, self.budget, self.nested)

    def read_nested(self, stream: IO[bytes], locator: Locator) -> Iterator[Item]:
        """Read a container member with the configured dispatcher (the built-in one by default)."""
        if self.depth + 1 > self.limits.max_depth:
            yield Skipped(locator, f"{locator.path}: nesting depth limit reached")
            return
        nested = self.nested
        if nested is None:
            from breachdesk.discovery.readers.registry import read_stream

            nested = read_stream
        yield from nested(stream, locator, self.deeper())


@runtime_checkable
class Reader(Protocol):
    """Turns one input format into batches, chunks and skips; never raises on bad input."""

    @property
    def name(self) -> str:
        """Unique registry name (``csv``)."""
        ...

    @property
    def version(self) -> int:
        """Bumped when output for the same input changes."""
        ...

    @property
    def extensions(self) -> tuple[str, ...]:
        """File name endings this reader claims when sniffing is inconclusive."""
        ...

    @property
    def media_types(self) -> tuple[str, ...]:
        """Media types of the format."""
        ...

    def sniff(self, head: bytes, name: str) -> bool:
        """Whether ``head`` (the first bytes) looks like this format; ``name`` is only a hint."""
        ...

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Stream the content; corrupt parts become ``Skipped`` and reading goes on."""
        ...

    def samples(self) -> Mapping[str, bytes]:
        """Small well-formed inputs (file name -> bytes) that this reader reads without skips."""
        ...


def producer(reader: Reader) -> str:
    """The ``name@version`` tag recorded as provenance."""
    return f"{reader.name}@{reader.version}"


def failure(locator: Locator, what: str, exc: BaseException) -> Skipped:
    """A Skipped naming the location and the error type only (messages may quote values)."""
    if isinstance(exc, LimitExceededError):
        return Skipped(locator, f"{locator.describe()}: {exc}")
    return Skipped(locator, f"{locator.describe()}: {what} ({type(exc).__name__})")


def fatal(exc: BaseException) -> bool:
    """Whether ``exc`` must propagate: interrupts, exits, generator close.

    Everything else, including Rust panics surfacing from polars or calamine as
    ``BaseException`` subclasses, is an unreadable input and becomes a Skipped.
    """
    return isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit)


def real_path(stream: IO[bytes]) -> Path | None:
    """The file system path behind ``stream`` when it is a plain file opened from disk."""
    name = getattr(stream, "name", None)
    if isinstance(name, str) and getattr(stream, "raw", None) is not None:
        path = Path(name)
        if path.is_file():
            return path
    return None


@contextmanager
def spooled_path(stream: IO[bytes], limits: ReadLimits, suffix: str = "") -> Iterator[Path]:
    """A path holding the stream's bytes: the file itself, or a bounded temporary copy."""
    path = real_path(stream)
    if path is not None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="breachdesk-") as tmp:
        target = Path(tmp) / f"member{suffix}"
        with target.open("wb") as out:
            copied = 0
            while block := stream.read(MiB):
                copied += len(block)
                if copied > limits.max_spool_bytes:
                    raise LimitExceededError("member too large to copy for random access")
                out.write(block)
        yield target


HEAD_BYTES = 1 << 16


def peek_head(stream: IO[bytes], size: int = HEAD_BYTES) -> tuple[bytes, IO[bytes]]:
    """The first ``size`` bytes and a stream positioned at the start that still yields them."""
    if stream.seekable():
        start = stream.tell()
        head = stream.read(size)
        stream.seek(start)
        return head, stream
    head = stream.read(size)
    return head, prefixed(head, stream)


def prefixed(head: bytes, rest: IO[bytes]) -> IO[bytes]:
    """A buffered stream yielding ``head`` and then the remainder of ``rest``."""
    return io.BufferedReader(_Prefixed(head, rest), MiB)


class _Prefixed(io.RawIOBase):
    """A raw stream yielding ``prefix`` and then the rest of ``rest``."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._prefix:
            n = min(len(view), len(self._prefix))
            view[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)
