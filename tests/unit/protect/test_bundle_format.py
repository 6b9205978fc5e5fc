"""Hand-off bundles: round trip, tampered ciphertext, forged content, wrong identity."""

from __future__ import annotations

import io
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from breachdesk.adapters.bundle_format import load_signing_key, open_bundle, write_bundle
from breachdesk.core.errors import ConfigError, IntegrityError

NOW = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
FILES = {"casefile.json": b'{"incident": 1}', "manifest.json": b"[]"}


@pytest.fixture
def parties(tmp_path: Path) -> tuple[Ed25519PrivateKey, pyrage.x25519.Identity, Path]:
    signer = load_signing_key(tmp_path / "signing.key")
    identity = pyrage.x25519.Identity.generate()
    target = tmp_path / "b.bdx"
    write_bundle(target, FILES, recipient=str(identity.to_public()), signer=signer, created=NOW)
    return signer, identity, target


def test_round_trip_verifies_signature_and_hashes(parties) -> None:  # type: ignore[no-untyped-def]
    _, identity, target = parties
    manifest, files = open_bundle(target, identity=str(identity))
    assert files == FILES
    assert {f["name"] for f in manifest["files"]} == set(FILES)  # type: ignore[attr-defined]
    assert b"incident" not in target.read_bytes()  # encrypted at rest


def test_altered_bytes_are_rejected_clearly(parties) -> None:  # type: ignore[no-untyped-def]
    _, identity, target = parties
    data = bytearray(target.read_bytes())
    data[-20] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match="altered or is not for this identity"):
        open_bundle(target, identity=str(identity))


def test_wrong_identity_is_rejected(parties) -> None:  # type: ignore[no-untyped-def]
    _, _, target = parties
    with pytest.raises(IntegrityError, match="not for this identity"):
        open_bundle(target, identity=str(pyrage.x25519.Identity.generate()))


def _forge(target: Path, identity: pyrage.x25519.Identity, change: dict[str, bytes]) -> None:
    """What someone holding only the recipient's public key can do: re-encrypt edited content."""
    plain = pyrage.decrypt(target.read_bytes(), [identity])
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        for info in tar:
            handle = tar.extractfile(info)
            members[info.name] = handle.read() if handle else b""
    members.update(change)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    target.write_bytes(pyrage.encrypt(out.getvalue(), [identity.to_public()]))


def test_forged_file_fails_its_hash(parties) -> None:  # type: ignore[no-untyped-def]
    _, identity, target = parties
    _forge(target, identity, {"files/casefile.json": b'{"incident": 2}'})
    with pytest.raises(IntegrityError, match=r"casefile\.json does not match"):
        open_bundle(target, identity=str(identity))


def test_forged_manifest_fails_the_signature(parties) -> None:  # type: ignore[no-untyped-def]
    _, identity, target = parties
    _forge(target, identity, {"manifest.json": b'{"files": [], "signer": "AAAA"}'})
    with pytest.raises(IntegrityError, match="signature does not verify"):
        open_bundle(target, identity=str(identity))


def test_bundle_signed_by_another_key_is_refused_when_a_signer_is_expected(
    parties, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _, identity, target = parties
    other = load_signing_key(tmp_path / "other.key")
    write_bundle(target, FILES, recipient=str(identity.to_public()), signer=other, created=NOW)
    from breachdesk.adapters.bundle_format import public_text

    expected = public_text(load_signing_key(tmp_path / "signing.key"))
    with pytest.raises(IntegrityError, match="another workspace"):
        open_bundle(target, identity=str(identity), expected_signer=expected)


def test_signing_key_is_private(tmp_path: Path) -> None:
    path = tmp_path / "signing.key"
    load_signing_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_signing_key(path)
