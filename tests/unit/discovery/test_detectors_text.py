"""Per-detector behaviour on small texts, and the free-text engine that combines them."""

from __future__ import annotations

import pytest

from breachdesk.core.element import DataElement as E
from breachdesk.discovery.detectors.api_key import ApiKeyDetector
from breachdesk.discovery.detectors.credit_card import CreditCardDetector
from breachdesk.discovery.detectors.date_of_birth import DateOfBirthDetector
from breachdesk.discovery.detectors.email import EmailDetector
from breachdesk.discovery.detectors.iban import IbanDetector
from breachdesk.discovery.detectors.ip_address import IpAddressDetector
from breachdesk.discovery.detectors.national_id import NationalIdDetector
from breachdesk.discovery.detectors.password_hash import PasswordHashDetector
from breachdesk.discovery.detectors.person_name import PersonNameDetector
from breachdesk.discovery.detectors.phone import PhoneDetector
from breachdesk.discovery.detectors.postal_address import PostalAddressDetector
from breachdesk.discovery.detectors.ssn import SsnDetector
from breachdesk.discovery.text import detect_text


def spans(detector: object, text: str) -> list[tuple[E, str]]:
    return [(m.element, text[m.start : m.end]) for m in detector.find(text)]  # type: ignore[attr-defined]


def test_email() -> None:
    text = "write to Jane.Doe+x@mail.example.org, not @handle or a@b"
    assert spans(EmailDetector(), text) == [(E.EMAIL, "Jane.Doe+x@mail.example.org")]


def test_card_requires_luhn_and_issuer() -> None:
    d = CreditCardDetector()
    assert spans(d, "card 4111 1111 1111 1111.") == [(E.PAYMENT_CARD, "4111 1111 1111 1111")]
    assert spans(d, "card 4111 1111 1111 1112") == []
    ms = list(d.find("pay with visa 4111111111111111"))
    assert ms[0].confidence > 0.9  # context word raises confidence


def test_ssn_dashed_plain_and_itin() -> None:
    d = SsnDetector()
    assert spans(d, "SSN 123-45-6780") == [(E.SSN, "123-45-6780")]
    assert spans(d, "number 123456780") == []  # plain digits need a cue
    assert spans(d, "ssn: 123456780") == [(E.SSN, "123456780")]
    assert spans(d, "ITIN 912-70-1234") == [(E.TAX_ID, "912-70-1234")]
    assert spans(d, "666-12-3456") == []


def test_iban_trailing_word_not_swallowed() -> None:
    text = "IBAN DE89 3704 0044 0532 0130 00 thanks"
    assert spans(IbanDetector(), text) == [(E.IBAN, "DE89 3704 0044 0532 0130 00")]


@pytest.mark.parametrize(
    "text", ["Call +1 415-555-2671", "tel: 020 7946 0958", "Mobile: 0612345678", "(212) 555-0199"]
)
def test_phone_found(text: str) -> None:
    assert [e for e, _ in spans(PhoneDetector(), text)] == [E.PHONE]


@pytest.mark.parametrize("text", ["in 2014", "on 2018-02-24 12:45:18", "v1.2.3", "total 1234"])
def test_phone_not_found(text: str) -> None:
    assert spans(PhoneDetector(), text) == []


def test_ip_addresses() -> None:
    d = IpAddressDetector()
    assert spans(d, "from 10.0.0.1 and fe80::1ff:fe23:4567:890a") == [
        (E.IP_ADDRESS, "10.0.0.1"),
        (E.IP_ADDRESS, "fe80::1ff:fe23:4567:890a"),
    ]
    assert spans(d, "version 300.1.1.1") == []


def test_password_hash_bare_hex_needs_cue() -> None:
    d = PasswordHashDetector()
    assert spans(d, "etag 5f4dcc3b5aa765d61d8327deb882cf99") == []
    assert spans(d, "password md5 5f4dcc3b5aa765d61d8327deb882cf99")[0][0] is E.PASSWORD_HASH


def test_api_keys_and_tokens() -> None:
    d = ApiKeyDetector()
    assert spans(d, "key=AKIAIOSFODNN7EXAMPLE")[0] == (E.API_KEY, "AKIAIOSFODNN7EXAMPLE")
    assert [e for e, _ in spans(d, "secret: q8Zr2mX9vT4pL7sK1nB6wE3y")] == [E.AUTH_TOKEN]
    assert spans(d, "the secret is out") == []


