"""Workspace key handling and AES-256-GCM field encryption with a key check."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import shlex
import subprocess  # nosec B404 - runs only the operator's configured key command
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from breachdesk.core.errors import ConfigError, CryptoError

KEY_BYTES = 32
_VERSION = "v1"
_NONCE = 12


def encode_key(key: bytes) -> str:
    """Text form of a key (URL-safe base64), as in the key file and ``BREACHDESK_KEY``."""
    return base64.urlsafe_b64encode(key).decode("ascii")


def decode_key(text: str, *, source: str) -> bytes:
    """Parse a key's text form; raise naming where it came from, never echoing it."""
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise ConfigError(f"{source}: not a base64 key") from None
    if len(key) != KEY_BYTES:
        raise ConfigError(f"{source}: key must be {KEY_BYTES} bytes, got {len(key)}")
    return key


def create_key_file(path: Path) -> bytes:
    """Write a new random key readable by the owner only (mode 0600); refuse to overwrite."""
    key = os.urandom(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(encode_key(key) + "\n")
    os.chmod(path, 0o600)
    return key


def read_key_file(path: Path) -> bytes:
    """Read the workspace key file; refuse one that group or others can read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = 0
    if mode & 0o077:
        raise ConfigError(
            f"{path}: key file is readable by group or others (mode {mode & 0o777:o});"
            f" run `chmod 600 {path}`"
        )
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: key file is missing; set BREACHDESK_KEY or restore it"
        ) from None
    except (OSError, UnicodeDecodeError):
        raise ConfigError(f"{path}: key file cannot be read") from None
    return decode_key(text, source=str(path))


def key_from_command(command: str, *, timeout: float = 30.0) -> bytes:
    """Run ``BREACHDESK_KEY_COMMAND`` (e.g. a KMS or HSM client) and read the key it prints."""
    argv = shlex.split(command)
    if not argv:
        raise ConfigError("BREACHDESK_KEY_COMMAND: empty command")
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"BREACHDESK_KEY_COMMAND: cannot run ({type(exc).__name__})") from None
    if done.returncode != 0:
        raise ConfigError(f"BREACHDESK_KEY_COMMAND: exited with status {done.returncode}")
    try:
        text = done.stdout.decode("ascii")
    except UnicodeDecodeError:
        raise ConfigError("BREACHDESK_KEY_COMMAND: output is not a base64 key") from None
    return decode_key(text, source="BREACHDESK_KEY_COMMAND")


def derive_key(key: bytes, label: str) -> bytes:
    """A sub-key of ``key`` for one use (HMAC-SHA-256 with a label), so uses never share keys."""
    return hmac.new(key, b"breachdesk " + label.encode("ascii"), hashlib.sha256).digest()


class FieldCipher:
    """Encrypts text values with AES-256-GCM; the purpose (e.g. a column name) is bound as AAD."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ConfigError(f"encryption key must be {KEY_BYTES} bytes")
        self._aead = AESGCM(key)
        self._key = key
        self.fingerprint = hmac.new(key, b"breachdesk key check", hashlib.sha256).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"FieldCipher(fingerprint={self.fingerprint})"

    def encrypt(self, plaintext: str, *, purpose: str) -> str:
        """Encrypt with a fresh nonce; the token names the key by fingerprint."""
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), purpose.encode("utf-8"))
        body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
        return f"{_VERSION}:{self.fingerprint}:{body}"

    def decrypt(self, token: str, *, purpose: str) -> str:
        """Decrypt a token; a wrong key or an altered value is a clear error, never garbage."""
        try:
            version, fingerprint, body = token.split(":", 2)
        except ValueError:
            raise CryptoError(f"{purpose}: stored value is not an encrypted token") from None
        if version != _VERSION:
            raise CryptoError(f"{purpose}: unknown encryption format {version!r}")
        if fingerprint != self.fingerprint:
            raise CryptoError(
                f"{purpose}: encrypted with another key (fingerprint {fingerprint},"
                f" workspace key is {self.fingerprint})"
            )
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            plain = self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], purpose.encode("utf-8"))
        except (InvalidTag, binascii.Error, ValueError):
            raise CryptoError(
                f"{purpose}: encrypted value fails authentication "
                "(altered or moved from another column)"
            ) from None
        return plain.decode("utf-8")

    def wrapping_key(self) -> bytes:
        """The key that wraps incident data keys (derived, never the field key itself)."""
        return derive_key(self._key, "data key wrapping")

    def keyed_hash(self, value: str, *, purpose: str) -> str:
        """HMAC-SHA-256 of a normalised value, for matching without storing the value."""
        mac = hmac.new(
            self._key, purpose.encode("utf-8") + b"\x00" + value.encode("utf-8"), hashlib.sha256
        )
        return mac.hexdigest()
