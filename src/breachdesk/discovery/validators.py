"""Strict validators: checksums, issuer ranges, format recognisers. Pure and fast."""

from __future__ import annotations

import importlib
import math
import re
from collections import Counter
from functools import lru_cache
from types import ModuleType

_NON_DIGIT = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def digits_only(value: str) -> str:
    """The ASCII digits of a value, in order."""
    return _NON_DIGIT.sub("", value)


# --------------------------------------------------------------------------- payment cards


def luhn_ok(digits: str) -> bool:
    """True when a digit string passes the Luhn (mod 10) check."""
    if not digits.isdigit() or not digits.isascii():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_check_digit(partial: str) -> str:
    """The digit that, appended to ``partial``, makes it pass the Luhn check."""
    for d in "0123456789":
        if luhn_ok(partial + d):
            return d
    raise ValueError("no Luhn check digit exists")  # unreachable for digit strings


# (issuer, prefix ranges as (low, high) over the first len(low) digits, allowed lengths)
_IIN: tuple[tuple[str, tuple[tuple[str, str], ...], frozenset[int]], ...] = (
    ("amex", (("34", "34"), ("37", "37")), frozenset({15})),
    ("visa", (("4", "4"),), frozenset({13, 16, 19})),
    ("mastercard", (("51", "55"), ("2221", "2720")), frozenset({16})),
    ("mir", (("2200", "2204"),), frozenset({16, 17, 18, 19})),
    (
        "discover",
        (("6011", "6011"), ("644", "649"), ("65", "65"), ("622126", "622925")),
        frozenset(range(16, 20)),
    ),
    # JCB holds the whole 35 block (3528-3589 assigned) and the legacy 15-digit 1800 / 2131 ranges.
    ("jcb", (("35", "35"),), frozenset(range(16, 20))),
    ("jcb", (("1800", "1800"), ("2131", "2131")), frozenset({15})),
    ("diners", (("300", "305"), ("36", "36"), ("38", "39")), frozenset(range(14, 20))),
    ("unionpay", (("62", "62"), ("81", "81")), frozenset(range(16, 20))),
    (
        "maestro",
        (("50", "50"), ("56", "59"), ("60", "69"), ("0604", "0604")),
        frozenset(range(12, 20)),
    ),
)


def card_issuer(digits: str) -> str | None:
    """Card network for a digit string by issuer identification number and length, else None."""
    n = len(digits)
    for issuer, ranges, lengths in _IIN:
        if n not in lengths:
            continue
        for low, high in ranges:
            head = digits[: len(low)]
            if low <= head <= high:
                return issuer
    return None


def card_ok(value: str) -> bool:
    """True for a plausible payment card number (separators allowed): Luhn plus issuer range."""
    digits = digits_only(value)
    return 12 <= len(digits) <= 19 and luhn_ok(digits) and card_issuer(digits) is not None


# --------------------------------------------------------------------------- IBAN

#: IBAN length per country (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def iban_compact(value: str) -> str:
    """An IBAN without spaces or dashes, upper-cased."""
    return _NON_ALNUM.sub("", value).upper()


def iban_mod97(compact: str) -> int:
    """The ISO 7064 mod-97 remainder of an IBAN (country and check digits moved to the end)."""
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97


