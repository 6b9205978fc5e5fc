"""Every data element has a plain name and advice in every shipped locale."""

from __future__ import annotations

import pytest

from breachdesk.core.element import DataElement, label
from breachdesk.notify.elements import (
    LOCALES,
    base_locale,
    element_advice,
    element_name,
    element_texts,
)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("element", list(DataElement))
def test_every_element_has_text_in_every_locale(element: DataElement, locale: str) -> None:
    assert element_name(element, locale).strip()
    assert len(element_advice(element, locale)) > 40


@pytest.mark.parametrize("locale", LOCALES)
def test_names_are_distinct_within_a_locale(locale: str) -> None:
    names = [element_name(e, locale) for e in DataElement]
    assert len(set(names)) == len(names)


def test_english_reuses_the_core_labels() -> None:
    assert all(element_name(e, "en") == label(e) for e in DataElement)


@pytest.mark.parametrize(
    ("element", "words"),
    [
        (DataElement.PASSWORD_HASH, "Change your password"),
        (DataElement.SECURITY_ANSWER, "security questions"),
        (DataElement.SSN, "credit freeze"),
        (DataElement.TAX_ID, "fraud alert"),
        (DataElement.CARD_SECURITY_CODE, "card statements"),
        (DataElement.IBAN, "bank statements"),
        (DataElement.PHONE, "fraudulent messages"),
    ],
)
def test_advice_fits_the_element(element: DataElement, words: str) -> None:
    assert words in element_advice(element, "en")


def test_texts_are_most_sensitive_first_and_locale_tags_fall_back() -> None:
    texts = element_texts(["email", "ssn", "postal_code"], "es-MX")
    assert [t.element.value for t in texts] == ["ssn", "email", "postal_code"]
    assert texts[0].name == "su número de Seguro Social"
    assert base_locale("pt-BR") == "en"
    assert base_locale("de_AT") == "de"
