"""The leaked CSV export: orders joined with customer, payment and session details."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from random import Random

from breachdesk.core.element import DataElement as E
from breachdesk.demodata import noise
from breachdesk.demodata.account import Account
from breachdesk.demodata.lexicon import PRODUCTS
from breachdesk.demodata.person import Person
from breachdesk.demodata.truth import ColumnTruth, FileTruth

EXPORT_FILE = "customers_export.csv"

EXPORT_COLUMNS: dict[str, E | None] = {
    "order_id": None,
    "created_at": None,
    "full_name": E.PERSON_NAME,
    "email": E.EMAIL,
    "phone": E.PHONE,
    "date_of_birth": E.DATE_OF_BIRTH,
    "street_address": E.POSTAL_ADDRESS,
    "city": E.LOCATION,
    "state": E.LOCATION,
    "postal_code": E.POSTAL_CODE,
    "country": E.LOCATION,
    "ssn": E.SSN,
    "card_number": E.PAYMENT_CARD,
    "card_expiry": E.CARD_EXPIRY,
    "cvv": E.CARD_SECURITY_CODE,
    "iban": E.IBAN,
    "routing_number": E.ROUTING_NUMBER,
    "account_number": E.BANK_ACCOUNT,
    "ip_address": E.IP_ADDRESS,
    "device_id": E.DEVICE_ID,
    "api_key": E.API_KEY,
    "session_token": E.AUTH_TOKEN,
    "amount": None,
    "currency": None,
    "product": None,
    "status": None,
    "notes": None,
}
NOTES_EMBEDDED = frozenset({E.EMAIL, E.PHONE})
_PLAIN_NOTES = (
    "Leave at front door",
    "Gift wrap requested",
    "Customer prefers morning delivery",
    "Refund issued after damaged item",
    "Upgraded to express shipping",
    "",
    "",
)


def format_card(rng: Random, card: str) -> str:
    """The card number as typed: plain, in groups of four, or dashed."""
    roll = rng.random()
    if roll < 0.6 or len(card) != 16:
        return card
    groups = [card[i : i + 4] for i in range(0, 16, 4)]
    return (" " if roll < 0.8 else "-").join(groups)


def note(rng: Random, person: Person) -> str:
    """A free-text note; about one in eight mentions the customer's email or phone."""
    roll = rng.random()
    if roll < 0.06:
        return f"Customer asked to send the invoice to {person.email.lower()} instead"
    if roll < 0.12:
        return f"Call back on {noise.format_phone(rng, person.phone)} re: delivery"
    return rng.choice(_PLAIN_NOTES)


def make_export_row(rng: Random, n: int, person: Person, account: Account) -> list[str]:
    """One row of the export, noise included."""
    created = dt.datetime(2025, 1, 1) + dt.timedelta(seconds=rng.randrange(45_000_000))
    full = noise.recase(rng, f"{person.first_name} {person.last_name}")
    return [
        f"ORD-{200_000 + n}",
        created.strftime("%Y-%m-%d %H:%M:%S"),
        noise.pad(rng, noise.typo(rng, full) if rng.random() < 0.02 else full),
        noise.maybe_missing(rng, noise.recase(rng, person.email), 0.02),
        noise.maybe_missing(rng, noise.format_phone(rng, person.phone)),
        noise.format_date(rng, person.date_of_birth),
        person.street,
        noise.recase(rng, person.city),
        person.region,
        person.postal_code,
        person.country,
        person.ssn or "",
        format_card(rng, account.card_number),
        account.card_expiry,
        account.cvv,
        account.iban,
        account.routing_number,
        account.account_number,
        account.ip_address,
        account.device_id,
        account.api_key,
        account.session_token,
        f"{rng.randint(499, 49_999) / 100:.2f}",
        rng.choice(("USD", "EUR", "GBP", "CAD", "AUD")),
        rng.choice(PRODUCTS),
        rng.choice(("paid", "shipped", "delivered", "refunded", "cancelled")),
        note(rng, person),
    ]


def _encode(rng: Random, line: str) -> bytes:
    """UTF-8, except that a few rows with accents come out in latin-1 (a second export tool)."""
    if not line.isascii() and rng.random() < 0.15:
        try:
            return line.encode("latin-1")
        except UnicodeEncodeError:
            pass
    return line.encode("utf-8")


def write_export(
    path: Path, people: Sequence[Person], accounts: Sequence[Account], rng: Random
) -> FileTruth:
    """Write the CSV export; a few rows are latin-1 encoded, the rest UTF-8."""
    out = io.BytesIO()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    out.write(buf.getvalue().encode())
    for n, (person, account) in enumerate(zip(people, accounts, strict=True)):
        buf.seek(0)
        buf.truncate()
        writer.writerow(make_export_row(rng, n, person, account))
        out.write(_encode(rng, buf.getvalue()))
    path.write_bytes(out.getvalue())
    return FileTruth(path=path.name, format="csv", rows=len(people), columns=export_truth())


def export_truth() -> tuple[ColumnTruth, ...]:
    """Column truth of the export (and of the benchmark table, which has the same columns)."""
    return tuple(
        ColumnTruth(name, el, NOTES_EMBEDDED if name == "notes" else frozenset())
        for name, el in EXPORT_COLUMNS.items()
    )
