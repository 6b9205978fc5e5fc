"""Customer-master column mapping: headers to canonical fields, with multilingual synonyms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from breachdesk.core.errors import InvalidInputError


class Field(StrEnum):
    """A canonical customer-master field; key fields share their name with record-key kinds."""

    CUSTOMER_ID = "customer_id"
    EMAIL = "email"
    PHONE = "phone"
    SSN = "ssn"
    NATIONAL_ID = "national_id"
    USERNAME = "username"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"
    DATE_OF_BIRTH = "date_of_birth"
    STREET = "street"
    POSTAL_CODE = "postal_code"
    CITY = "city"
    REGION = "region"
    COUNTRY = "country"


#: Fields that can serve as deterministic linking keys (hashed with purpose ``match:<field>``).
KEY_FIELDS: frozenset[Field] = frozenset(
    {
        Field.CUSTOMER_ID,
        Field.EMAIL,
        Field.PHONE,
        Field.SSN,
        Field.NATIONAL_ID,
        Field.USERNAME,
        Field.DATE_OF_BIRTH,
        Field.POSTAL_CODE,
    }
)
DEFAULT_KEYS: tuple[Field, ...] = (
    Field.CUSTOMER_ID,
    Field.EMAIL,
    Field.PHONE,
    Field.SSN,
    Field.USERNAME,
)

_F = Field
_SYNONYMS: dict[Field, str] = {
    _F.CUSTOMER_ID: "customer_id customerid cust_id customer_no customer_number customer_ref "
    "client_id clientid client_no account_id account_no member_id member_no user_id userid "
    "kundennummer kunden_id kundennr kunde_id numero_client id_client num_client id_cliente "
    "numero_cliente codice_cliente klantnummer klant_id kundnummer asiakasnumero numer_klienta "
    "kundenummer",
    _F.EMAIL: "email e_mail mail email_address emailaddress courriel correo correo_electronico "
    "epost e_post sahkoposti posta_elettronica adresse_mail mail_address adres_email",
    _F.PHONE: "phone phone_number phonenumber telephone tel telefono telefone telefon mobile "
    "mobil mobile_number cell cellphone cell_phone handy portable movil celular msisdn gsm "
    "numero_telephone numero_telefono telefoonnummer telefonnummer puhelin",
    _F.SSN: "ssn social_security social_security_number social_security_no ss_number",
    _F.NATIONAL_ID: "national_id nationalid nin nino national_insurance id_number dni nie "
    "personnummer hetu codice_fiscale pesel cpr bsn nir insee personal_id identity_number",
    _F.USERNAME: "username user_name login login_name user handle screen_name benutzername "
    "nom_utilisateur nombre_usuario nome_utente gebruikersnaam anvandarnamn",
    _F.FIRST_NAME: "first_name firstname given_name givenname fname forename prenom vorname "
    "nombre nome voornaam fornavn fornamn etunimi imie",
    _F.LAST_NAME: "last_name lastname surname family_name familyname lname nom nachname "
    "apellido apellidos cognome achternaam efternamn efternavn sukunimi nazwisko",
    _F.FULL_NAME: "name full_name fullname customer_name client_name contact_name "
    "nom_complet nombre_completo nome_completo vollstandiger_name volledige_naam naam",
    _F.DATE_OF_BIRTH: "dob birth_date birthdate date_of_birth birthday geburtsdatum geb_datum "
    "fecha_nacimiento fecha_de_nacimiento date_naissance date_de_naissance data_nascita "
    "data_di_nascita geboortedatum fodelsedatum syntymaaika data_urodzenia",
    _F.STREET: "street street_address address address1 address_line address_line_1 "
    "address_line1 line1 strasse adresse rue direccion calle indirizzo via straat adres "
    "gatuadress katuosoite ulica",
    _F.POSTAL_CODE: "postal_code postalcode postcode post_code zip zipcode zip_code plz "
    "postleitzahl code_postal codigo_postal cp cap postcode_nl postnummer postinumero "
    "kod_pocztowy eircode",
    _F.CITY: "city town ort stadt ville ciudad localidad citta comune plaats stad kaupunki "
    "miasto municipality",
    _F.REGION: "region state province state_code county state_province bundesland "
    "provincia provincie departement regione maakunta wojewodztwo",
    _F.COUNTRY: "country country_code countrycode nation pays pais paese staat land_code "
    "land landcode maa kraj",
}


def header_key(name: str) -> str:
    """A header folded for comparison: accents stripped, lower case, words joined by ``_``."""
    raw = unicodedata.normalize("NFKD", name.replace("ß", "ss")).encode("ascii", "ignore")
    folded = raw.decode()
    folded = re.sub(r"([a-z])([A-Z])", r"\1_\2", folded).lower()
    return "_".join(re.findall(r"[a-z0-9]+", folded))


_LOOKUP: dict[str, Field] = {
    word: field for field, words in _SYNONYMS.items() for word in words.split()
}


def field_of(header: str) -> Field | None:
    """The canonical field a header names, or None when it names none."""
    return _LOOKUP.get(header_key(header))


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which source column holds each canonical field (absent fields are simply not mapped)."""

    columns: tuple[tuple[Field, str], ...]

    def get(self, field: Field) -> str | None:
        """The source column of a field, or None."""
        for f, column in self.columns:
            if f is field:
                return column
        return None

    def fields(self) -> frozenset[Field]:
        """Every mapped field."""
        return frozenset(f for f, _ in self.columns)

    def as_dict(self) -> dict[str, str]:
        """``{field: column}`` with plain-string keys (for reports and config files)."""
        return {f.value: c for f, c in self.columns}


def _parse_field(name: str) -> Field:
    try:
        return Field(name)
    except ValueError:
        known = ", ".join(f.value for f in Field)
        raise InvalidInputError(
            f"customer master mapping: unknown field {name!r} (known: {known})"
        ) from None


def map_columns(
    headers: Sequence[str], overrides: Mapping[str, str] | None = None
) -> ColumnMapping:
    """Map headers to fields automatically; ``overrides`` (``{field: column}``) take precedence.

    Two headers that look like the same field are an error unless an override settles it.
    """
    explicit: dict[Field, str] = {}
    for name, column in (overrides or {}).items():
        if column not in headers:
            raise InvalidInputError(
                f"customer master mapping: column {column!r} (for {name}) is not in the input"
            )
        explicit[_parse_field(name)] = column
    taken = set(explicit.values())
    found: dict[Field, list[str]] = {}
    for header in headers:
        field = field_of(header)
        if field is not None and field not in explicit and header not in taken:
            found.setdefault(field, []).append(header)
    for field, columns in found.items():
        if len(columns) > 1:
            raise InvalidInputError(
                f"customer master: columns {', '.join(map(repr, columns))} all look like "
                f"{field.value}; map one explicitly (e.g. --map {field.value}={columns[0]})"
            )
    mapped = {**{f: c[0] for f, c in found.items()}, **explicit}
    order = {h: i for i, h in enumerate(headers)}
    return ColumnMapping(tuple(sorted(mapped.items(), key=lambda item: order[item[1]])))


def parse_overrides(specs: Sequence[str]) -> dict[str, str]:
    """Parse ``field=column`` strings (as given on a command line) into an override mapping."""
    out: dict[str, str] = {}
    for spec in specs:
        name, sep, column = spec.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise InvalidInputError(f"mapping {spec!r}: expected field=column")
        out[_parse_field(name.strip()).value] = column.strip()
    return out
