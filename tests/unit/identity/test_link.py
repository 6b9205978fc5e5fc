"""Linking leaked records to customers: keys, union-find across sources, conflicts, unknowns."""

from __future__ import annotations

import polars as pl
import pytest
from identity_helpers import fake_key_of, make_master, record_keys

from breachdesk.identity.link import (
    ConflictReason,
    LinkResult,
    Method,
    link,
    link_master,
)
from breachdesk.identity.master import CustomerMaster

KEYS = ["customer_id", "email", "phone"]


def person_of(result: LinkResult) -> dict[int, str]:
    return dict(result.assignments.select("record_id", "person_id").iter_rows())


def method_of(result: LinkResult) -> dict[int, str]:
    return dict(result.assignments.select("record_id", "method").iter_rows())


def test_one_person_across_three_sources_is_one_person(master: CustomerMaster) -> None:
    # Source 1 has the email, source 2 the phone, source 3 only an email variant in another case.
    rk = record_keys(
        [
            (1, "email", "ANA@example.com "),
            (2, "phone", "+15550001"),
            (3, "email", "ana@example.com"),
        ]
    )
    result = link_master(master, rk, fake_key_of)
    assert person_of(result) == {1: "customer:A", 2: "customer:A", 3: "customer:A"}
    assert result.stats.customers == 1
    assert result.stats.unknown_people == 0


def test_record_without_master_key_joins_through_a_shared_leaked_key(
    master: CustomerMaster,
) -> None:
    # Record 2 holds a phone the master does not know, and shares a username with record 1.
    rk = record_keys(
        [
            (1, "email", "ana@example.com"),
            (1, "username", "ana77"),
            (2, "phone", "+19990000"),
            (2, "username", "ana77"),
        ]
    )
    result = link_master(master, rk, fake_key_of)
    assert person_of(result) == {1: "customer:A", 2: "unknown:2"}  # username is not a key
    result = link(
        rk,
        hash_keys(master),
        [*KEYS, "username"],
    )
    assert person_of(result) == {1: "customer:A", 2: "customer:A"}
    assert method_of(result) == {1: Method.KEY, 2: Method.SHARED_KEY}


def hash_keys(master: CustomerMaster) -> pl.DataFrame:
    from breachdesk.identity.keys import hash_master

    return hash_master(master, fake_key_of)


def test_strong_keys_of_two_customers_conflict(master: CustomerMaster) -> None:
    rk = record_keys([(1, "email", "ana@example.com"), (1, "email", "bo@example.com")])
    result = link(rk, hash_keys(master), KEYS)
    [conflict] = result.conflict_list()
    assert conflict.reason is ConflictReason.KEYS_DISAGREE
    assert conflict.candidates == ("A", "B")
    assert result.stats.conflicts == 1
    assert result.assignments.height == 0


def test_value_shared_by_two_customers_is_not_silently_resolved(master: CustomerMaster) -> None:
    rk = record_keys([(1, "phone", "+15550002")])
    result = link(rk, hash_keys(master), KEYS)
    [conflict] = result.conflict_list()
    assert conflict.reason is ConflictReason.SHARED_VALUE
    assert conflict.candidates == ("B", "C")


def test_household_phone_does_not_stop_a_unique_email_from_matching(
    master: CustomerMaster,
) -> None:
    rk = record_keys([(1, "email", "bo@example.com"), (1, "phone", "+15550002")])
    result = link(rk, hash_keys(master), KEYS)
    assert person_of(result) == {1: "customer:B"}
    assert result.conflicts.height == 0


def test_record_bridging_two_customers_is_a_component_conflict(master: CustomerMaster) -> None:
    # Records 1 and 2 match A and B; record 3 shares a leaked username with both.
    rk = record_keys(
        [
            (1, "email", "ana@example.com"),
            (1, "username", "shared"),
            (2, "email", "bo@example.com"),
            (2, "username", "shared"),
            (3, "username", "shared"),
        ]
    )
    result = link(rk, hash_keys(master), [*KEYS, "username"])
    assert person_of(result) == {1: "customer:A", 2: "customer:B"}
    [conflict] = result.conflict_list()
    assert conflict.record_id == 3
    assert conflict.reason is ConflictReason.COMPONENT
    assert conflict.candidates == ("A", "B")


def test_unmatched_records_sharing_a_key_are_one_unknown_individual(
    master: CustomerMaster,
) -> None:
    rk = record_keys(
        [
            (10, "email", "zoe@example.org"),
            (20, "email", "ZOE@example.org"),
            (20, "phone", "+4470000"),
            (30, "phone", "+4470000"),
            (40, "email", "yan@example.org"),
        ]
    )
    result = link(rk, hash_keys(master), KEYS, records=pl.Series([10, 20, 30, 40, 50]))
    assert person_of(result) == {
        10: "unknown:10",
        20: "unknown:10",
        30: "unknown:10",
        40: "unknown:40",
        50: "unknown:50",  # no keys at all: still someone to count or notify
    }
    assert result.stats.unknown_people == 3
    assert result.stats.unknown_records == 5
    assert result.assignments.filter(pl.col("method") == "unknown")["score"].is_null().all()


