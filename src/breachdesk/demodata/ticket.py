"""Leaked support tickets: prose that mentions names, emails, phones and card numbers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from random import Random

from breachdesk.core.element import DataElement as E
from breachdesk.demodata import noise
from breachdesk.demodata.account import Account
from breachdesk.demodata.export import format_card
from breachdesk.demodata.person import Person
from breachdesk.demodata.truth import FileTruth, SpanTruth

TICKET_DIR = "tickets"
Segment = tuple[str, E | None]


def _compose(segments: Sequence[Segment]) -> tuple[str, tuple[SpanTruth, ...]]:
    text, spans, pos = [], [], 0
    for piece, element in segments:
        if element is not None:
            spans.append(SpanTruth(element, pos, pos + len(piece)))
        text.append(piece)
        pos += len(piece)
    return "".join(text), tuple(spans)


def _ticket(rng: Random, number: int, person: Person, account: Account) -> list[Segment]:
    name = f"{person.first_name} {person.last_name}"
    phone = noise.format_phone(rng, person.phone)
    segments: list[Segment] = [
        (f"Ticket #{48_000 + number}\nStatus: open\nPriority: normal\n\n", None),
        ("Hi, this is ", None),
        (name, E.PERSON_NAME),
        (". I was charged twice for my last order. ", None),
    ]
    if rng.random() < 0.5:
        segments += [
            ("The card I used is ", None),
            (format_card(rng, account.card_number), E.PAYMENT_CARD),
            (", please refund it. ", None),
        ]
    segments += [
        ("You can reach me at ", None),
        (person.email, E.EMAIL),
        (" or call ", None),
        (phone, E.PHONE),
        (" after 5pm.\n\n", None),
    ]
    if rng.random() < 0.3:
        segments += [
            ("My address changed to ", None),
            (f"{person.street}, {person.city} {person.postal_code}", E.POSTAL_ADDRESS),
            (".\n", None),
        ]
    segments.append(("\n-- agent note: verified identity by date of birth, refund pending\n", None))
    return segments


def _eml(rng: Random, number: int, person: Person) -> tuple[str, frozenset[E]]:
    name = f"{person.first_name} {person.last_name}"
    body = (
        f"Hello support,\n\nPlease close my account. My username is {person.username} and my "
        f"phone number is {noise.format_phone(rng, person.phone)}.\n\nThanks,\n{name}\n"
    )
    text = (
        f"From: {name} <{person.email}>\nTo: support@shop.example.com\n"
        f"Subject: Close my account (ticket {52_000 + number})\n"
        f"Date: Sat, 30 May 2026 10:{number % 60:02d}:00 +0000\n"
        f"Message-ID: <ticket-{52_000 + number}@shop.example.com>\n"
        'Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: 8bit\n'
        f"MIME-Version: 1.0\n\n{body}"
    )
    return text, frozenset({E.PERSON_NAME, E.EMAIL, E.PHONE, E.USERNAME})


def write_tickets(
    folder: Path, people: Sequence[Person], accounts: Sequence[Account], rng: Random
) -> list[FileTruth]:
    """Write up to 20 ``.txt`` tickets (with span truth) and 5 ``.eml`` messages into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    truths = []
    picks = rng.sample(range(len(people)), min(25, len(people)))
    for number, idx in enumerate(picks[:20]):
        text, spans = _compose(_ticket(rng, number, people[idx], accounts[idx]))
        name = f"ticket-{number + 1:04d}.txt"
        (folder / name).write_text(text, "utf-8", newline="\n")
        truths.append(FileTruth(path=f"{TICKET_DIR}/{name}", format="text", rows=1, spans=spans))
    for number, idx in enumerate(picks[20:]):
        text, elements = _eml(rng, number, people[idx])
        name = f"mail-{number + 1:04d}.eml"
        (folder / name).write_text(text, "utf-8", newline="\n")
        truths.append(
            FileTruth(path=f"{TICKET_DIR}/{name}", format="eml", rows=1, elements=elements)
        )
    return truths
