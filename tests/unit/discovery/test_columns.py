"""Column classification on a table with more than 25 kinds of column, plus non-PII columns."""

from __future__ import annotations

import random

import polars as pl
import pytest

from breachdesk.core.element import DataElement as E
from breachdesk.discovery.columns import classify_batch, classify_column
from breachdesk.discovery.header import classify_header
from breachdesk.discovery.model import Locator, TableBatch
from breachdesk.discovery.validators import iban_check_digits, luhn_check_digit

ROWS = 60
FIRST = ["Alice", "Bruno", "Chloé", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas"]
LAST = ["Martin", "Rossi", "Novak", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva"]
STREETS = ["Maple Street", "Rue Victor Hugo", "Hauptstraße", "Calle Mayor", "Oak Avenue"]
CITIES = ["Lyon", "Porto", "Graz", "Austin", "Turku"]


def _card(rng: random.Random) -> str:
    body = "4" + "".join(rng.choice("0123456789") for _ in range(14))
    return body + luhn_check_digit(body)


def _iban(rng: random.Random) -> str:
    bban = "".join(rng.choice("0123456789") for _ in range(18))
    return "DE" + iban_check_digits("DE", bban) + bban


def _dni(rng: random.Random) -> str:
    n = rng.randrange(10_000_000, 99_999_999)
    return f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"


def _phone(i: int) -> str:
    return [f"+1 415-555-{1000 + i:04d}", f"(212) 555-{2000 + i:04d}", f"+44 20 7946 {i:04d}"][
        i % 3
    ]


def build_table() -> tuple[pl.DataFrame, dict[str, E | None]]:
    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    bcrypt = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"
    cols: dict[str, tuple[E | None, list[str | None]]] = {
        "courriel": (E.EMAIL, [f"user{i}@example.org" for i in range(ROWS)]),
        "telefono": (E.PHONE, [_phone(i) for i in range(ROWS)]),
        "nom": (E.PERSON_NAME, [rng.choice(LAST) for _ in range(ROWS)]),
        "apellido": (E.PERSON_NAME, [rng.choice(LAST) for _ in range(ROWS)]),
        "firstName": (E.PERSON_NAME, [rng.choice(FIRST) for _ in range(ROWS)]),
        "geb_datum": (
            E.DATE_OF_BIRTH,
            [f"19{50 + i % 49}-0{1 + i % 9}-1{i % 9}" for i in range(ROWS)],
        ),
        "street_address": (
            E.POSTAL_ADDRESS,
            [f"{i + 1} {rng.choice(STREETS)}" for i in range(ROWS)],
        ),
        "plz": (E.POSTAL_CODE, [f"{10000 + i * 7}" for i in range(ROWS)]),
        "city": (E.LOCATION, [rng.choice(CITIES) for _ in range(ROWS)]),
        "ssn": (E.SSN, [f"{100 + i:03d}-{10 + i % 80:02d}-{1000 + i:04d}" for i in range(ROWS)]),
        "card_number": (E.PAYMENT_CARD, [_card(rng) for _ in range(ROWS)]),
        "cvv": (E.CARD_SECURITY_CODE, [f"{rng.randrange(100, 999)}" for _ in range(ROWS)]),
        "card_exp": (E.CARD_EXPIRY, [f"{1 + i % 12:02d}/2{7 + i % 3}" for i in range(ROWS)]),
        "iban": (E.IBAN, [_iban(rng) for _ in range(ROWS)]),
        "routing_number": (E.ROUTING_NUMBER, ["021000021", "011000015", "026009593"] * (ROWS // 3)),
        "username": (E.USERNAME, [f"user_{i}" for i in range(ROWS)]),
        "pwd": (E.PASSWORD, [f"hunter{i}!" for i in range(ROWS)]),
        "pass_hash": (E.PASSWORD_HASH, [bcrypt] * ROWS),
        "api_key": (E.API_KEY, [f"sk_live_{i:04d}abcdEFGHijklMNOP" for i in range(ROWS)]),
        "last_login_ip": (E.IP_ADDRESS, [f"203.0.113.{i}" for i in range(ROWS)]),
        "gender": (E.GENDER, [rng.choice(["F", "M", "X"]) for _ in range(ROWS)]),
        "passport_number": (E.PASSPORT, [f"X{rng.randrange(10**7, 10**8)}" for _ in range(ROWS)]),
        "drivers_license": (
            E.DRIVERS_LICENSE,
            [f"D{rng.randrange(10**6, 10**7)}" for _ in range(ROWS)],
        ),
        "dni": (E.NATIONAL_ID, [_dni(rng) for _ in range(ROWS)]),
        "device_id": (E.DEVICE_ID, [f"00:1a:2b:3c:4d:{i:02x}" for i in range(ROWS)]),
        "latitude": (E.GEOLOCATION, [f"{40 + i / 100:.4f}" for i in range(ROWS)]),
        "ethnicity": (
            E.RACIAL_ETHNIC_ORIGIN,
            [rng.choice(["Asian", "Hispanic"]) for _ in range(ROWS)],
        ),
        "religion": (E.RELIGIOUS_BELIEF, [rng.choice(["Catholic", "None"]) for _ in range(ROWS)]),
        "diagnosis": (E.MEDICAL, [rng.choice(["asthma", "diabetes"]) for _ in range(ROWS)]),
        "vin": (E.VEHICLE_ID, [f"1HGCM82633A{100000 + i}" for i in range(ROWS)]),
        # value-only: headers that say nothing
        "col_a": (E.EMAIL, [f"p{i}@mail.example.com" if i % 5 else None for i in range(ROWS)]),
        "field_3": (E.PAYMENT_CARD, [_card(rng) for _ in range(ROWS)]),
        "blob": (E.PASSWORD_HASH, [bcrypt] * ROWS),
        # not personal data
        "order_id": (None, [f"{100000000 + i * 7919}" for i in range(ROWS)]),
        "invoice_no": (None, [f"{4000000000000 + i}" for i in range(ROWS)]),
        "amount": (None, [f"{rng.randrange(100, 99999) / 100:.2f}" for _ in range(ROWS)]),
        "product_name": (
            None,
            [rng.choice(["Blue Widget", "Jordan Sneakers", "Paris Mug"]) for _ in range(ROWS)],
        ),
        "created_at": (None, [f"2024-0{1 + i % 9}-1{i % 9} 10:2{i % 10}:00" for i in range(ROWS)]),
        "status": (None, [rng.choice(["shipped", "pending", "returned"]) for _ in range(ROWS)]),
        "quantity": (None, [str(rng.randrange(1, 20)) for _ in range(ROWS)]),
        "sku": (None, [f"SKU-{rng.randrange(10**5, 10**6)}" for _ in range(ROWS)]),
        "request_id": (None, [f"{rng.getrandbits(128):032x}" for _ in range(ROWS)]),
        "notes": (
            None,
            [
                rng.choice(["Left at the door", "Customer asked for gift wrap", None])
                for _ in range(ROWS)
            ],
        ),
        "support_notes": (
            None,
            [
                f"Customer wants a call back, contact user{i}@example.net"
                if i % 4 == 0
                else "Package arrived damaged, refund issued"
                for i in range(ROWS)
            ],
        ),
    }
    frame = pl.DataFrame(
        {k: v for k, (_, v) in cols.items()}, schema=dict.fromkeys(cols, pl.String)
    )
    return frame, {k: e for k, (e, _) in cols.items()}


def test_table_has_at_least_25_pii_kinds() -> None:
    _, expected = build_table()
    assert len({e for e in expected.values() if e is not None}) >= 25


def test_every_column_classified_right() -> None:
    frame, expected = build_table()
    batch = TableBatch(Locator("t.csv"), 1, frame)
    got = {c.column: c.element for c in classify_batch(batch)}
    wrong = {k: (expected[k], got[k]) for k in expected if expected[k] != got[k]}
    assert wrong == {}


def test_counts_shares_and_embedded_pii() -> None:
    frame, _ = build_table()
    email = classify_column("col_a", frame["col_a"])
    assert email.values == 48
    assert email.count == 48
    assert email.share == 1.0
    assert email.basis == "values"
    notes = classify_column("support_notes", frame["support_notes"])
    assert notes.element is None
    assert dict(notes.embedded) == {E.EMAIL: 15}
    assert classify_column("notes", frame["notes"]).embedded == ()


def test_header_contradicted_by_values_is_dropped() -> None:
    series = pl.Series(["mobile", "home", "work"] * 5)
    assert classify_column("phone_type", series).element is None


def test_empty_column_keeps_header_guess_with_low_confidence() -> None:
    c = classify_column("email", pl.Series([None, None], dtype=pl.String))
    assert c.element is E.EMAIL
    assert c.count == 0
    assert c.confidence < 0.5


@pytest.mark.parametrize(
    ("header", "element"),
    [
        ("e-mail", E.EMAIL), ("courriel", E.EMAIL), ("correo", E.EMAIL), ("tel", E.PHONE),
        ("telefono", E.PHONE), ("geb_datum", E.DATE_OF_BIRTH), ("pwd", E.PASSWORD),
        ("pass_hash", E.PASSWORD_HASH), ("nom", E.PERSON_NAME), ("apellido", E.PERSON_NAME),
        ("plz", E.POSTAL_CODE), ("cp", E.POSTAL_CODE), ("customer.address.zip", E.POSTAL_CODE),
        ("Téléphone", E.PHONE), ("passwordHash", E.PASSWORD_HASH), ("email_address", E.EMAIL),
        ("order_id", None), ("product_name", None), ("created_at", None), ("file_hash", None),
    ],
)  # fmt: skip
def test_multilingual_headers(header: str, element: E | None) -> None:
    got = classify_header(header)
    assert (got[0] if got else None) == element
