"""Building breach facts from stored people rows."""

from __future__ import annotations

from rules_helpers import facts, make_rule, people

from breachdesk.core.obligation import (
    PersonFacts,
    diff_obligations,
    group_people,
    split_elements,
)
from breachdesk.rules.evaluate import evaluate


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


def test_diff_obligations_after_new_facts() -> None:
    rule = make_rule(
        notices=[
            {"recipient": "individuals", "deadline": {"within": {"days": 60}}},
            {
                "recipient": "attorney_general",
                "deadline": {"within": {"days": 30}},
                "threshold": {"op": ">", "value": 10},
            },
        ]
    )
    first = evaluate([rule], facts(people(5))).obligations
    second = evaluate([rule], facts(people(20))).obligations
    changes = diff_obligations(first, second)
    assert [(c.key, c.change) for c in changes] == [
        ("us-tx-test:attorney_general", "added"),
        ("us-tx-test:individuals", "people"),
    ]
    assert (changes[1].before, changes[1].after) == ("5", "20")
    assert diff_obligations(second, second) == ()
