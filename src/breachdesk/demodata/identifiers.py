"""Identifiers with valid check digits: cards, IBANs, routing numbers, SSNs, national ids."""

from __future__ import annotations

import datetime as dt
import string
from random import Random

# Real issuer prefixes (IIN ranges) with the card length each uses.
CARD_ISSUERS: tuple[tuple[str, int], ...] = (
    ("4", 16),  # Visa
    ("4", 16),
    ("51", 16),  # Mastercard
    ("53", 16),
    ("55", 16),
    ("2221", 16),
    ("2720", 16),
    ("34", 15),  # American Express
    ("37", 15),
    ("6011", 16),  # Discover
    ("65", 16),
    ("3530", 16),  # JCB
)


def _digits(rng: Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def luhn_check_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # doubled: these sit at odd positions once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def card_number(rng: Random) -> str:
    """A Luhn-valid card number with a real issuer prefix."""
    prefix, length = rng.choice(CARD_ISSUERS)
    body = prefix + _digits(rng, length - len(prefix) - 1)
    return body + luhn_check_digit(body)


def aba_routing(rng: Random) -> str:
    """A US ABA routing number with a valid prefix and checksum."""
    first = rng.choice(("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"))
    body = first + _digits(rng, 6)
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    s = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return body + str((10 - s % 10) % 10)


def ssn(rng: Random) -> str:
    """A US SSN that follows the area/group/serial rules (``123-45-6789``)."""
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


# Country -> BBAN layout: (kind, length) parts; "n" digits, "a" upper letters, "c" alphanumeric.
_BBAN: dict[str, tuple[tuple[str, int], ...]] = {
    "DE": (("n", 18),),
    "GB": (("a", 4), ("n", 14)),
    "IE": (("a", 4), ("n", 14)),
    "NL": (("a", 4), ("n", 10)),
    "FR": (("n", 10), ("c", 11), ("n", 2)),
    "IT": (("a", 1), ("n", 10), ("c", 12)),
    "AT": (("n", 16),),
    "PL": (("n", 24),),
    "SE": (("n", 20),),
    "FI": (("n", 14),),
    "DK": (("n", 14),),
}
_UPPER_DIGITS = string.ascii_uppercase + string.digits


def _bban(rng: Random, country: str) -> str:
    if country == "BE":
        body = f"{rng.randrange(100):03d}{_digits(rng, 7)}"  # 000-099: two large banks' codes
        check = int(body) % 97 or 97
        return f"{body}{check:02d}"
    if country == "ES":
        bank_branch, account = _digits(rng, 8), _digits(rng, 10)
        return bank_branch + _es_dc("00" + bank_branch) + _es_dc(account) + account
    parts = []
    for kind, n in _BBAN.get(country, _BBAN["DE"]):
        alphabet = {"n": string.digits, "a": string.ascii_uppercase, "c": _UPPER_DIGITS}[kind]
        parts.append("".join(rng.choice(alphabet) for _ in range(n)))
    return "".join(parts)


def _es_dc(digits: str) -> str:
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)
    value = 11 - sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 11
    return str({10: 1, 11: 0}.get(value, value))


def iban(rng: Random, country: str) -> str:
    """An IBAN with valid mod-97 check digits (and national check digits for BE and ES)."""
    country = country if country in _BBAN or country in ("BE", "ES") else "DE"
    bban = _bban(rng, country)
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def group_iban(value: str) -> str:
    """The IBAN in the paper format, groups of four."""
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def _es_dni(rng: Random, dob: dt.date) -> str:
    n = rng.randint(10_000_000, 79_999_999)
    return f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"


def _nl_bsn(rng: Random, dob: dt.date) -> str:
    while True:
        body = _digits(rng, 8)
        if body[0] == "0":
            continue
        check = sum(int(c) * w for c, w in zip(body, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return body + str(check)


def _pl_pesel(rng: Random, dob: dt.date) -> str:
    month = dob.month + (20 if dob.year >= 2000 else 0)
    body = f"{dob.year % 100:02d}{month:02d}{dob.day:02d}{_digits(rng, 4)}"
    s = sum(int(c) * w for c, w in zip(body, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3), strict=True))
    return body + str((10 - s % 10) % 10)


def _se_personnummer(rng: Random, dob: dt.date) -> str:
    body = f"{dob.year % 100:02d}{dob.month:02d}{dob.day:02d}{_digits(rng, 3)}"
    return f"{body[:6]}-{body[6:]}{luhn_check_digit(body)}"


def _fi_hetu(rng: Random, dob: dt.date) -> str:
    serial = rng.randint(2, 899)
    head = f"{dob.day:02d}{dob.month:02d}{dob.year % 100:02d}"
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(f"{head}{serial:03d}") % 31]
    return f"{head}{'A' if dob.year >= 2000 else '-'}{serial:03d}{check}"


def _be_nn(rng: Random, dob: dt.date) -> str:
    body = f"{dob.year % 100:02d}{dob.month:02d}{dob.day:02d}{rng.randint(1, 997):03d}"
    base = int(("2" if dob.year >= 2000 else "") + body)
    check = 97 - base % 97
    return f"{body[0:2]}.{body[2:4]}.{body[4:6]}-{body[6:9]}.{check:02d}"


def _fr_nir(rng: Random, dob: dt.date) -> str:
    dept = rng.choice(("75", "69", "13", "31", "44", "59", "33", "67"))
    body = f"{rng.choice('12')}{dob.year % 100:02d}{dob.month:02d}{dept}"
    body += f"{rng.randint(1, 990):03d}{rng.randint(1, 999):03d}"
    return f"{body}{97 - int(body) % 97:02d}"


def _dk_cpr(rng: Random, dob: dt.date) -> str:
    # The seventh digit encodes the century together with the year (0-3: 1900-1999).
    century = "4" if dob.year >= 2000 else str(rng.randint(0, 3))
    return f"{dob.day:02d}{dob.month:02d}{dob.year % 100:02d}-{century}{_digits(rng, 3)}"


def _ca_sin(rng: Random, dob: dt.date) -> str:
    body = rng.choice("1234567") + _digits(rng, 7)
    full = body + luhn_check_digit(body)
    return f"{full[:3]} {full[3:6]} {full[6:]}"


NATIONAL_IDS = {
    "ES": _es_dni,
    "NL": _nl_bsn,
    "PL": _pl_pesel,
    "SE": _se_personnummer,
    "FI": _fi_hetu,
    "BE": _be_nn,
    "FR": _fr_nir,
    "DK": _dk_cpr,
    "CA": _ca_sin,
}


def national_id(rng: Random, country: str, dob: dt.date) -> str | None:
    """A national identity number with valid check digits, or None for countries without one."""
    make = NATIONAL_IDS.get(country)
    return make(rng, dob) if make else None
