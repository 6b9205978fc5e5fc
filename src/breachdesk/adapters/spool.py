"""Spill files for record hits: temporary, encrypted under a key that exists only in memory."""

from __future__ import annotations

import os
import pickle  # reads back only what this process wrote, authenticated by AES-GCM
import struct
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_LENGTH = struct.Struct(">Q")


class EncryptedSpool:
    """Append chunks of picklable items; read them back in order; gone when closed."""

    def __init__(self) -> None:
        self._fh: IO[bytes] = tempfile.TemporaryFile(prefix="breachdesk-spool-")  # noqa: SIM115
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
        self.count = 0

    def write(self, items: Sequence[Any]) -> None:
        """Encrypt and append one chunk."""
        if not items:
            return
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, pickle.dumps(list(items), protocol=5), None)
        self._fh.seek(0, os.SEEK_END)
        self._fh.write(_LENGTH.pack(len(sealed)) + nonce + sealed)
        self.count += len(items)

    def __iter__(self) -> Iterator[Any]:
        """Every item written, in order."""
        self._fh.seek(0)
        while header := self._fh.read(_LENGTH.size):
            (size,) = _LENGTH.unpack(header)
            nonce = self._fh.read(12)
            chunk = self._aead.decrypt(nonce, self._fh.read(size), None)
            yield from pickle.loads(chunk)  # noqa: S301 - authenticated above

    def close(self) -> None:
        """Delete the file."""
        self._fh.close()
