"""Archives (zip, tar) and single-file compression (gzip, bzip2, xz), read member by member.

Members are read through the nested dispatcher; bomb guards (ratio, total and member size,
member count, depth) turn into Skipped entries naming the member and the limit.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from breachdesk.discovery.model import Locator, Skipped
from breachdesk.discovery.readers.base import (
    Item,
    LimitExceededError,
    ReadContext,
    ReadLimits,
    failure,
    spooled_path,
)


def member_locator(outer: Locator, member: str) -> Locator:
    """The locator of an archive member: ``outer.zip!inner/data.csv``."""
    return Locator(f"{outer.path}!{member}")


class Guarded:
    """A decompressed stream that enforces ratio, member and total size limits while read."""

    def __init__(
        self,
        inner: IO[bytes],
        context: ReadContext,
        compressed: Callable[[], int],
        declared: int | None = None,
    ) -> None:
        self._inner = inner
        self._context = context
        self._compressed = compressed
        self._declared = declared
        self.produced = 0

    def readable(self) -> bool:
        """Always readable."""
        return True

    def seekable(self) -> bool:
        """Never seekable (readers peek instead)."""
        return False

    def read(self, size: int = -1) -> bytes:
        """Read and account for decompressed bytes (all of them when ``size`` is negative)."""
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(1 << 20), b""))
        data = self._inner.read(size)
        self._account(len(data))
        return data

    def readline(self, size: int = -1) -> bytes:
        """Read one line and account for it."""
        data = self._inner.readline(size)
        self._account(len(data))
        return data

    def _account(self, count: int) -> None:
        limits: ReadLimits = self._context.limits
        self.produced += count
        self._context.budget.add_bytes(count, limits)
        if self.produced > limits.max_member_bytes:
            raise LimitExceededError("member size limit exceeded")
        if self._declared is not None and self.produced > self._declared + (1 << 16):
            raise LimitExceededError("member larger than declared")
        allowed = limits.max_ratio * max(self._compressed(), 1)
        if self.produced > max(allowed, limits.ratio_grace_bytes):
            raise LimitExceededError("compression ratio limit exceeded")


class _Counting:
    """Counts bytes read from a compressed stream (the ratio's denominator)."""

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._inner.read(size)
        self.count += len(data)
        return data

    def readable(self) -> bool:
        return True


def _as_io(obj: Any) -> IO[bytes]:
    return obj  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class ZipReader:
    """ZIP archives; each member is read as a nested file."""

    name: str = "zip"
    version: int = 1
    extensions: tuple[str, ...] = (".zip",)
    media_types: tuple[str, ...] = ("application/zip",)

    def sniff(self, head: bytes, name: str) -> bool:
        """The local file header magic (empty archives too)."""
        return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Every member, guarded against bombs; bad members are skipped."""
        try:
            with spooled_path(stream, context.limits, ".zip") as path, zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    if not info.is_dir():
                        yield from _zip_member(zf, info, locator, context)
        except Exception as exc:  # bad central directory, unsupported zip version, ...
            yield failure(locator, "archive not readable", exc)

    def samples(self) -> Mapping[str, bytes]:
        """A zip holding a CSV."""
        import io

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("inner/data.csv", "id,email\n1,a@example.com\n")
        return {"sample.zip": buf.getvalue()}


def _zip_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, outer: Locator, context: ReadContext
) -> Iterator[Item]:
    at = member_locator(outer, info.filename)
    limits = context.limits
    try:
        context.budget.add_member(limits)
        if info.flag_bits & 0x1:
            yield Skipped(at, f"{at.path}: encrypted member")
            return
        if info.file_size > limits.max_member_bytes:
            raise LimitExceededError("member size limit exceeded")
        ratio_ok = info.file_size <= max(
            limits.max_ratio * max(info.compress_size, 1), limits.ratio_grace_bytes
        )
        if not ratio_ok:
            raise LimitExceededError("compression ratio limit exceeded")
        with zf.open(info) as raw:
            guarded = Guarded(_as_io(raw), context, lambda: info.compress_size, info.file_size)
            yield from context.read_nested(_as_io(guarded), at)
    except LimitExceededError as exc:
        yield failure(at, "skipped", exc)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        yield failure(at, "member not readable", exc)


@dataclass(frozen=True, slots=True)
class TarReader:
    """Uncompressed tar archives (compressed ones arrive here through the compression reader)."""

    name: str = "tar"
    version: int = 1
    extensions: tuple[str, ...] = (".tar",)
    media_types: tuple[str, ...] = ("application/x-tar",)

    def sniff(self, head: bytes, name: str) -> bool:
        """The ustar magic at offset 257."""
        return head[257:262] == b"ustar"

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Stream members in order; a corrupt header ends the read with a Skipped."""
        try:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    if not member.isfile():
                        continue
                    yield from _tar_member(tar, member, locator, context)
        except (tarfile.TarError, LimitExceededError, OSError, EOFError) as exc:
            yield failure(locator, "archive not readable", exc)

    def samples(self) -> Mapping[str, bytes]:
        """A tar holding a text file."""
        import io

        buf = io.BytesIO()
        data = b"contact: a@example.com\n"
        with tarfile.open(fileobj=buf, mode="w") as tar:
            info = tarfile.TarInfo("notes/readme.txt")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        return {"sample.tar": buf.getvalue()}


def _tar_member(
    tar: tarfile.TarFile, member: tarfile.TarInfo, outer: Locator, context: ReadContext
) -> Iterator[Item]:
    at = member_locator(outer, member.name)
    try:
        context.budget.add_member(context.limits)
        if member.size > context.limits.max_member_bytes:
            raise LimitExceededError("member size limit exceeded")
        raw = tar.extractfile(member)
        if raw is None:
            return
        guarded = Guarded(_as_io(raw), context, lambda: member.size, member.size)
        yield from context.read_nested(_as_io(guarded), at)
    except LimitExceededError as exc:
        yield failure(at, "skipped", exc)


_OPENERS: dict[bytes, Callable[[IO[bytes]], IO[bytes]]] = {
    b"\x1f\x8b": lambda s: _as_io(gzip.GzipFile(fileobj=s, mode="rb")),
    b"BZh": lambda s: _as_io(bz2.BZ2File(s, "rb")),
    b"\xfd7zXZ\x00": lambda s: _as_io(lzma.LZMAFile(s, "rb")),  # noqa: SIM115
}
_SUFFIXES = {".gz": "", ".tgz": ".tar", ".bz2": "", ".tbz2": ".tar", ".xz": "", ".txz": ".tar"}


def inner_name(name: str) -> str:
    """``data.csv.gz`` -> ``data.csv``; ``logs.tgz`` -> ``logs.tar``."""
    base = PurePosixPath(name.rsplit("!", 1)[-1]).name
    for suffix, replacement in _SUFFIXES.items():
        if base.lower().endswith(suffix):
            return base[: -len(suffix)] + replacement
    return base + ".out"


@dataclass(frozen=True, slots=True)
class CompressedReader:
    """A gzip, bzip2 or xz stream around one file (often a tar or a CSV)."""

    name: str = "compressed"
    version: int = 1
    extensions: tuple[str, ...] = (".gz", ".tgz", ".bz2", ".tbz2", ".xz", ".txz")
    media_types: tuple[str, ...] = ("application/gzip", "application/x-bzip2", "application/x-xz")

    def sniff(self, head: bytes, name: str) -> bool:
        """A gzip, bzip2 or xz magic number."""
        return any(head.startswith(magic) for magic in _OPENERS)

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Decompress on the fly under the ratio and size guards; truncation yields a Skipped."""
        at = member_locator(locator, inner_name(locator.path))
        counting = _Counting(stream)
        head = counting.read(8)
        magic = next((m for m in _OPENERS if head.startswith(m)), None)
        if magic is None:
            yield Skipped(locator, f"{locator.path}: not a compressed stream")
            return
        try:
            inner = _OPENERS[magic](_as_io(_Replay(head, counting)))
            guarded = Guarded(inner, context, lambda: counting.count)
            yield from context.read_nested(_as_io(guarded), at)
        except (LimitExceededError, OSError, EOFError, lzma.LZMAError) as exc:
            yield failure(at, "decompression stopped", exc)

    def samples(self) -> Mapping[str, bytes]:
        """A gzipped CSV."""
        return {"people.csv.gz": gzip.compress(b"id,email\n1,a@example.com\n", mtime=0)}


class _Replay:
    """Re-delivers already-read ``head`` bytes before the rest of ``rest``."""

    def __init__(self, head: bytes, rest: _Counting) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False
