"""Column-header synonyms in several languages, and header-to-element classification."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from breachdesk.core.element import DataElement

E = DataElement

_SYNONYMS: dict[DataElement, str] = {
    E.EMAIL: "email e_mail mail email_address emailaddress courriel correo correo_electronico "
    "epost e_post sahkoposti posta_elettronica adresse_mail mail_address",
    E.PHONE: "phone tel telephone telefono telefone telefon mobile mobil cell cellphone cell_phone "
    "handy fax msisdn portable movil celular phone_number phonenumber tel_no gsm contact_number",
    E.PERSON_NAME: "name full_name fullname first_name firstname last_name lastname given_name "
    "surname family_name fname lname middle_name nom prenom nom_complet nombre apellido apellidos "
    "vorname nachname nome cognome achternaam voornaam naam customer_name contact_name "
    "cardholder card_holder holder_name billing_name shipping_name recipient",
    E.MOTHERS_MAIDEN_NAME: "mothers_maiden_name maiden_name mother_maiden_name",
    E.DATE_OF_BIRTH: "dob birth_date birthdate date_of_birth birthday geb_datum geburtsdatum "
    "geburtstag fecha_nacimiento fecha_de_nacimiento date_naissance date_de_naissance "
    "data_nascita data_di_nascita bday geboortedatum",
    E.GENDER: "gender sex geschlecht sexe sexo genere genero",
    E.POSTAL_ADDRESS: "address street addr address_line address_line_1 address_line1 address1 "
    "address2 line1 street_address adresse direccion domicilio strasse indirizzo rue "
    "billing_address shipping_address home_address mailing_address anschrift morada",
    E.POSTAL_CODE: "zip zipcode zip_code postcode post_code postal_code postalcode plz cp "
    "codigo_postal code_postal cap postleitzahl pin_code pincode eircode",
    E.LOCATION: "city town state region province country county ville ciudad stadt ort citta "
    "pays pais land localidad municipality",
    E.GEOLOCATION: "lat lon lng latitude longitude geo geolocation coordinates gps lat_lng latlng",
    E.SSN: "ssn social_security social_security_number social_security_no ss_number",
    E.NATIONAL_ID: "national_id nationalid nin nino national_insurance id_number dni nie "
    "personnummer hetu codice_fiscale curp pesel cpr bsn nir insee aadhaar personal_id "
    "identity_number id_card idcard cedula",
    E.DRIVERS_LICENSE: "drivers_license driver_license driving_licence driving_license "
    "dl_number licence_number license_number dl_no fuhrerschein",
    E.PASSPORT: "passport passport_number passport_no reisepass pasaporte passeport",
    E.TAX_ID: "tax_id taxid tin itin tax_number steuer_id steuernummer taxpayer_id",
    E.PAYMENT_CARD: "card_number cardnumber cc_number ccnumber credit_card creditcard pan card_no "
    "ccnum cc_num kreditkarte tarjeta numero_carte card_pan debit_card",
    E.CARD_SECURITY_CODE: "cvv cvc cvv2 cvc2 csc security_code card_code card_cvv",
    E.CARD_EXPIRY: "exp expiry expiration exp_date expiry_date expiration_date card_expiry "
    "valid_thru valid_until exp_month exp_year card_exp",
    E.BANK_ACCOUNT: "account_number bank_account acct acct_no account_no kontonummer "
    "numero_cuenta bank_account_number",
    E.IBAN: "iban iban_code",
    E.ROUTING_NUMBER: "routing routing_number aba aba_number rtn sort_code transit_number",
    E.USERNAME: "username user_name login login_name handle screen_name nickname benutzername "
    "usuario pseudo screenname",
    E.PASSWORD: "password passwd pwd pass passwort contrasena mot_de_passe pw plain_password "
    "plaintext_password clear_password",
    E.PASSWORD_HASH: "password_hash pass_hash pwd_hash passhash passwordhash hashed_password "
    "password_digest encrypted_password crypted_password pw_hash hash passwd_hash pwdhash",
    E.SECURITY_ANSWER: "security_answer secret_answer security_question_answer answer",
    E.API_KEY: "api_key apikey access_key access_key_id secret_key client_secret private_key "
    "secret api_secret",
    E.AUTH_TOKEN: "token auth_token access_token refresh_token session_id session_token jwt "
    "bearer remember_token reset_token sessionid",
    E.IP_ADDRESS: "ip ip_address ipaddress ipaddr ip_addr last_ip client_ip remote_addr "
    "login_ip signup_ip ipv4 ipv6",
    E.DEVICE_ID: "device_id deviceid imei idfa gaid advertising_id mac_address mac udid "
    "device_fingerprint",
    E.MEDICAL: "diagnosis condition medical medication prescription allergies allergy health "
    "icd10 icd treatment blood_type disability medical_history",
    E.HEALTH_INSURANCE: "health_insurance insurance_number medicare medicaid "
    "health_plan insurance_id krankenversicherung",
    E.BIOMETRIC: "fingerprint face_template biometric retina voiceprint face_id",
    E.GENETIC: "dna genome genotype genetic",
    E.RACIAL_ETHNIC_ORIGIN: "ethnicity race ethnic_origin nationality",
    E.POLITICAL_OPINION: "political political_party party_affiliation political_views",
    E.RELIGIOUS_BELIEF: "religion faith religious_belief",
    E.TRADE_UNION: "trade_union union_member union_membership",
    E.SEX_LIFE_ORIENTATION: "sexual_orientation orientation",
    E.CRIMINAL_RECORD: "criminal_record convictions criminal_history offences offenses",
    E.VEHICLE_ID: "vin license_plate licence_plate number_plate plate kennzeichen matricula",
}

# A header with one of these words names something other than a person's data.
_QUALIFIERS = frozenset(
    [
        "product",
        "item",
        "order",
        "company",
        "org",
        "organization",
        "organisation",
        "business",
        "brand",
        "category",
        "file",
        "host",
        "server",
        "domain",
        "app",
        "project",
        "commit",
        "content",
        "sku",
        "merchant",
        "store",
        "shop",
        "vendor",
        "supplier",
        "job",
        "task",
        "event",
        "page",
        "team",
        "group",
        "campaign",
        "checksum",
        "sha",
        "md5",
        "etag",
        "template",
    ]
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")


def header_tokens(header: str) -> tuple[str, ...]:
    """Lower-case ASCII tokens of a header (``customer.address.zip`` -> ``(..., 'zip')``)."""
    text = unicodedata.normalize("NFKD", _CAMEL.sub("_", header))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return tuple(t for t in _SPLIT.split(text) if t)


@lru_cache(maxsize=1)
def _table() -> list[tuple[tuple[str, ...], DataElement]]:
    rows = [
        (tuple(syn.split("_")), element)
        for element, words in _SYNONYMS.items()
        for syn in words.split()
    ]
    return sorted(rows, key=lambda r: -len(r[0]))


def _contains(tokens: tuple[str, ...], seq: tuple[str, ...]) -> bool:
    n = len(seq)
    return any(tokens[i : i + n] == seq for i in range(len(tokens) - n + 1))


def classify_header(header: str) -> tuple[DataElement, float] | None:
    """The element a column header names, with confidence, or None."""
    tokens = header_tokens(header)
    if not tokens:
        return None
    leaf = tokens[-3:]  # for flattened paths the last segments decide
    joined = "".join(leaf)
    best: tuple[int, DataElement] | None = None
    for seq, element in _table():  # a match ending at the last word wins (``address.zip``)
        if leaf[-len(seq) :] == seq or "".join(seq) == joined or "".join(seq) == leaf[-1]:
            best = (len(seq), element)
            break
    if best is None:
        for seq, element in _table():
            if _contains(leaf, seq):
                best = (len(seq), element)
                break
    if best is None:
        return None
    if any(t in _QUALIFIERS for t in leaf) and best[1] is not DataElement.EMAIL:
        return None
    return best[1], 0.9 if best[0] > 1 or "".join(leaf) == best[1].value.replace("_", "") else 0.8