def iban_ok(value: str) -> bool:
    """True for an IBAN with a known country, that country's length and a valid mod-97 check."""
    compact = iban_compact(value)
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected is None or len(compact) != expected or not compact[2:4].isdigit():
        return False
    if not compact[4:].isalnum() or not compact.isascii():
        return False
    return iban_mod97(compact) == 1


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits that make ``country + cd + bban`` a valid IBAN."""
    remainder = iban_mod97(f"{country}00{bban}")
    return f"{98 - remainder:02d}"


# --------------------------------------------------------------------------- US numbers

_ABA_PREFIXES = frozenset(
    [f"{i:02d}" for i in range(13)]
    + [f"{i:02d}" for i in range(21, 33)]
    + [f"{i:02d}" for i in range(61, 73)]
    + ["80"]
)


def aba_ok(value: str) -> bool:
    """True for a 9-digit ABA routing number with a valid prefix and 3-7-1 checksum."""
    d = value.strip()
    if len(d) != 9 or not d.isdigit() or not d.isascii() or d[:2] not in _ABA_PREFIXES:
        return False
    n = [ord(c) - 48 for c in d]
    total = 3 * (n[0] + n[3] + n[6]) + 7 * (n[1] + n[4] + n[7]) + (n[2] + n[5] + n[8])
    return total % 10 == 0 and d != "000000000"


_ITIN_GROUPS = frozenset([*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)])
# Numbers printed in advertising and documentation, never issued to a person.
_SSN_BLOCKLIST = frozenset({"078051120", "219099999", "123456789"})


def ssn_kind(value: str) -> str | None:
    """``"ssn"`` or ``"itin"`` for a valid 9-digit US number (separators allowed), else None."""
    d = digits_only(value)
    if len(d) != 9 or d in _SSN_BLOCKLIST:
        return None
    area, group, serial = int(d[:3]), int(d[3:5]), int(d[5:])
    if group == 0 or serial == 0:
        return None
    if area >= 900:
        return "itin" if group in _ITIN_GROUPS else None
    if area in {0, 666}:
        return None
    return "ssn"


def ssn_ok(value: str) -> bool:
    """True for a valid US Social Security number (not an ITIN)."""
    return ssn_kind(value) == "ssn"


# --------------------------------------------------------------------------- password hashes

#: Modular-crypt and prefixed hash formats, most specific first.
HASH_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bcrypt", re.compile(r"\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}")),
    (
        "argon2",
        re.compile(
            r"\$argon2(?:id|i|d)\$(?:v=\d+\$)?m=\d+,t=\d+,p=\d+"
            r"\$[A-Za-z0-9+/=.]+\$[A-Za-z0-9+/=.]+"
        ),
    ),
    (
        "scrypt",
        re.compile(
            r"(?:\$scrypt\$[^\s$]+\$[^\s$]+\$[^\s$]+"
            r"|scrypt:\d+:\d+:\d+\$[^\s$]+\$[0-9a-f]+"
            r"|\$7\$[./A-Za-z0-9]{11,}\$[./A-Za-z0-9]+)"
        ),
    ),
    (
        "pbkdf2",
        re.compile(
            r"(?:pbkdf2_sha(?:1|256|512)\$\d+\$[^\s$]+\$[A-Za-z0-9+/=]+"
            r"|\$pbkdf2(?:-sha(?:1|256|512))?\$\d+\$[./A-Za-z0-9+=]+\$[./A-Za-z0-9+=]+"
            r"|pbkdf2:sha(?:1|256|512):\d+\$[^\s$]+\$[0-9a-f]+)"
        ),
    ),
    ("sha512-crypt", re.compile(r"\$6\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{86}")),
    ("sha256-crypt", re.compile(r"\$5\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43}")),
    ("md5-crypt", re.compile(r"\$(?:1|apr1)\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}")),
    ("yescrypt", re.compile(r"\$y\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+\$[./A-Za-z0-9]{43}")),
    ("ldap-salted-sha", re.compile(r"\{(?:SSHA|SHA|SSHA256|SSHA512)\}[A-Za-z0-9+/]+={0,2}")),
)  # fmt: skip
_HEX_DIGESTS = {32: "md5-or-ntlm", 40: "sha1", 64: "sha256", 128: "sha512"}
_HEX = re.compile(r"[0-9a-fA-F]+")


def hash_kind(value: str) -> str | None:
    """Password-hash scheme of a whole value (``bcrypt``, ``sha512-crypt``, ``sha1``...), else None.

    Unsalted hex digests are recognised by length alone, and only when the value is entirely hex of
    one case with enough distinct digits to not be a counter or a run of one character.
    """
    v = value.strip()
    if v.startswith(("$", "pbkdf2", "scrypt", "{")):
        for kind, pattern in HASH_FORMATS:
            if pattern.fullmatch(v):
                return kind
        return None
    digest = _HEX_DIGESTS.get(len(v))
    one_case = v.islower() or v.isupper()
    if digest and _HEX.fullmatch(v) and one_case and len(set(v.lower())) >= 8:
        return digest
    return None


# --------------------------------------------------------------------------- keys and tokens

_API_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aws-access-key", re.compile(r"(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA)[A-Z0-9]{16}")),
    ("github-token", re.compile(r"gh[pousr]_[A-Za-z0-9]{36,255}")),
    ("github-pat", re.compile(r"github_pat_[A-Za-z0-9_]{60,255}")),
    ("slack-token", re.compile(r"xox[abposr]-[A-Za-z0-9-]{10,200}")),
    ("stripe-key", re.compile(r"(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}")),
    ("google-api-key", re.compile(r"AIza[0-9A-Za-z_\-]{35}")),
    ("gitlab-token", re.compile(r"glpat-[A-Za-z0-9_\-]{20,}")),
    ("openai-key", re.compile(r"sk-(?:proj-)?[A-Za-z0-9_\-]{32,}")),
    ("sendgrid-key", re.compile(r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}")),
    ("twilio-key", re.compile(r"SK[0-9a-f]{32}")),
)
_JWT = re.compile(r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,}")


def api_key_kind(value: str) -> str | None:
    """Provider of an API key recognised by its documented prefix and shape, else None."""
    v = value.strip()
    for kind, pattern in _API_KEYS:
        if pattern.fullmatch(v):
            return kind
    return None


def jwt_ok(value: str) -> bool:
    """True for a three-part JSON Web Token whose header and payload are base64url JSON objects."""
    return _JWT.fullmatch(value.strip()) is not None


def shannon_entropy(value: str) -> float:
    """Shannon entropy of a string in bits per character (0.0 for the empty string)."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def secret_like(value: str, *, min_length: int = 20, min_entropy: float = 3.5) -> bool:
    """True for a long, high-entropy token mixing letters and digits (a likely secret)."""
    v = value.strip()
    if len(v) < min_length or not v.isascii() or any(c.isspace() for c in v):
        return False
    has_digit = any(c.isdigit() for c in v)
    has_alpha = any(c.isalpha() for c in v)
    return has_digit and has_alpha and shannon_entropy(v) >= min_entropy


