"""Normalisation for keyed hashing (idempotent, format-insensitive) and masking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.core.element import DataElement as E
from breachdesk.discovery.normalize import mask, normalize


@pytest.mark.parametrize(
    ("element", "a", "b"),
    [
        (E.EMAIL, " John.Doe@Example.COM ", "john.doe@example.com"),
        (E.PHONE, "(415) 555-2671", "+1 415 555 2671"),
        (E.PHONE, "+44 20 7946 0958", "+442079460958"),
        (E.SSN, "123-45-6780", "123 45 6780"),
        (E.PAYMENT_CARD, "4111-1111-1111-1111", "4111111111111111"),
        (E.IBAN, "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432"),
        (E.PERSON_NAME, "  Jane   DOE", "jane doe"),
        (E.POSTAL_CODE, "sw1a 1aa", "SW1A1AA"),
    ],
)
def test_equivalent_forms_normalise_alike(element: E, a: str, b: str) -> None:
    assert normalize(element, a) == normalize(element, b)


def test_phone_in_e164() -> None:
    assert normalize(E.PHONE, "(415) 555-2671") == "+14155552671"


def test_secrets_keep_case() -> None:
    assert normalize(E.PASSWORD, " Hunter2 ") == "Hunter2"


@given(st.sampled_from(list(E)), st.text(max_size=30))
def test_normalise_is_idempotent(element: E, value: str) -> None:
    once = normalize(element, value)
    assert normalize(element, once) == once


@pytest.mark.parametrize(
    ("element", "value", "masked"),
    [
        (E.EMAIL, "jane@example.com", "j***@example.com"),
        (E.SSN, "123-45-6780", "***-**-6780"),
        (E.PAYMENT_CARD, "4111 1111 1111 1111", "****-****-****-1111"),
        (E.PHONE, "+1 415 555 2671", "***-***-2671"),
        (E.PASSWORD, "hunter2", "[redacted]"),
        (E.PERSON_NAME, "Jane Doe", "J*** D***"),
    ],
)
def test_mask(element: E, value: str, masked: str) -> None:
    assert mask(element, value) == masked


@given(st.sampled_from(list(E)), st.text(min_size=8, max_size=30).filter(lambda s: s.strip()))
def test_mask_never_returns_whole_value(element: E, value: str) -> None:
    assert value.strip() != mask(element, value) or len(value.strip()) <= 4
