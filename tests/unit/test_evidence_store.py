"""The encrypted evidence store: round trips, tampering, truncation, de-duplication."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from breachdesk.adapters.evidence_store import MAGIC, SEAL_CHUNK, FileBlobStore
from breachdesk.core.errors import CryptoError

_HEADER = len(MAGIC) + 1 + 8
_SEALED = SEAL_CHUNK + 16


def _never(_: str) -> bytes | None:
    return None


def _put(store: FileBlobStore, tmp_path: Path, data: bytes, name: str = "in.bin") -> bytes:
    source = tmp_path / name
    source.write_bytes(data)
    with store.put(source, _never) as blob:
        assert blob.sha256 == hashlib.sha256(data).hexdigest()
        assert blob.size == len(data)
        assert blob.key is not None
        return blob.key


def _rewrite(store: FileBlobStore, sha256: str, data: bytes) -> None:
    path = store.path_of(sha256)
    path.chmod(0o644)
    path.write_bytes(data)


@pytest.mark.parametrize("size", [0, 1, SEAL_CHUNK - 1, SEAL_CHUNK, 2 * SEAL_CHUNK + 7])
def test_round_trip_at_chunk_boundaries(tmp_path: Path, size: int) -> None:
    store = FileBlobStore(tmp_path / "ev")
    data = os.urandom(size)
    key = _put(store, tmp_path, data)
    sha = hashlib.sha256(data).hexdigest()
    stored = store.path_of(sha).read_bytes()
    assert stored.startswith(MAGIC)
    assert size < 64 or data[:64] not in stored  # no plaintext run in the file
    with store.open(sha, key) as fh:
        assert fh.read() == data


def _sealed_two_chunks(tmp_path: Path) -> tuple[FileBlobStore, str, bytes, bytes]:
    store = FileBlobStore(tmp_path / "ev")
    data = os.urandom(SEAL_CHUNK + 100)
    key = _put(store, tmp_path, data)
    sha = hashlib.sha256(data).hexdigest()
    return store, sha, key, store.path_of(sha).read_bytes()


def _read(store: FileBlobStore, sha: str, key: bytes | None) -> bytes:
    with store.open(sha, key) as fh:
        return fh.read()


def test_a_flipped_byte_fails_authentication(tmp_path: Path) -> None:
    store, sha, key, raw = _sealed_two_chunks(tmp_path)
    changed = bytearray(raw)
    changed[_HEADER + SEAL_CHUNK + 20] ^= 1
    _rewrite(store, sha, bytes(changed))
    with pytest.raises(CryptoError, match="authentication"):
        _read(store, sha, key)


def test_truncation_at_a_chunk_boundary_is_detected(tmp_path: Path) -> None:
    store, sha, key, raw = _sealed_two_chunks(tmp_path)
    _rewrite(store, sha, raw[: _HEADER + _SEALED])  # the first chunk is intact, the last gone
    with pytest.raises(CryptoError):
        _read(store, sha, key)
    _rewrite(store, sha, raw[:_HEADER])
    with pytest.raises(CryptoError, match="truncated"):
        _read(store, sha, key)


def test_reordered_chunks_are_detected(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "ev")
    data = os.urandom(2 * SEAL_CHUNK + 5)
    key = _put(store, tmp_path, data)
    sha = hashlib.sha256(data).hexdigest()
    raw = store.path_of(sha).read_bytes()
    first, second = raw[_HEADER : _HEADER + _SEALED], raw[_HEADER + _SEALED : _HEADER + 2 * _SEALED]
    _rewrite(store, sha, raw[:_HEADER] + second + first + raw[_HEADER + 2 * _SEALED :])
    with pytest.raises(CryptoError):
        _read(store, sha, key)


def test_another_key_cannot_read(tmp_path: Path) -> None:
    store, sha, _, _ = _sealed_two_chunks(tmp_path)
    with pytest.raises(CryptoError):
        _read(store, sha, os.urandom(32))


def test_same_bytes_again_keep_the_stored_file_and_its_key(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "ev")
    data = b"the same evidence twice\n"
    key = _put(store, tmp_path, data, "a.txt")
    sha = hashlib.sha256(data).hexdigest()
    before = store.path_of(sha).read_bytes()
    (tmp_path / "b.txt").write_bytes(data)
    with store.put(tmp_path / "b.txt", lambda digest: key if digest == sha else None) as blob:
        assert blob.key == key
    assert store.path_of(sha).read_bytes() == before
    assert _read(store, sha, key) == data


def test_an_orphan_no_row_knows_the_key_of_is_replaced(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "ev")
    data = b"added, then the process died before the row was committed\n"
    lost = _put(store, tmp_path, data, "a.txt")
    fresh = _put(store, tmp_path, data, "b.txt")
    sha = hashlib.sha256(data).hexdigest()
    assert fresh != lost
    assert _read(store, sha, fresh) == data


def test_a_plain_blob_from_before_stays_readable(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "ev")
    data = b"stored before evidence was encrypted\n"
    sha = hashlib.sha256(data).hexdigest()
    path = store.path_of(sha)
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    assert _read(store, sha, None) == data
    (tmp_path / "again.txt").write_bytes(data)
    with store.put(tmp_path / "again.txt", _never) as blob:
        assert blob.key is None  # a new item of the same bytes reads the plain file too
    assert path.read_bytes() == data
