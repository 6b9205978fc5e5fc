"""The data-element vocabulary: what kind of personal data a value is, in words people understand.

Every later step speaks this vocabulary: discovery finds elements, the exposure manifest lists them
per person, the rules engine triggers on their legal classes and notices name them by ``label``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class DataElement(StrEnum):
    """One kind of personal data; the value is the stable id used in files, rules and reports."""

    PERSON_NAME = "person_name"
    DATE_OF_BIRTH = "date_of_birth"
    MOTHERS_MAIDEN_NAME = "mothers_maiden_name"
    GENDER = "gender"
    EMAIL = "email"
    PHONE = "phone"
    POSTAL_ADDRESS = "postal_address"
    POSTAL_CODE = "postal_code"
    LOCATION = "location"
    SSN = "ssn"
    NATIONAL_ID = "national_id"
    DRIVERS_LICENSE = "drivers_license"
    PASSPORT = "passport"
    TAX_ID = "tax_id"
    PAYMENT_CARD = "payment_card"
    CARD_SECURITY_CODE = "card_security_code"
    CARD_EXPIRY = "card_expiry"
    BANK_ACCOUNT = "bank_account"
    IBAN = "iban"
    ROUTING_NUMBER = "routing_number"
    USERNAME = "username"
    PASSWORD = "password"  # noqa: S105 - an element id, not a secret
    PASSWORD_HASH = "password_hash"  # noqa: S105
    SECURITY_ANSWER = "security_answer"
    API_KEY = "api_key"
    AUTH_TOKEN = "auth_token"  # noqa: S105
    IP_ADDRESS = "ip_address"
    DEVICE_ID = "device_id"
    GEOLOCATION = "geolocation"
    MEDICAL = "medical"
    HEALTH_INSURANCE = "health_insurance"
    BIOMETRIC = "biometric"
    GENETIC = "genetic"
    RACIAL_ETHNIC_ORIGIN = "racial_ethnic_origin"
    POLITICAL_OPINION = "political_opinion"
    RELIGIOUS_BELIEF = "religious_belief"
    TRADE_UNION = "trade_union"
    SEX_LIFE_ORIENTATION = "sex_life_orientation"
    CRIMINAL_RECORD = "criminal_record"
    VEHICLE_ID = "vehicle_id"


class Sensitivity(IntEnum):
    """How much harm exposure can do; ordered so that ``max()`` gives the worst of a set."""

    LOW = 1
    MODERATE = 2
    HIGH = 3
    CRITICAL = 4


class LegalClass(StrEnum):
    """Legal groupings that breach-notification rules trigger on."""

    IDENTITY = "identity"
    CONTACT = "contact"
    IDENTIFIER = "identifier"
    GOVERNMENT_ID = "government_id"
    FINANCIAL = "financial"
    CREDENTIAL = "credential"
    ONLINE_IDENTIFIER = "online_identifier"
    LOCATION = "location"
    SPECIAL_CATEGORY = "special_category"  # GDPR Art. 9
    HEALTH = "health"
    BIOMETRIC = "biometric"
    GENETIC = "genetic"
    CRIMINAL = "criminal"  # GDPR Art. 10


@dataclass(frozen=True, slots=True)
class ElementInfo:
    """What a notice says about an element, how sensitive it is and which legal classes it is in."""

    label: str
    sensitivity: Sensitivity
    classes: frozenset[LegalClass]


E = DataElement
S = Sensitivity
C = LegalClass


def _info(label: str, sensitivity: Sensitivity, *classes: LegalClass) -> ElementInfo:
    return ElementInfo(label, sensitivity, frozenset(classes))


_INFO: dict[DataElement, ElementInfo] = {
    E.PERSON_NAME: _info("your name", S.LOW, C.IDENTITY),
    E.DATE_OF_BIRTH: _info("your date of birth", S.MODERATE, C.IDENTITY),
    E.MOTHERS_MAIDEN_NAME: _info("your mother's maiden name", S.HIGH, C.IDENTITY, C.CREDENTIAL),
    E.GENDER: _info("your gender", S.LOW, C.IDENTITY),
    E.EMAIL: _info("your email address", S.MODERATE, C.CONTACT, C.ONLINE_IDENTIFIER),
    E.PHONE: _info("your phone number", S.MODERATE, C.CONTACT),
    E.POSTAL_ADDRESS: _info("your postal address", S.MODERATE, C.CONTACT, C.LOCATION),
    E.POSTAL_CODE: _info("your postal code", S.LOW, C.LOCATION),
    E.LOCATION: _info("your town or region", S.LOW, C.LOCATION),
    E.SSN: _info("your Social Security number", S.CRITICAL, C.IDENTIFIER, C.GOVERNMENT_ID),
    E.NATIONAL_ID: _info(
        "your national identity number", S.CRITICAL, C.IDENTIFIER, C.GOVERNMENT_ID
    ),
    E.DRIVERS_LICENSE: _info("your driver's license number", S.HIGH, C.IDENTIFIER, C.GOVERNMENT_ID),
    E.PASSPORT: _info("your passport number", S.HIGH, C.IDENTIFIER, C.GOVERNMENT_ID),
    E.TAX_ID: _info(
        "your taxpayer identification number", S.CRITICAL, C.IDENTIFIER, C.GOVERNMENT_ID
    ),
    E.PAYMENT_CARD: _info("your payment card number", S.CRITICAL, C.FINANCIAL),
    E.CARD_SECURITY_CODE: _info(
        "your card security code (CVV)", S.CRITICAL, C.FINANCIAL, C.CREDENTIAL
    ),
    E.CARD_EXPIRY: _info("your card's expiry date", S.MODERATE, C.FINANCIAL),
    E.BANK_ACCOUNT: _info("your bank account number", S.HIGH, C.FINANCIAL),
    E.IBAN: _info("your bank account number (IBAN)", S.HIGH, C.FINANCIAL),
    E.ROUTING_NUMBER: _info("your bank's routing number", S.LOW, C.FINANCIAL),
    E.USERNAME: _info("your username", S.MODERATE, C.ONLINE_IDENTIFIER, C.CREDENTIAL),
    E.PASSWORD: _info("your password", S.CRITICAL, C.CREDENTIAL),
    E.PASSWORD_HASH: _info("an encrypted form of your password", S.HIGH, C.CREDENTIAL),
    E.SECURITY_ANSWER: _info("the answers to your security questions", S.HIGH, C.CREDENTIAL),
    E.API_KEY: _info("an access key to your account", S.CRITICAL, C.CREDENTIAL),
    E.AUTH_TOKEN: _info("a sign-in token for your account", S.HIGH, C.CREDENTIAL),
    E.IP_ADDRESS: _info("your IP address", S.LOW, C.ONLINE_IDENTIFIER),
    E.DEVICE_ID: _info("an identifier of your device", S.LOW, C.ONLINE_IDENTIFIER),
    E.GEOLOCATION: _info("your precise location", S.HIGH, C.LOCATION),
    E.MEDICAL: _info("information about your health", S.CRITICAL, C.HEALTH, C.SPECIAL_CATEGORY),
    E.HEALTH_INSURANCE: _info(
        "your health insurance information", S.HIGH, C.HEALTH, C.SPECIAL_CATEGORY
    ),
    E.BIOMETRIC: _info("your biometric data", S.CRITICAL, C.BIOMETRIC, C.SPECIAL_CATEGORY),
    E.GENETIC: _info("your genetic data", S.CRITICAL, C.GENETIC, C.SPECIAL_CATEGORY),
    E.RACIAL_ETHNIC_ORIGIN: _info("your racial or ethnic origin", S.HIGH, C.SPECIAL_CATEGORY),
    E.POLITICAL_OPINION: _info("your political opinions", S.HIGH, C.SPECIAL_CATEGORY),
    E.RELIGIOUS_BELIEF: _info(
        "your religious or philosophical beliefs", S.HIGH, C.SPECIAL_CATEGORY
    ),
    E.TRADE_UNION: _info("your trade union membership", S.HIGH, C.SPECIAL_CATEGORY),
    E.SEX_LIFE_ORIENTATION: _info(
        "information about your sex life or sexual orientation", S.CRITICAL, C.SPECIAL_CATEGORY
    ),
    E.CRIMINAL_RECORD: _info("information about criminal records", S.CRITICAL, C.CRIMINAL),
    E.VEHICLE_ID: _info(
        "your vehicle's registration or identification number", S.LOW, C.IDENTIFIER
    ),
}

#: Elements whose matches carry an issuing country (ISO 3166-1 alpha-2).
COUNTRY_SCOPED: frozenset[DataElement] = frozenset({E.NATIONAL_ID, E.DRIVERS_LICENSE, E.PASSPORT})


def info(element: DataElement) -> ElementInfo:
    """Label, sensitivity and legal classes of an element."""
    return _INFO[element]


def label(element: DataElement) -> str:
    """Plain-language phrase for notices, e.g. "your Social Security number"."""
    return _INFO[element].label


def sensitivity(element: DataElement) -> Sensitivity:
    """Sensitivity tier of an element."""
    return _INFO[element].sensitivity


def legal_classes(element: DataElement) -> frozenset[LegalClass]:
    """Legal classes an element belongs to."""
    return _INFO[element].classes


def elements_in(legal_class: LegalClass) -> frozenset[DataElement]:
    """Every element that belongs to a legal class."""
    return frozenset(e for e, i in _INFO.items() if legal_class in i.classes)
