"""The leaked API dump: one nested JSON customer object per line (NDJSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from random import Random
from typing import Any

from breachdesk.core.element import DataElement as E
from breachdesk.demodata import noise
from breachdesk.demodata.account import Account
from breachdesk.demodata.person import Person
from breachdesk.demodata.truth import FileTruth, columns

API_FILE = "api_customers.ndjson"

# Flattened paths, as readers report them (objects joined with dots).
API_COLUMNS: dict[str, E | None] = {
    "id": None,
    "customer.name.first": E.PERSON_NAME,
    "customer.name.last": E.PERSON_NAME,
    "customer.email": E.EMAIL,
    "customer.phone": E.PHONE,
    "customer.birthdate": E.DATE_OF_BIRTH,
    "customer.gender": E.GENDER,
    "customer.address.line1": E.POSTAL_ADDRESS,
    "customer.address.city": E.LOCATION,
    "customer.address.region": E.LOCATION,
    "customer.address.zip": E.POSTAL_CODE,
    "customer.address.country": E.LOCATION,
    "account.username": E.USERNAME,
    "account.created": None,
    "account.marketing": None,
    "account.last_ip": E.IP_ADDRESS,
    "device.id": E.DEVICE_ID,
    "device.platform": None,
    "payment.card_last4": None,
    "payment.brand": None,
    "stats.orders": None,
    "stats.lifetime_value": None,
}
_BRANDS = {"4": "visa", "5": "mastercard", "2": "mastercard", "3": "amex", "6": "discover"}


def _record(rng: Random, person: Person, account: Account) -> dict[str, Any]:
    address: dict[str, Any] = {
        "line1": person.street,
        "city": person.city,
        "region": person.region,
        "zip": person.postal_code,
        "country": person.country,
    }
    return {
        "id": int(person.customer_id[1:]),
        "customer": {
            "name": {"first": person.first_name, "last": person.last_name},
            "email": noise.recase(rng, person.email),
            "phone": noise.format_phone(rng, person.phone) if rng.random() > 0.03 else None,
            "birthdate": person.date_of_birth.isoformat(),
            "gender": person.gender,
            "address": address,
        },
        "account": {
            "username": person.username,
            "created": f"{person.signup_date.isoformat()}T09:30:00Z",
            "marketing": person.marketing_opt_in,
            "last_ip": account.ip_address,
        },
        "device": {"id": account.device_id, "platform": rng.choice(("ios", "android", "web"))},
        "payment": {
            "card_last4": account.card_number[-4:],
            "brand": _BRANDS.get(account.card_number[0], "jcb"),
        },
        "stats": {"orders": rng.randint(0, 40), "lifetime_value": round(rng.uniform(0, 4000), 2)},
    }


def write_api_dump(
    path: Path, people: Sequence[Person], accounts: Sequence[Account], rng: Random
) -> FileTruth:
    """Write one JSON object per line for every customer."""
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for person, account in zip(people, accounts, strict=True):
            fh.write(json.dumps(_record(rng, person, account), ensure_ascii=False) + "\n")
    return FileTruth(
        path=path.name, format="ndjson", rows=len(people), columns=columns(API_COLUMNS)
    )
