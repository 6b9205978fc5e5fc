"""Secrets and online identifiers: passwords and their hashes, API keys, tokens, devices, IPs."""

from __future__ import annotations

import base64
import hashlib
import json
import string
import uuid
from random import Random

_ALNUM = string.ascii_letters + string.digits
_CRYPT64 = "./" + string.digits + string.ascii_uppercase + string.ascii_lowercase
_WORDS = [
    "sunshine",
    "dragon",
    "monkey",
    "football",
    "summer",
    "winter",
    "shadow",
    "master",
    "secret",
    "tiger",
    "coffee",
    "purple",
    "hunter",
    "banana",
    "flower",
    "freedom",
    "cookie",
    "silver",
    "orange",
    "rocket",
]


def _chars(rng: Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def password(rng: Random) -> str:
    """A weak, human-chosen-looking password."""
    word = rng.choice(_WORDS)
    return rng.choice(
        (
            f"{word}{rng.randint(1, 99)}",
            f"{word.capitalize()}{rng.randint(1950, 2010)}!",
            f"{word}{rng.choice(_WORDS)}",
            _chars(rng, _ALNUM, rng.randint(8, 14)),
        )
    )


def password_hash(rng: Random, secret: str) -> str:
    """A stored password hash: bcrypt or sha512-crypt shaped, or a real unsalted md5/sha1 digest."""
    kind = rng.choices(("bcrypt", "md5", "sha1", "sha512crypt"), weights=(55, 15, 15, 15))[0]
    if kind == "md5":
        return hashlib.md5(secret.encode(), usedforsecurity=False).hexdigest()
    if kind == "sha1":
        return hashlib.sha1(secret.encode(), usedforsecurity=False).hexdigest()
    if kind == "sha512crypt":
        return f"$6${_chars(rng, _CRYPT64[2:], 16)}${_chars(rng, _CRYPT64, 86)}"
    # bcrypt: 22 characters of salt and 31 of digest; the last salt character carries 4 bits.
    salt = _chars(rng, _CRYPT64, 21) + rng.choice(".Oeu")
    return f"$2b$12${salt}{_chars(rng, _CRYPT64, 31)}"


def api_key(rng: Random) -> str:
    """A provider-style API key with a well-known prefix."""
    kind = rng.randrange(4)
    if kind == 0:
        return "sk_live_" + _chars(rng, _ALNUM, 24)
    if kind == 1:
        return "AKIA" + _chars(rng, string.ascii_uppercase + "234567", 16)
    if kind == 2:
        return "ghp_" + _chars(rng, _ALNUM, 36)
    return "pk_" + _chars(rng, string.hexdigits[:16], 32)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def auth_token(rng: Random, subject: str) -> str:
    """A session token: a JWT-shaped bearer token or an opaque hex session id."""
    if rng.random() < 0.6:
        header = _b64url(b'{"alg":"HS256","typ":"JWT"}')
        claims = {"sub": subject, "iat": 1_700_000_000 + rng.randrange(50_000_000)}
        payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
        signature = _b64url(rng.randbytes(32))
        return f"{header}.{payload}.{signature}"
    return rng.randbytes(20).hex()


def device_id(rng: Random) -> str:
    """A mobile advertising / device identifier (UUID v4)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def ip_address(rng: Random) -> str:
    """A public-looking IPv4 address, or now and then an IPv6 one."""
    if rng.random() < 0.1:
        groups = [f"{rng.randrange(0x10000):x}" for _ in range(5)]
        return "2001:db8:" + ":".join(groups) + f":{rng.randrange(1, 0x10000):x}"
    first = rng.choice([n for n in range(11, 224) if n not in (100, 127, 169, 172, 192)])
    return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def card_expiry(rng: Random) -> str:
    """A card expiry date ``MM/YY``."""
    return f"{rng.randint(1, 12):02d}/{rng.randint(26, 31):02d}"


def cvv(rng: Random, card: str) -> str:
    """A card security code: four digits for American Express, three otherwise."""
    return (
        f"{rng.randrange(10_000):04d}" if card[:2] in ("34", "37") else f"{rng.randrange(1000):03d}"
    )