def test_national_id_carries_country() -> None:
    ms = list(NationalIdDetector().find("DNI 12345678Z"))
    assert [(m.element, m.country) for m in ms] == [(E.NATIONAL_ID, "ES")]


def test_date_of_birth_needs_cue() -> None:
    d = DateOfBirthDetector()
    assert spans(d, "born on 12/03/1984") == [(E.DATE_OF_BIRTH, "12/03/1984")]
    assert spans(d, "shipped on 12/03/1984") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My name is Olga Petrova.", "Olga Petrova"),
        ("Please ask Mr. Okafor", "Okafor"),
        ("Kind regards,\nHenrik Larsen", "Henrik Larsen"),
        ("I met Sarah yesterday", "Sarah"),
    ],
)
def test_person_names(text: str, name: str) -> None:
    assert [v for _, v in spans(PersonNameDetector(), text)] == [name]


@pytest.mark.parametrize(
    "text", ["The United States Senate met on Monday", "Acme Technologies Inc grew", "Hello there"]
)
def test_not_person_names(text: str) -> None:
    assert spans(PersonNameDetector(), text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Ship to 742 Evergreen Terrace, Springfield, IL 62704 today",
            "742 Evergreen Terrace, Springfield, IL 62704",
        ),
        ("Meet at 10 Downing Street", "10 Downing Street"),
        (
            "Send to 12 Hauptstraße 5\nBerlin\nGermany 10115",
            "12 Hauptstraße 5\nBerlin\nGermany 10115",
        ),
        ("My address: 55 Via Roma Apt. 3", "55 Via Roma Apt. 3"),
    ],
)
def test_postal_addresses(text: str, address: str) -> None:
    assert [v for _, v in spans(PostalAddressDetector(), text)] == [address]


def test_postal_address_not_in_quantities() -> None:
    assert spans(PostalAddressDetector(), "We sold 300 units in the first week") == []


def test_detect_text_resolves_overlaps_and_hides_values() -> None:
    text = "Dear John Smith, your card 4111 1111 1111 1111 and email j.smith@example.com"
    ms = detect_text(text)
    assert [m.element for m in ms] == [E.PERSON_NAME, E.PAYMENT_CARD, E.EMAIL]
    assert all(m.start < m.end for m in ms)
    for i in range(len(ms) - 1):
        assert ms[i].end <= ms[i + 1].start
    assert "4111" not in repr(ms)
    assert "example.com" not in repr(ms)
    assert all(m.detector.endswith("@1") for m in ms)


def test_credentials_after_labels() -> None:
    from breachdesk.discovery.detectors.credential import CredentialDetector

    text = "login: jdoe42 password: Tr0ub4dor&3"
    assert set(spans(CredentialDetector(), text)) == {
        (E.USERNAME, "jdoe42"),
        (E.PASSWORD, "Tr0ub4dor&3"),
    }
    assert spans(CredentialDetector(), "password: reset") == []


def test_card_details_need_labels() -> None:
    from breachdesk.discovery.detectors.card_detail import CardDetailDetector

    assert spans(CardDetailDetector(), "exp 09/27, CVV 123") == [
        (E.CARD_EXPIRY, "09/27"),
        (E.CARD_SECURITY_CODE, "123"),
    ]
    assert spans(CardDetailDetector(), "we met on 09/27 at 123 Main") == []


def test_device_ids_and_coordinates() -> None:
    from breachdesk.discovery.detectors.device_id import DeviceIdDetector
    from breachdesk.discovery.detectors.geolocation import GeolocationDetector

    assert spans(DeviceIdDetector(), "mac 00:1a:2b:3c:4d:5e") == [
        (E.DEVICE_ID, "00:1a:2b:3c:4d:5e")
    ]
    assert spans(DeviceIdDetector(), "IMEI 490154203237517") == []  # Luhn fails
    assert spans(GeolocationDetector(), "at 48.85837, 2.294481") == [
        (E.GEOLOCATION, "48.85837, 2.294481")
    ]
    assert spans(GeolocationDetector(), "at 98.85837, 2.294481") == []  # latitude out of range
