"""The incident state machine."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.casefile.incident import TRANSITIONS, is_reopen, transition
from breachdesk.core.errors import IllegalTransitionError
from breachdesk.core.status import CaseStatus


def test_every_status_has_moves_and_closed_only_reopens() -> None:
    assert set(TRANSITIONS) == set(CaseStatus)
    assert TRANSITIONS[CaseStatus.CLOSED] == {CaseStatus.INVESTIGATING}
    assert all(s not in TRANSITIONS[s] for s in CaseStatus)


@given(st.lists(st.sampled_from(CaseStatus), max_size=30))
def test_random_walk_only_takes_allowed_moves(targets: list[CaseStatus]) -> None:
    current = CaseStatus.OPEN
    for target in targets:
        if target in TRANSITIONS[current]:
            assert transition(current, target) is target
            current = target
        else:
            with pytest.raises(IllegalTransitionError, match="cannot move"):
                transition(current, target)


def test_refusal_names_the_allowed_moves() -> None:
    with pytest.raises(IllegalTransitionError) as info:
        transition(CaseStatus.OPEN, CaseStatus.NOTIFYING)
    assert "closed, contained, investigating" in info.value.message


def test_reopen_is_recognised() -> None:
    assert is_reopen(CaseStatus.CLOSED, CaseStatus.INVESTIGATING)
    assert not is_reopen(CaseStatus.OPEN, CaseStatus.INVESTIGATING)
