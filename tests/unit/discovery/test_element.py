"""The data-element vocabulary: every element has a label, a tier and legal classes."""

from __future__ import annotations

from breachdesk.core.element import (
    COUNTRY_SCOPED,
    DataElement,
    LegalClass,
    Sensitivity,
    elements_in,
    info,
    label,
)

REQUIRED = [
    "person_name",
    "date_of_birth",
    "mothers_maiden_name",
    "gender",
    "email",
    "phone",
    "postal_address",
    "postal_code",
    "location",
    "ssn",
    "national_id",
    "drivers_license",
    "passport",
    "tax_id",
    "payment_card",
    "card_security_code",
    "card_expiry",
    "bank_account",
    "iban",
    "routing_number",
    "username",
    "password",
    "password_hash",
    "security_answer",
    "api_key",
    "auth_token",
    "ip_address",
    "device_id",
    "geolocation",
    "medical",
    "health_insurance",
    "biometric",
    "genetic",
    "racial_ethnic_origin",
    "political_opinion",
    "religious_belief",
    "trade_union",
    "sex_life_orientation",
    "criminal_record",
    "vehicle_id",
]


def test_required_ids_exist() -> None:
    assert {e.value for e in DataElement} >= set(REQUIRED)


def test_every_element_described() -> None:
    for element in DataElement:
        i = info(element)
        assert i.label.startswith(("your", "an ", "a ", "the ", "information"))
        assert isinstance(i.sensitivity, Sensitivity)
        assert i.classes


def test_labels_and_classes() -> None:
    assert label(DataElement.SSN) == "your Social Security number"
    assert DataElement.MEDICAL in elements_in(LegalClass.SPECIAL_CATEGORY)
    assert DataElement.PASSWORD in elements_in(LegalClass.CREDENTIAL)
    assert DataElement.NATIONAL_ID in COUNTRY_SCOPED
    assert (
        max(info(e).sensitivity for e in (DataElement.EMAIL, DataElement.SSN))
        is Sensitivity.CRITICAL
    )
