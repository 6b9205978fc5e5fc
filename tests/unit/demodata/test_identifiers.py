"""Generated identifiers pass their check-digit rules, checked by us and by python-stdnum."""
# ruff: noqa: S311  (seeded generators are the point of these tests)

from __future__ import annotations

import datetime as dt
import importlib
from random import Random

import pytest
from demodata_checks import aba_ok, iban_ok, luhn_ok

from breachdesk.demodata import identifiers as ids
from breachdesk.demodata.credential import password_hash

N = 300


def test_cards_pass_luhn_and_have_real_issuer_prefixes():
    rng = Random(1)
    prefixes = tuple(p for p, _ in ids.CARD_ISSUERS)
    for _ in range(N):
        card = ids.card_number(rng)
        assert luhn_ok(card)
        assert card.startswith(prefixes)
        assert len(card) == (15 if card[:2] in ("34", "37") else 16)


@pytest.mark.parametrize("country", ["DE", "GB", "FR", "ES", "IT", "NL", "BE", "PL", "SE", "IE"])
def test_ibans_pass_mod97(country):
    rng = Random(country)
    for _ in range(50):
        value = ids.iban(rng, country)
        assert value.startswith(country)
        assert iban_ok(value)


def test_routing_numbers_pass_aba_checksum():
    rng = Random(2)
    for _ in range(N):
        value = ids.aba_routing(rng)
        assert len(value) == 9
        assert aba_ok(value)
        assert 1 <= int(value[:2]) <= 12


def test_ssns_follow_area_group_serial_rules():
    rng = Random(3)
    for _ in range(N):
        area, group, serial = ids.ssn(rng).split("-")
        assert area not in ("000", "666")
        assert int(area) < 900
        assert group != "00"
        assert serial != "0000"


def test_unsalted_digests_are_real_digests():
    import hashlib

    rng = Random(4)
    hashes = [password_hash(rng, "sunshine1") for _ in range(200)]
    md5 = hashlib.md5(b"sunshine1").hexdigest()  # noqa: S324
    sha1 = hashlib.sha1(b"sunshine1").hexdigest()  # noqa: S324
    assert md5 in hashes
    assert sha1 in hashes
    bcrypt = [h for h in hashes if h.startswith("$2b$12$")]
    assert bcrypt
    assert all(len(h) == 60 for h in bcrypt)
    assert any(h.startswith("$6$") for h in hashes)


def test_with_stdnum():
    stdnum_iban = pytest.importorskip("stdnum.iban")
    from stdnum import luhn
    from stdnum.us import rtn
    from stdnum.us import ssn as us_ssn

    rng = Random(5)
    for _ in range(N):
        assert luhn.is_valid(ids.card_number(rng))
        assert rtn.is_valid(ids.aba_routing(rng))
        assert us_ssn.is_valid(ids.ssn(rng))
    for country in ("DE", "GB", "FR", "ES", "IT", "NL", "BE", "PL", "SE", "IE", "FI", "DK", "AT"):
        for _ in range(20):
            value = ids.iban(rng, country)
            assert stdnum_iban.is_valid(value), country


@pytest.mark.parametrize(
    ("country", "module"),
    [
        ("ES", "stdnum.es.dni"),
        ("NL", "stdnum.nl.bsn"),
        ("PL", "stdnum.pl.pesel"),
        ("SE", "stdnum.se.personnummer"),
        ("FI", "stdnum.fi.hetu"),
        ("BE", "stdnum.be.nn"),
        ("FR", "stdnum.fr.nir"),
        ("DK", "stdnum.dk.cpr"),
        ("CA", "stdnum.ca.sin"),
    ],
)
def test_national_ids_validate_with_stdnum(country, module):
    pytest.importorskip("stdnum")
    validator = importlib.import_module(module)
    rng = Random(country)
    for _ in range(100):
        dob = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(365 * 65))
        value = ids.national_id(rng, country, dob)
        assert value is not None
        validator.validate(value)
