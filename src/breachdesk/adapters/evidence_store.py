"""Content-addressed, write-once evidence storage on the local file system."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from breachdesk.casefile.evidence import CHUNK
from breachdesk.core.errors import InvalidInputError

_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileBlobStore:
    """Stores each distinct content once at ``root/sha256/ab/<digest>``, read-only."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        """Where the bytes with this digest live."""
        if not _SHA256.fullmatch(sha256):
            raise InvalidInputError("evidence digest is not a SHA-256 hex string")
        return self.root / "sha256" / sha256[:2] / sha256

    def put(self, source: Path) -> tuple[str, int]:
        """Copy ``source`` in while hashing; keep the first copy of identical bytes."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-")
        tmp = Path(tmp_name)
        h, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as dst, source.open("rb") as src:
                while chunk := src.read(CHUNK):
                    h.update(chunk)
                    size += len(chunk)
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            sha256 = h.hexdigest()
            final = self.path_of(sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            if not final.exists():
                os.chmod(tmp, 0o444)
                os.replace(tmp, final)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return sha256, size

    def open(self, sha256: str) -> BinaryIO:
        """Open stored bytes for reading."""
        return self.path_of(sha256).open("rb")

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
