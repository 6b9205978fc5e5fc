"""Invented customers: one resident of one country with contact details and identifiers."""

from __future__ import annotations

import datetime as dt
import string
import unicodedata
from dataclasses import dataclass
from random import Random

from breachdesk.demodata.identifiers import national_id, ssn
from breachdesk.demodata.lexicon import COUNTRIES, EMAIL_DOMAINS, Country, Place

# Country -> (calling code, national mobile/landline number generator pattern).
# In patterns "#" is any digit and "N" is 2-9; the prefix before it is fixed.
_PHONE: dict[str, tuple[str, tuple[str, ...]]] = {
    "US": ("1", ("N##N######",)),
    "CA": ("1", ("416N######", "514N######", "604N######", "403N######", "613N######")),
    "GB": (
        "44",
        ("74########", "75########", "78########", "79########", "207#######", "208#######"),
    ),
    "AU": ("61", ("40#######", "41#######", "42#######", "43#######")),
    "DE": ("49", ("151########", "160#######", "170#######", "30########")),
    "FR": ("33", ("61#######", "62#######", "67#######", "14#######")),
    "ES": ("34", ("6########", "91#######")),
    "IT": ("39", ("33########", "34########", "39########", "06########")),
    "NL": ("31", ("61#######", "62#######", "64#######", "20#######")),
    "BE": ("32", ("47#######", "48#######", "49#######")),
    "SE": ("46", ("70#######", "73#######", "8#######")),
    "PL": ("48", ("50#######", "60#######", "69#######", "22#######")),
    "IE": ("353", ("83#######", "85#######", "87#######", "1#######")),
    "FI": ("358", ("40#######", "50#######")),
    "DK": ("45", ("25N#####", "28N#####", "40N#####", "51N#####", "60N#####")),
}
_US_AREA = [
    "212",
    "213",
    "214",
    "215",
    "216",
    "217",
    "281",
    "305",
    "312",
    "313",
    "314",
    "317",
    "323",
    "347",
    "404",
    "407",
    "412",
    "415",
    "425",
    "469",
    "503",
    "504",
    "509",
    "512",
    "513",
    "516",
    "602",
    "612",
    "614",
    "615",
    "617",
    "619",
    "702",
    "703",
    "704",
    "713",
    "718",
    "720",
    "727",
    "773",
    "786",
    "801",
    "804",
    "813",
    "816",
    "818",
    "832",
    "858",
    "860",
    "901",
    "916",
    "919",
    "925",
    "954",
    "971",
]


@dataclass(frozen=True, slots=True)
class Person:
    """One customer of the demo company; the truth from which every leaked file is derived."""

    customer_id: str
    first_name: str
    last_name: str
    gender: str
    email: str
    phone: str  # E.164
    date_of_birth: dt.date
    street: str
    city: str
    region: str
    postal_code: str
    country: str
    username: str
    signup_date: dt.date
    marketing_opt_in: bool
    ssn: str | None
    national_id: str | None
    national_id_country: str | None
    loyalty_number: str


def ascii_fold(text: str) -> str:
    """Text without accents and without characters unusual in an e-mail local part."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c in string.ascii_lowercase + string.digits)


def _pattern(rng: Random, pattern: str) -> str:
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(rng.choice(string.digits))
        elif ch == "N":
            out.append(rng.choice("23456789"))
        else:
            out.append(ch)
    return "".join(out)


def phone_e164(rng: Random, country: str) -> str:
    """A phone number in E.164 form with a plausible national numbering plan."""
    code, patterns = _PHONE[country]
    national = _pattern(rng, rng.choice(patterns))
    if country == "US":
        exchange = rng.choice("23456789") + _pattern(rng, "##")
        while exchange[1:] == "11":
            exchange = rng.choice("23456789") + _pattern(rng, "##")
        national = rng.choice(_US_AREA) + exchange + _pattern(rng, "####")
    return f"+{code}{national}"


def postal_code(rng: Random, country: str, place: Place) -> str:
    """A postal code in the country's format, starting with the town's prefix."""
    p = place.postal_prefix
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    match country:
        case "US":
            return p + _pattern(rng, "#" * (5 - len(p)))
        case "GB":
            return f"{p} {rng.choice(string.digits)}{rng.choice(letters)}{rng.choice(letters)}"
        case "CA":
            middle = rng.choice("ABCEGHJKLMNPRSTVWXYZ")
            return f"{p} {rng.choice(string.digits)}{middle}{rng.choice(string.digits)}"
        case "IE":
            return f"{p} {''.join(rng.choice('ACDEFHKNPRTVWXY0123456789') for _ in range(4))}"
        case "PL":
            raw = p + _pattern(rng, "####")
            return f"{raw[:2]}-{raw[2:]}"
        case "SE":
            raw = p + _pattern(rng, "###")
            return f"{raw[:3]} {raw[3:]}"
        case "NL":
            return f"{p}{_pattern(rng, '##')} {rng.choice(letters)}{rng.choice(letters)}"
        case "AU" | "BE" | "DK":
            return p + _pattern(rng, "#" * (4 - len(p)))
        case _:
            return p + _pattern(rng, "#" * (5 - len(p)))


def street_address(rng: Random, country: Country) -> str:
    """A house number and street in the country's order."""
    street = rng.choice(country.streets).replace("_", " ")
    number = str(rng.randint(1, 250) if country.street_first else rng.randint(1, 120))
    if country.street_first:
        return f"{number} {street}"
    return f"{street} {number}"


def _pick_country(rng: Random) -> Country:
    countries = [c for c, _ in COUNTRIES]
    weights = [w for _, w in COUNTRIES]
    return rng.choices(countries, weights=weights)[0]


def _email(rng: Random, first: str, last: str, serial: int) -> str:
    f, lname = ascii_fold(first), ascii_fold(last)
    local = rng.choice(
        (
            f"{f}.{lname}",
            f"{f[0]}{lname}",
            f"{f}{lname}{serial % 97}",
            f"{f}_{lname}",
            f"{lname}.{f}",
        )
    )
    return f"{local}{serial}@{rng.choice(EMAIL_DOMAINS)}"


def make_person(rng: Random, index: int, today: dt.date) -> Person:
    """The ``index``-th customer, drawn from ``rng``."""
    country = _pick_country(rng)
    gender = rng.choice("FM")
    first = rng.choice(country.given_female if gender == "F" else country.given_male)
    last = rng.choice(country.surnames).replace("_", " ")
    dob = today - dt.timedelta(days=rng.randint(18 * 365, 85 * 365))
    place = rng.choice(country.places)
    has_ssn = country.code == "US" and rng.random() < 0.6
    nid = national_id(rng, country.code, dob) if rng.random() < 0.7 else None
    return Person(
        customer_id=f"C{index + 1:07d}",
        first_name=first,
        last_name=last,
        gender=gender,
        email=_email(rng, first, last, index + 1),
        phone=phone_e164(rng, country.code),
        date_of_birth=dob,
        street=street_address(rng, country),
        city=place.city,
        region=place.region,
        postal_code=postal_code(rng, country.code, place),
        country=country.code,
        username=f"{ascii_fold(first)[:6]}{ascii_fold(last)[:6]}{rng.randint(1, 9999)}",
        signup_date=today - dt.timedelta(days=rng.randint(30, 3650)),
        marketing_opt_in=rng.random() < 0.55,
        ssn=ssn(rng) if has_ssn else None,
        national_id=nid,
        national_id_country=country.code if nid else None,
        loyalty_number=f"LY-{rng.randint(0, 99_999_999):08d}",
    )
