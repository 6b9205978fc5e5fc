"""Content-addressed, write-once evidence storage on the local file system, encrypted per blob.

Each blob is sealed with its own random 256-bit key (AES-256-GCM in 1 MiB chunks). The key is
not kept beside the file: the caller stores it in the evidence row, where it is encrypted under
the incident's data key, so destroying an incident's keys (a purge) leaves every copy of a blob
that only it used unreadable. Blobs written before encryption (no header) stay readable.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from breachdesk.casefile.evidence import CHUNK
from breachdesk.core.errors import CryptoError, InvalidInputError
from breachdesk.services.ports import StoredBlob

_SHA256 = re.compile(r"[0-9a-f]{64}")
MAGIC = b"BDBLOB"
VERSION = 1
_PREFIX = 8  # random per file; nonce = prefix + 4-byte chunk counter
_HEADER = len(MAGIC) + 1 + _PREFIX
_TAG = 16
SEAL_CHUNK = 1 << 20
KEY_BYTES = 32


def _aad(header: bytes, index: int, final: bool) -> bytes:
    """Binds a chunk to its file, its place and whether it is the last (no truncation)."""
    return header + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


def _nonce(prefix: bytes, index: int) -> bytes:
    if index >= 1 << 32:
        raise CryptoError("evidence file too large for one blob key")
    return prefix + index.to_bytes(4, "big")


def _read_full(src: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    left = size
    while left:
        block = src.read(left)
        if not block:
            break
        parts.append(block)
        left -= len(block)
    return b"".join(parts)


def seal_stream(src: BinaryIO, dst: BinaryIO, key: bytes) -> tuple[str, int]:
    """Encrypt ``src`` into ``dst`` chunk by chunk; the plaintext's SHA-256 and size."""
    prefix = os.urandom(_PREFIX)
    header = MAGIC + bytes([VERSION]) + prefix
    dst.write(header)
    aead = AESGCM(key)
    h, size, index = hashlib.sha256(), 0, 0
    current = _read_full(src, SEAL_CHUNK)
    while True:
        following = _read_full(src, SEAL_CHUNK) if len(current) == SEAL_CHUNK else b""
        final = not following
        h.update(current)
        size += len(current)
        dst.write(aead.encrypt(_nonce(prefix, index), current, _aad(header, index, final)))
        if final:
            return h.hexdigest(), size
        current, index = following, index + 1


class SealedReader(io.RawIOBase):
    """Decrypts a sealed blob sequentially; a changed, reordered or cut chunk is an error."""

    def __init__(self, raw: BinaryIO, key: bytes) -> None:
        super().__init__()
        self._raw = raw
        self._header = _read_full(raw, _HEADER)
        if len(self._header) != _HEADER or not self._header.startswith(MAGIC):
            raise CryptoError("evidence file is not an encrypted blob")
        if self._header[len(MAGIC)] != VERSION:
            raise CryptoError("evidence file has an unknown blob format version")
        self._prefix = self._header[len(MAGIC) + 1 :]
        self._aead = AESGCM(key)
        self._index = 0
        self._next = _read_full(raw, SEAL_CHUNK + _TAG)
        self._plain = memoryview(b"")
        self._done = False
        self._position = 0

    def readable(self) -> bool:
        """Always readable."""
        return True

    def tell(self) -> int:
        """Plaintext bytes handed out so far."""
        return self._position

    def _advance(self) -> None:
        sealed = self._next
        if not sealed:
            raise CryptoError("evidence file is truncated")
        self._next = _read_full(self._raw, SEAL_CHUNK + _TAG) if len(sealed) > _TAG else b""
        final = not self._next
        aad = _aad(self._header, self._index, final)
        try:
            plain = self._aead.decrypt(_nonce(self._prefix, self._index), sealed, aad)
        except InvalidTag:
            raise CryptoError(
                "evidence file fails authentication (changed, truncated or another key)"
            ) from None
        self._plain = memoryview(plain)
        self._index += 1
        self._done = final

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` with decrypted bytes; 0 at the authenticated end."""
        view = memoryview(buffer).cast("B")
        while not self._plain and not self._done:
            self._advance()
        n = min(len(view), len(self._plain))
        view[:n] = self._plain[:n]
        self._plain = self._plain[n:]
        self._position += n
        return n

    def close(self) -> None:
        """Close the underlying file too."""
        self._raw.close()
        super().close()


class FileBlobStore:
    """Stores each distinct content once at ``root/sha256/ab/<digest>``, read-only, encrypted."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        """Where the bytes with this digest live."""
        if not _SHA256.fullmatch(sha256):
            raise InvalidInputError("evidence digest is not a SHA-256 hex string")
        return self.root / "sha256" / sha256[:2] / sha256

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """One writer at a time places a blob and records its key (another process too)."""
        lock = self.root / "tmp" / "put.lock"
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @contextlib.contextmanager
    def put(self, source: Path, existing: Callable[[str], bytes | None]) -> Iterator[StoredBlob]:
        """Encrypt ``source`` in under a new key; keep the first stored copy of identical bytes.

        ``existing`` gives the key a stored copy is sealed with (None: no row knows it, so the
        file is an orphan of an interrupted add and is replaced). The caller records the key
        inside the ``with`` block: the store stays locked until then.
        """
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-")
        tmp = Path(tmp_name)
        key = os.urandom(KEY_BYTES)
        try:
            with os.fdopen(fd, "wb") as dst, source.open("rb") as src:
                sha256, size = seal_stream(src, dst, key)
                dst.flush()
                os.fsync(dst.fileno())
            final = self.path_of(sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            with self._lock():
                if final.exists():
                    if not self.sealed(sha256):
                        yield StoredBlob(sha256, size, None)  # a plain blob from before
                        return
                    known = existing(sha256)
                    if known is not None:
                        yield StoredBlob(sha256, size, known)
                        return
                    os.chmod(final, 0o600)
                os.chmod(tmp, 0o444)
                os.replace(tmp, final)
                yield StoredBlob(sha256, size, key)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def sealed(self, sha256: str) -> bool:
        """Whether the stored file is an encrypted blob (not a plain one from before)."""
        with self.path_of(sha256).open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC

    def open(self, sha256: str, key: bytes | None) -> BinaryIO:
        """Stored bytes, decrypted with the blob's key (None: a plain blob from before)."""
        raw = self.path_of(sha256).open("rb")
        if key is None:
            return raw
        try:
            return io.BufferedReader(SealedReader(raw, key), CHUNK)
        except BaseException:
            raw.close()
            raise

    def remove(self, sha256: str) -> bool:
        """Delete stored bytes (a purge); True if there were any."""
        path = self.path_of(sha256)
        try:
            os.chmod(path, 0o600)
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def exists(self, sha256: str) -> bool:
        """Whether bytes with this digest are stored."""
        return self.path_of(sha256).is_file()
