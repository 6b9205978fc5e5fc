"""The hand-off bundle format: an age-encrypted tar holding files and a signed manifest.

Layout of the tar: ``manifest.json`` (format, creation time, each file's name, size and
SHA-256, the signer's Ed25519 public key), ``manifest.sig`` (Ed25519 signature of the manifest
bytes) and ``files/<name>``. age makes the bundle readable by the recipient only and detects
any change to the encrypted bytes; the signature proves which workspace made it, since anyone
holding the recipient's public key could otherwise encrypt a forged bundle.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tarfile
from datetime import datetime
from pathlib import Path

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from breachdesk.core.errors import ConfigError, IntegrityError, InvalidInputError

FORMAT = "breachdesk-bundle/1"
MAX_MEMBER = 512 * 1024 * 1024


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The workspace's Ed25519 signing key, created (mode 0600) on first use."""
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        return key
    if path.stat().st_mode & 0o077:
        raise ConfigError(f"{path}: signing key is readable by group or others; chmod 600 it")
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ConfigError(f"{path}: not an Ed25519 private key")
    return loaded


def public_text(key: Ed25519PrivateKey) -> str:
    """The signer's public key as text (base64 of the raw 32 bytes)."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def _recipient(text: str) -> pyrage.x25519.Recipient:
    try:
        return pyrage.x25519.Recipient.from_str(text.strip())
    except Exception:  # pyrage raises its own untyped errors for bad keys
        raise InvalidInputError("--recipient: not an age public key (age1...)") from None


def _identity(text: str) -> pyrage.x25519.Identity:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    try:
        return pyrage.x25519.Identity.from_str(lines[0] if lines else "")
    except Exception:  # pyrage raises its own untyped errors for bad keys
        raise InvalidInputError("--identity: not an age identity (AGE-SECRET-KEY-1...)") from None


def write_bundle(
    target: Path,
    files: dict[str, bytes],
    *,
    recipient: str,
    signer: Ed25519PrivateKey,
    created: datetime,
) -> dict[str, object]:
    """Sign a manifest of ``files``, tar it all, encrypt to ``recipient``; return the manifest."""
    to = _recipient(recipient)
    manifest: dict[str, object] = {
        "format": FORMAT,
        "created": created.isoformat(),
        "signer": public_text(signer),
        "files": [
            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in sorted(files.items())
        ],
    }
    body = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        members = {"manifest.json": body, "manifest.sig": signer.sign(body)}
        members.update({f"files/{name}": data for name, data in files.items()})
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = int(created.timestamp())
            tar.addfile(info, io.BytesIO(data))
    sealed = pyrage.encrypt(buffer.getvalue(), [to])
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(sealed)
    return manifest


def _members(plain: bytes) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as tar:
            for info in tar:
                if not info.isfile() or info.size > MAX_MEMBER:
                    raise IntegrityError(f"bundle holds an unexpected entry {info.name!r}")
                handle = tar.extractfile(info)
                found[info.name] = handle.read() if handle else b""
    except tarfile.TarError:
        raise IntegrityError("bundle content is not a valid archive (altered?)") from None
    return found


def open_bundle(
    source: Path, *, identity: str, expected_signer: str | None = None
) -> tuple[dict[str, object], dict[str, bytes]]:
    """Decrypt, verify the signature and every file's hash; return the manifest and files."""
    try:
        plain = pyrage.decrypt(source.read_bytes(), [_identity(identity)])
    except pyrage.DecryptError:
        raise IntegrityError(
            f"{source}: cannot decrypt: the bundle was altered or is not for this identity"
        ) from None
    members = _members(plain)
    body, signature = members.get("manifest.json"), members.get("manifest.sig")
    if body is None or signature is None:
        raise IntegrityError(f"{source}: the bundle has no signed manifest")
    try:
        manifest = json.loads(body)
        signer = str(manifest["signer"])
        Ed25519PublicKey.from_public_bytes(base64.b64decode(signer)).verify(signature, body)
    except (InvalidSignature, ValueError, KeyError, TypeError):
        raise IntegrityError(
            f"{source}: the manifest signature does not verify (altered)"
        ) from None
    if expected_signer is not None and signer != expected_signer:
        raise IntegrityError(f"{source}: signed by another workspace than the one expected")
    files: dict[str, bytes] = {}
    for entry in manifest.get("files", []):
        data = members.get(f"files/{entry['name']}")
        if data is None or hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise IntegrityError(f"{source}: {entry['name']} does not match its manifest hash")
        files[str(entry["name"])] = data
    extra = {n for n in members if n.startswith("files/")} - {f"files/{n}" for n in files}
    if extra:
        raise IntegrityError(f"{source}: the bundle holds files its manifest does not list")
    return manifest, files
