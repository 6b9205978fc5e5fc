"""Identify the scheme of a leaked password value and rate what cracking it costs an attacker.

Only the shape of a value is read (prefixes, lengths, parameters); it is never stored or logged.
Tiers are deliberately coarse: they say how soon an attacker with a GPU rig and a wordlist can
recover typical human-chosen passwords, which is what decides the urgency of a reset.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from enum import IntEnum

_HEX = re.compile(r"[0-9a-fA-F]+")
_FAST_BY_HEX_LENGTH = {32: "md5", 40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512"}
_LDAP_FAST = {"SHA": "sha1", "MD5": "md5", "SHA256": "sha256", "SHA512": "sha512"}
_LDAP_SALTED = {"SSHA": "sha1", "SMD5": "md5", "SSHA256": "sha256", "SSHA512": "sha512"}
_LDAP_DIGEST_BYTES = {"sha1": 20, "md5": 16, "sha256": 32, "sha512": 64}


class CrackTier(IntEnum):
    """How soon typical passwords fall to an offline attack; lower is worse."""

    INSTANT = 1
    MINUTES = 2
    HOURS = 3
    DAYS = 4
    IMPRACTICAL = 5
    UNKNOWN = 6

    @property
    def label(self) -> str:
        """Lower-case name used in reports."""
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class HashAssessment:
    """The scheme of one leaked value, its parameters and its crack-cost tier."""

    scheme: str
    tier: CrackTier
    rationale: str
    params: tuple[tuple[str, int], ...] = field(default=())

    @property
    def urgent(self) -> bool:
        """Plaintext and fast hashes make a reset urgent and change the notice wording."""
        return self.tier <= CrackTier.MINUTES


def _a(scheme: str, tier: CrackTier, why: str, **params: int) -> HashAssessment:
    return HashAssessment(scheme, tier, f"{tier.label}: {why}", tuple(sorted(params.items())))


def _int(text: str, default: int = 0) -> int:
    return int(text) if text.isdigit() else default


def _is_hex(text: str) -> bool:
    return bool(_HEX.fullmatch(text))


def _b64_len(text: str) -> int | None:
    try:
        return len(base64.b64decode(text + "=" * (-len(text) % 4), validate=True))
    except (binascii.Error, ValueError):
        return None


def _bcrypt(value: str) -> HashAssessment | None:
    m = re.fullmatch(r"\$2[abxy]?\$(\d{2})\$[./A-Za-z0-9]{53}", value)
    if not m:
        return None
    cost = int(m.group(1))
    if cost >= 10:
        return _a("bcrypt", CrackTier.IMPRACTICAL, f"bcrypt cost {cost}", cost=cost)
    return _a("bcrypt", CrackTier.DAYS, f"bcrypt cost {cost} (below 10)", cost=cost)


def _sha_crypt(value: str) -> HashAssessment | None:
    m = re.fullmatch(r"\$([56])\$(?:rounds=(\d+)\$)?[^$]{0,16}\$[./A-Za-z0-9]{43,86}", value)
    if not m:
        return None
    scheme = "sha256_crypt" if m.group(1) == "5" else "sha512_crypt"
    rounds = int(m.group(2) or 5000)
    tier = CrackTier.HOURS if rounds < 50_000 else CrackTier.DAYS
    return _a(scheme, tier, f"{scheme.replace('_', '-')} with {rounds} rounds", rounds=rounds)


def _argon2(value: str) -> HashAssessment | None:
    m = re.fullmatch(
        r"(?:argon2)?\$(argon2(?:id|i|d))\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)\$[^$]+\$[^$]+",
        value,
    )
    if not m:
        return None
    kind, memory, time_cost, lanes = m.group(1), int(m.group(3)), int(m.group(4)), int(m.group(5))
    tier = CrackTier.IMPRACTICAL if memory >= 15 * 1024 else CrackTier.DAYS
    why = f"{kind} m={memory} KiB, t={time_cost}, p={lanes}"
    return _a(kind, tier, why, memory_kib=memory, time_cost=time_cost, parallelism=lanes)


def _scrypt(value: str) -> HashAssessment | None:
    m = re.fullmatch(r"\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$[^$]+\$[^$]+", value)
    if m:
        n, r, p = 2 ** int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = re.fullmatch(r"scrypt\$[^$]*\$(\d+)\$(\d+)\$(\d+)\$[^$]+", value)  # Django
        if not m:
            return None
        n, r, p = int(m.group(1)), int(m.group(2)), int(m.group(3))
    tier = CrackTier.IMPRACTICAL if n * r >= 2**14 * 8 else CrackTier.DAYS
    return _a("scrypt", tier, f"scrypt N={n}, r={r}, p={p}", n=n, r=r, p=p)


def _pbkdf2_tier(digest: str, rounds: int) -> CrackTier:
    strong = {"sha1": 600_000, "sha256": 300_000, "sha512": 100_000}.get(digest, 300_000)
    if rounds >= strong:
        return CrackTier.IMPRACTICAL
    return CrackTier.DAYS if rounds >= 10_000 else CrackTier.HOURS


def _pbkdf2(value: str) -> HashAssessment | None:
    m = re.fullmatch(r"\$pbkdf2(?:-(sha256|sha512))?\$(\d+)\$[^$]+\$[^$]+", value)  # passlib
    if not m:
        m = re.fullmatch(r"pbkdf2_(sha1|sha256)\$(\d+)\$[^$]*\$[^$]+", value)  # Django
    if not m:
        return None
    digest, rounds = m.group(1) or "sha1", int(m.group(2))
    tier = _pbkdf2_tier(digest, rounds)
    return _a(
        f"pbkdf2_{digest}", tier, f"PBKDF2-{digest.upper()} with {rounds} iterations", rounds=rounds
    )


def _modular(value: str) -> HashAssessment | None:
    for check in (_bcrypt, _sha_crypt, _argon2, _scrypt, _pbkdf2):
        found = check(value)
        if found is not None:
            return found
    if re.fullmatch(r"\$(1|apr1)\$[^$]{0,8}\$[./A-Za-z0-9]{22}", value):
        return _a("md5_crypt", CrackTier.HOURS, "md5-crypt (1,000 MD5 rounds)")
    if re.fullmatch(r"\$[PH]\$[./A-Za-z0-9]{31}", value):
        rounds = 2 ** ("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".find(value[3]) or 13)
        return _a("phpass", CrackTier.HOURS, f"phpass ({rounds} MD5 rounds)", rounds=rounds)
    if re.fullmatch(r"\$7\$.+", value):
        return _a("scrypt", CrackTier.IMPRACTICAL, "scrypt (libsodium $7$)")
    return None


def _ldap(value: str) -> HashAssessment | None:
    m = re.fullmatch(r"\{([A-Z0-9-]+)\}(.+)", value, flags=re.DOTALL)
    if not m:
        return None
    tag, rest = m.group(1), m.group(2)
    if tag == "CRYPT":
        inner = _modular(rest)
        return inner or _a("des_crypt", CrackTier.INSTANT, "traditional DES crypt (8 chars)")
    if tag.startswith("PBKDF2"):
        return _pbkdf2(
            f"$pbkdf2-{tag[7:].lower()}${rest}" if tag != "PBKDF2" else f"$pbkdf2${rest}"
        )
    if tag in _LDAP_FAST:
        algo = _LDAP_FAST[tag]
        return _a(f"ldap_{algo}", CrackTier.INSTANT, f"unsalted fast hash (LDAP {{{tag}}})")
    if tag in _LDAP_SALTED:
        algo = _LDAP_SALTED[tag]
        size = _b64_len(rest)
        if size is not None and size <= _LDAP_DIGEST_BYTES[algo]:
            return _a(f"ldap_{algo}", CrackTier.INSTANT, f"unsalted fast hash (LDAP {{{tag}}})")
        return _a(f"ldap_salted_{algo}", CrackTier.MINUTES, f"salted fast hash (LDAP {{{tag}}})")
    if tag in ("CLEARTEXT", "PLAIN"):
        return _a("plaintext", CrackTier.INSTANT, "plaintext (LDAP {CLEARTEXT})")
    return _a(f"ldap_{tag.lower()}", CrackTier.UNKNOWN, f"unrecognised LDAP scheme {{{tag}}}")


def _hex_scheme(digest: str, hint: str) -> str:
    name = _FAST_BY_HEX_LENGTH[len(digest)]
    if name == "md5" and re.search(r"ntlm|\bnt\b|nthash|nt_hash", hint):
        return "ntlm"
    return name


def _fast(value: str, hint: str, salted: bool) -> HashAssessment | None:
    if _is_hex(value) and len(value) in _FAST_BY_HEX_LENGTH:
        scheme = _hex_scheme(value, hint)
        if salted:
            return _a(f"salted_{scheme}", CrackTier.MINUTES, f"salted fast hash ({scheme.upper()})")
        return _a(scheme, CrackTier.INSTANT, f"unsalted fast hash ({scheme.upper()})")
    if re.fullmatch(r"\*[0-9A-Fa-f]{40}", value):
        return _a("mysql41", CrackTier.INSTANT, "unsalted fast hash (MySQL 4.1 double SHA-1)")
    m = re.fullmatch(r"(md5|sha1|sha256)\$([^$]*)\$([0-9a-fA-F]+)", value)  # old Django
    if m:
        return _a(f"salted_{m.group(1)}", CrackTier.MINUTES, f"salted fast hash ({m.group(1)})")
    parts = re.split(r"[:$]", value)
    if len(parts) == 2:  # "digest:salt" or "salt:digest"
        digest = next((p for p in parts if _is_hex(p) and len(p) in _FAST_BY_HEX_LENGTH), None)
        if digest is not None:
            scheme = _hex_scheme(digest, hint)
            return _a(f"salted_{scheme}", CrackTier.MINUTES, f"salted fast hash ({scheme.upper()})")
    return None


def identify(value: str, *, hint: str = "", salted: bool = False) -> HashAssessment:
    """Scheme and crack-cost tier of one leaked password value.

    ``hint`` is the column name (``nt_hash`` tells NTLM from MD5, which look alike); ``salted``
    says the table has a separate salt column. A value that matches no hash shape is taken as
    a plaintext password.
    """
    text = value.strip()
    hint = hint.lower()
    if not text:
        return _a("empty", CrackTier.UNKNOWN, "no value")
    found = _ldap(text) if text.startswith("{") else None
    if found is None and ("$" in text or text.startswith("*") or ":" in text):
        found = _modular(text) if text.startswith(("$", "argon2$", "scrypt$", "pbkdf2_")) else None
        found = found or _argon2(text) or _scrypt(text) or _pbkdf2(text)
    found = found or _fast(text, hint, salted)
    return found or _a("plaintext", CrackTier.INSTANT, "plaintext password")
