"""The exposure manifest: elements per person with sources, legal flags and residence."""

from __future__ import annotations

import polars as pl
import pytest
from identity_helpers import fake_key_of, record_keys

from breachdesk.core.element import DataElement
from breachdesk.identity.link import link_master
from breachdesk.identity.manifest import FLAG_RULES, ExposureFlag, build_manifest, flags_of
from breachdesk.identity.master import CustomerMaster
from breachdesk.identity.place import country_code, region_code
from breachdesk.identity.residence import (
    ResidenceSource,
    inferred_residence,
    phone_country,
    phone_place,
)

F = ExposureFlag


@pytest.mark.parametrize(
    ("elements", "flags"),
    [
        ({"person_name", "ssn"}, {F.NAME_AND_SSN, F.NAME_AND_GOVERNMENT_ID}),
        ({"ssn"}, set()),
        ({"person_name", "passport"}, {F.NAME_AND_GOVERNMENT_ID}),
        ({"email", "password_hash"}, {F.LOGIN_AND_PASSWORD}),
        ({"username", "password"}, {F.LOGIN_AND_PASSWORD}),
        ({"email", "phone"}, set()),
        (
            {"payment_card", "card_security_code"},
            {F.CARD_AND_SECURITY_CODE, F.ACCOUNT_AND_ACCESS_CODE},
        ),
        ({"person_name", "iban"}, {F.NAME_AND_FINANCIAL_ACCOUNT}),
        ({"person_name", "medical"}, {F.NAME_AND_HEALTH, F.SPECIAL_CATEGORY}),
        ({"religious_belief"}, {F.SPECIAL_CATEGORY}),
    ],
)
def test_flags(elements: set[str], flags: set[ExposureFlag]) -> None:
    assert flags_of(elements) == flags


def test_flag_rules_name_real_elements() -> None:
    known = {e.value for e in DataElement}
    for groups in FLAG_RULES.values():
        for group in groups:
            assert group <= known


def scenario(master: CustomerMaster) -> tuple[object, pl.DataFrame]:
    rk = record_keys(
        [
            (1, "email", "ana@example.com"),
            (2, "phone", "+15550001"),
            (3, "email", "bo@example.com"),
            (4, "email", "zoe@example.org"),
            (5, "email", "zoe@example.org"),
            (6, "email", "yan@example.org"),
        ]
    )
    records = pl.DataFrame(
        {
            "record_id": [1, 2, 3, 4, 5, 6, 7],
            "source_id": [10, 20, 10, 10, 30, 30, 30],
            "elements": [
                "email,person_name",
                "phone,ssn",
                "email",
                "email,password_hash",
                "email,person_name",
                "email",
                "",
            ],
        }
    )
    return link_master(master, rk, fake_key_of, records=records["record_id"]), records


def test_manifest_per_person(master: CustomerMaster) -> None:
    link, records = scenario(master)
    contacts = pl.DataFrame(
        {
            "record_id": [4, 5, 5, 6],
            "kind": ["phone", "country", "region", "region"],
            "value": ["+4915112345678", "Deutschland", "Bayern", "Ontario"],
        }
    )
    manifest = build_manifest(link, records, master=master.frame, contacts=contacts)  # type: ignore[arg-type]
    assert len(manifest) == 5
    ana = manifest.person("customer:A")
    assert ana.known
    assert ana.elements() == {"email", "person_name", "phone", "ssn"}
    assert ana.flags == {F.NAME_AND_SSN, F.NAME_AND_GOVERNMENT_ID}
    assert [
        (e.element, [(s.source_id, s.record_ids) for s in e.sources]) for e in ana.exposures
    ] == [
        ("email", [(10, (1,))]),
        ("person_name", [(10, (1,))]),
        ("phone", [(20, (2,))]),
        ("ssn", [(20, (2,))]),
    ]
    assert ana.residence.country == "US"
    assert ana.residence.region == "US-CA"
    assert ana.residence.source is ResidenceSource.MASTER
    bo = manifest.person("customer:B")
    assert (bo.residence.country, bo.residence.region) == ("SE", None)

    zoe = manifest.person("unknown:4")
    assert not zoe.known
    assert zoe.flags == {F.LOGIN_AND_PASSWORD}
    assert zoe.residence.country == "DE"
    assert zoe.residence.source is ResidenceSource.INFERRED
    yan = manifest.person("unknown:6")
    assert (yan.residence.country, yan.residence.region) == ("CA", "CA-ON")
    assert ana.channels == {"email", "phone"}  # the master has no street column here
    assert zoe.channels == {"phone"}  # the leak held her phone as a contact
    assert yan.channels == frozenset()
    nobody = manifest.person("unknown:7")
    assert nobody.elements() == frozenset()
    assert nobody.residence.source is ResidenceSource.UNKNOWN
    assert [p.person_id for p in manifest] == sorted(manifest.people["person_id"].to_list())
    with pytest.raises(KeyError):
        manifest.person("customer:Z")