def test_placeholder_values_do_not_merge_strangers(master: CustomerMaster) -> None:
    rows = [(n, "phone", "0000000000") for n in range(1, 8)]
    result = link(record_keys(rows), hash_keys(master), KEYS, max_group=5)
    assert result.stats.unknown_people == 7
    assert result.stats.ignored_keys == 1


def test_result_does_not_depend_on_row_order(master: CustomerMaster) -> None:
    rows = [
        (1, "email", "ana@example.com"),
        (2, "phone", "+15550001"),
        (3, "email", "nobody@example.org"),
        (4, "email", "nobody@example.org"),
        (5, "phone", "+15550002"),
    ]
    first = link(record_keys(rows), hash_keys(master), KEYS)
    again = link(record_keys(rows[::-1]), hash_keys(master), KEYS)
    assert first.assignments.equals(again.assignments)
    assert first.conflicts.equals(again.conflicts)


def test_a_new_source_merges_into_existing_people(master: CustomerMaster) -> None:
    old = [(1, "email", "ana@example.com"), (2, "email", "zed@example.org")]
    new = [(3, "phone", "+15550001"), (4, "email", "zed@example.org")]
    before = person_of(link(record_keys(old), hash_keys(master), KEYS))
    after = person_of(link(record_keys(old + new), hash_keys(master), KEYS))
    assert {k: after[k] for k in before} == before
    assert after[3] == after[1] == "customer:A"
    assert after[4] == after[2] == "unknown:2"


def test_customer_id_key(master: CustomerMaster) -> None:
    rk = record_keys([(1, "customer_id", " c ")])
    assert person_of(link(rk, hash_keys(master), KEYS)) == {1: "customer:C"}


def test_fuzzy_match_on_name_dob_and_postal_code(master: CustomerMaster) -> None:
    rk = record_keys(
        [
            (1, "date_of_birth", "1970-03-03"),
            (1, "postal_code", "60601"),
            (2, "date_of_birth", "1970-03-03"),
            (3, "date_of_birth", "1990-01-01"),
        ]
    )
    names = pl.DataFrame({"record_id": [1, 2, 3], "name": ["Cý  DEE", "Someone Else", "Ana Lopes"]})
    result = link_master(master, rk, fake_key_of, record_names=names)
    rows = {r["record_id"]: r for r in result.assignments.iter_rows(named=True)}
    assert rows[1]["person_id"] == "customer:C"
    assert rows[1]["method"] == Method.FUZZY
    assert rows[1]["score"] == 1.0
    assert rows[1]["review"] is False
    assert rows[2]["person_id"] == "unknown:2"
    assert rows[3]["person_id"] == "customer:A"  # one letter off, no postal code: reviewed
    assert 0.8 <= rows[3]["score"] < 1.0
    assert rows[3]["review"] is True
    assert result.stats.fuzzy_records == 2


def test_fuzzy_tie_is_a_conflict() -> None:
    twins = make_master(
        {
            "customer_id": ["T1", "T2"],
            "email": ["t1@example.com", "t2@example.com"],
            "full_name": ["Kim Lee", "Kim Lee"],
            "date_of_birth": ["2000-01-01", "2000-01-01"],
        }
    )
    rk = record_keys([(1, "date_of_birth", "2000-01-01")])
    names = pl.DataFrame({"record_id": [1], "name": ["kim lee"]})
    result = link_master(twins, rk, fake_key_of, record_names=names)
    [conflict] = result.conflict_list()
    assert conflict.reason is ConflictReason.FUZZY_TIE
    assert conflict.candidates == ("T1", "T2")


def test_without_fuzzy_similar_names_stay_unknown(master: CustomerMaster) -> None:
    rk = record_keys([(1, "date_of_birth", "1970-03-03")])
    result = link_master(master, rk, fake_key_of)
    assert person_of(result) == {1: "unknown:1"}


def test_keyed_hashes_must_be_hex_digests(master: CustomerMaster) -> None:
    rk = pl.DataFrame({"record_id": [1], "kind": ["email"], "keyed_hash": ["not-a-digest"]})
    with pytest.raises(ValueError, match="hex digests"):
        link(rk, hash_keys(master), KEYS)


def test_decisions_settle_conflicts_and_survive_reruns(master: CustomerMaster) -> None:
    rk = record_keys(
        [
            (1, "email", "ana@example.com"),
            (1, "email", "bo@example.com"),
            (2, "phone", "+15550002"),
            (3, "email", "ana@example.com"),
        ]
    )
    result = link(rk, hash_keys(master), KEYS, decisions={1: "B", 2: None, 3: "C"})
    assert person_of(result) == {1: "customer:B", 2: "unknown:2", 3: "customer:C"}
    assert method_of(result) == {1: Method.DECIDED, 2: Method.UNKNOWN, 3: Method.DECIDED}
    assert result.conflicts.height == 0


def test_national_phone_numbers_in_the_master_use_the_customer_country() -> None:
    from breachdesk.identity.keys import local_phones

    frame = pl.DataFrame(
        {
            "customer_id": ["1", "2", "3", "4"],
            "phone": ["030 12345678", "+4930 12345678", "020 7946 0958", "12"],
            "country": ["Germany", "DE", "GB", None],
        }
    )
    assert local_phones(frame).to_list() == [
        "+493012345678",
        "+4930 12345678",
        "+442079460958",
        "12",
    ]
