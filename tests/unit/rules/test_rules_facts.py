"""Building breach facts from stored people rows."""

from __future__ import annotations

from breachdesk.core.obligation import PersonFacts, group_people, split_elements


def test_split_elements() -> None:
    assert split_elements("email, ssn,,person_name ") == frozenset({"email", "ssn", "person_name"})
    assert split_elements(None) == frozenset()


def test_group_people_counts_identical_rows() -> None:
    rows = [
        ("US", "US-CA", "master", "person_name,ssn"),
        ("US", "US-CA", "master", "ssn,person_name"),
        ("US", "US-TX", "inferred", "email"),
        (None, None, "master", "email"),  # no country: unknown residence whatever the source says
        ("", "", None, frozenset({"email"})),
    ]
    groups = group_people(rows)
    assert sum(g.count for g in groups) == 5
    assert PersonFacts("US", "US-CA", "master", frozenset({"person_name", "ssn"}), 2) in groups
    assert PersonFacts(None, None, "unknown", frozenset({"email"}), 2) in groups
    assert not PersonFacts(None, None, "unknown", frozenset(), 1).residence_known