def test_manifest_without_master_or_contacts(master: CustomerMaster) -> None:
    link, records = scenario(master)
    manifest = build_manifest(link, records)  # type: ignore[arg-type]
    assert set(manifest.people["residence_source"]) == {"unknown"}


@pytest.mark.parametrize(
    ("value", "code"),
    [("US", "US"), ("usa", "US"), ("United Kingdom", "GB"), ("Österreich", "AT"), ("xx", None)],
)
def test_country_code(value: str, code: str | None) -> None:
    assert country_code(value) == code


def test_region_code() -> None:
    assert region_code("US", "california") == "US-CA"
    assert region_code("CA", "QC") == "CA-QC"
    assert region_code(None, "Texas") == "US-TX"
    assert region_code(None, "WA") is None  # Washington or Western Australia
    assert region_code("AU", "WA") == "AU-WA"
    assert region_code("DE", "Bayern") is None


def test_phone_country() -> None:
    assert phone_country("+14155552671") == "US"
    assert phone_country("+442071234567") == "GB"
    assert phone_country("12") is None


def test_every_element_has_a_bit() -> None:
    assert len(DataElement) <= 64


def test_select_and_counts(master: CustomerMaster) -> None:
    link, records = scenario(master)
    contacts = pl.DataFrame({"record_id": [4], "kind": ["country"], "value": ["France"]})
    manifest = build_manifest(link, records, master=master.frame, contacts=contacts)  # type: ignore[arg-type]
    ids = lambda frame: sorted(frame["person_id"])  # noqa: E731
    assert ids(manifest.select(element="ssn")) == ["customer:A"]
    assert ids(manifest.select(jurisdiction="US-CA")) == ["customer:A"]
    assert ids(manifest.select(jurisdiction="us")) == ["customer:A"]
    assert ids(manifest.select(jurisdiction="EU")) == ["customer:B", "unknown:4"]
    assert ids(manifest.select(jurisdiction="unknown")) == ["unknown:6", "unknown:7"]
    assert ids(manifest.select(unmatched=True, element="email")) == ["unknown:4", "unknown:6"]
    places, elements = manifest.counts()
    assert dict(places.iter_rows()) == {
        "unknown": 2,
        "US-CA": 1,
        "SE": 1,
        "FR": 1,
    }
    assert dict(elements.iter_rows())["email"] == 4


def test_phone_place() -> None:
    assert phone_place("+14155552671") == "US|US-CA"
    assert phone_place("+14165550000") == "CA|CA-ON"
    assert phone_place("+442071234567") == "GB"
    assert phone_place("x") is None


def test_region_from_phone_area_only_without_a_stated_region() -> None:
    people = pl.DataFrame({"person_id": ["p1", "p2", "p3"], "record_id": [1, 2, 3]})
    contacts = pl.DataFrame(
        {
            "record_id": [1, 2, 2, 3, 3],
            "kind": ["phone", "phone", "region", "phone", "country"],
            "value": ["+14155552671", "+14155552671", "Texas", "+14155552671", "Canada"],
        }
    )
    got = {r[0]: (r[1], r[2]) for r in inferred_residence(people, contacts).iter_rows()}
    assert got == {"p1": ("US", "US-CA"), "p2": ("US", "US-TX"), "p3": ("CA", None)}
