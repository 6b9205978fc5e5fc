"""The secrets and payment details the demo company kept beside each customer."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from breachdesk.demodata import credential as cred
from breachdesk.demodata.identifiers import aba_routing, card_number, iban
from breachdesk.demodata.person import Person

_IBAN_COUNTRIES = frozenset(
    ["GB", "DE", "FR", "ES", "IT", "NL", "BE", "SE", "PL", "IE", "FI", "DK", "AT"]
)


@dataclass(frozen=True, slots=True)
class Account:
    """One customer's account: credentials, payment method and last device."""

    password: str = ""
    password_hash: str = ""
    card_number: str = ""
    card_expiry: str = ""
    cvv: str = ""
    iban: str = ""
    routing_number: str = ""
    account_number: str = ""
    ip_address: str = ""
    device_id: str = ""
    api_key: str = ""
    session_token: str = ""


def make_account(rng: Random, person: Person) -> Account:
    """Account details for ``person``: IBAN in Europe, routing and account number elsewhere."""
    secret = cred.password(rng)
    card = card_number(rng)
    europe = person.country in _IBAN_COUNTRIES
    return Account(
        password=secret,
        password_hash=cred.password_hash(rng, secret),
        card_number=card,
        card_expiry=cred.card_expiry(rng),
        cvv=cred.cvv(rng, card),
        iban=iban(rng, person.country) if europe else "",
        routing_number="" if europe else aba_routing(rng),
        account_number="" if europe else f"{rng.randrange(10**9, 10**12)}",
        ip_address=cred.ip_address(rng),
        device_id=cred.device_id(rng),
        api_key=cred.api_key(rng) if rng.random() < 0.4 else "",
        session_token=cred.auth_token(rng, person.customer_id),
    )


def make_accounts(people: list[Person], seed: int) -> list[Account]:
    """Accounts for every customer, deterministic for the seed."""
    rng = Random(f"accounts-{seed}")
    return [make_account(rng, p) for p in people]
