"""Customer-master column mapping: synonyms in several languages, overrides, clear errors."""

from __future__ import annotations

import pytest

from breachdesk.core.errors import InvalidInputError
from breachdesk.identity.mapping import (
    _SYNONYMS,
    Field,
    field_of,
    header_key,
    map_columns,
    parse_overrides,
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Customer ID", Field.CUSTOMER_ID),
        ("customerId", Field.CUSTOMER_ID),
        ("Kundennummer", Field.CUSTOMER_ID),
        ("E-Mail", Field.EMAIL),
        ("Courriel", Field.EMAIL),
        ("Téléphone", Field.PHONE),
        ("Handy", Field.PHONE),
        ("SSN", Field.SSN),
        ("Vorname", Field.FIRST_NAME),
        ("Nachname", Field.LAST_NAME),
        ("Apellidos", Field.LAST_NAME),
        ("Full Name", Field.FULL_NAME),
        ("Geburtsdatum", Field.DATE_OF_BIRTH),
        ("DOB", Field.DATE_OF_BIRTH),
        ("Straße", Field.STREET),
        ("PLZ", Field.POSTAL_CODE),
        ("ZIP Code", Field.POSTAL_CODE),
        ("Ville", Field.CITY),
        ("State", Field.REGION),
        ("Provincia", Field.REGION),
        ("Pays", Field.COUNTRY),
        ("Land", Field.COUNTRY),
        ("Benutzername", Field.USERNAME),
    ],
)
def test_headers_map_to_fields(header: str, field: Field) -> None:
    assert field_of(header) is field


def test_unrelated_headers_map_to_nothing() -> None:
    assert field_of("loyalty_points") is None
    assert field_of("signup_date") is None


def test_no_synonym_names_two_fields() -> None:
    seen: dict[str, Field] = {}
    for field, words in _SYNONYMS.items():
        for word in words.split():
            assert seen.setdefault(word, field) is field, word
            assert header_key(word) == word


def test_mapping_follows_header_order_and_skips_unknown_columns() -> None:
    mapping = map_columns(["Kundennummer", "notes", "E-Mail", "Telefon"])
    assert mapping.as_dict() == {
        "customer_id": "Kundennummer",
        "email": "E-Mail",
        "phone": "Telefon",
    }
    assert mapping.get(Field.SSN) is None


def test_two_candidate_columns_need_an_explicit_choice() -> None:
    with pytest.raises(InvalidInputError, match="'email', 'e_mail' all look like email"):
        map_columns(["id", "email", "e_mail"])
    mapping = map_columns(["id", "email", "e_mail"], {"email": "e_mail"})
    assert mapping.get(Field.EMAIL) == "e_mail"


def test_override_takes_precedence_and_claims_its_column() -> None:
    mapping = map_columns(["ref", "mail", "name"], {"customer_id": "ref", "full_name": "mail"})
    assert mapping.get(Field.CUSTOMER_ID) == "ref"
    assert mapping.get(Field.FULL_NAME) == "mail"
    assert mapping.get(Field.EMAIL) is None


def test_override_naming_a_missing_column_is_an_error() -> None:
    with pytest.raises(InvalidInputError, match=r"column 'kunde' .* is not in the input"):
        map_columns(["id"], {"customer_id": "kunde"})


def test_override_naming_an_unknown_field_is_an_error() -> None:
    with pytest.raises(InvalidInputError, match="unknown field 'shoe_size'"):
        map_columns(["id"], {"shoe_size": "id"})


def test_parse_overrides() -> None:
    assert parse_overrides(["email = Mail", "customer_id=ref"]) == {
        "email": "Mail",
        "customer_id": "ref",
    }
    with pytest.raises(InvalidInputError, match="expected field=column"):
        parse_overrides(["email"])