# --------------------------------------------------------------------------- national ids

#: Country -> python-stdnum modules validating that country's personal identity numbers.
NATIONAL_ID_MODULES: dict[str, tuple[str, ...]] = {
    "BE": ("be.nn",),
    "BG": ("bg.egn",),
    "BR": ("br.cpf",),
    "CA": ("ca.sin",),
    "CH": ("ch.ssn",),
    "CN": ("cn.ric",),
    "CZ": ("cz.rc",),
    "DE": ("de.idnr",),
    "DK": ("dk.cpr",),
    "EE": ("ee.ik",),
    "ES": ("es.dni", "es.nie"),
    "FI": ("fi.hetu",),
    "FR": ("fr.nir",),
    "IE": ("ie.pps",),
    "IN": ("in_.aadhaar",),
    "IT": ("it.codicefiscale",),
    "MX": ("mx.curp",),
    "NL": ("nl.bsn",),
    "NO": ("no.fodselsnummer",),
    "PL": ("pl.pesel",),
    "PT": ("pt.cc",),
    "RO": ("ro.cnp",),
    "SE": ("se.personnummer",),
    "ZA": ("za.idnr",),
}

# Lengths of the compact (alphanumeric) form each validator accepts; modules not listed are
# always tried. Checked against the examples in python-stdnum's documentation.
_COMPACT_LENGTHS: dict[str, tuple[int, ...]] = {
    "be.nn": (11,),
    "bg.egn": (10,),
    "br.cpf": (11,),
    "ca.sin": (9,),
    "ch.ssn": (13,),
    "cn.ric": (18,),
    "cz.rc": (9, 10),
    "de.idnr": (11,),
    "dk.cpr": (10,),
    "ee.ik": (11,),
    "es.dni": (9,),
    "es.nie": (9,),
    "fi.hetu": (10,),
    "fr.nir": (15,),
    "ie.pps": (8, 9),
    "in_.aadhaar": (12,),
    "it.codicefiscale": (11, 16),
    "mx.curp": (18,),
    "nl.bsn": (8, 9),
    "no.fodselsnummer": (11,),
    "pl.pesel": (11,),
    "pt.cc": (12,),
    "ro.cnp": (13,),
    "se.personnummer": (10, 12),
    "za.idnr": (13,),
}

# Formats that are unambiguous enough to try in free text (others collide with phone numbers).
TEXT_NATIONAL_ID_COUNTRIES = ("ES", "FI", "IT", "SE", "DK", "NO", "MX", "BE", "PL", "CN")


@lru_cache(maxsize=64)
def _stdnum(name: str) -> ModuleType:
    return importlib.import_module(f"stdnum.{name}")


def national_id_country(value: str, countries: tuple[str, ...] | None = None) -> str | None:
    """ISO 3166-1 alpha-2 country whose national id checksum ``value`` passes, or None."""
    v = value.strip()
    if not 8 <= len(v) <= 20 or sum(c.isdigit() for c in v) < 4:
        return None
    size = sum(c.isalnum() for c in v)
    for country in countries or tuple(NATIONAL_ID_MODULES):
        for name in NATIONAL_ID_MODULES[country]:
            if size not in _COMPACT_LENGTHS.get(name, (size,)):
                continue  # cheap shape check before python-stdnum's (slow) cleaning
            try:
                if _stdnum(name).is_valid(v):
                    return country
            except Exception:  # noqa: S112 - a validator that chokes on odd input just says "no"
                continue
    return None
