"""Chain math: any single-field edit, deletion or reordering is detected and located."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from breachdesk.core.audit import AuditAction, AuditDraft, AuditEntry, seal, verify_chain

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

drafts = st.builds(
    AuditDraft,
    at=st.integers(0, 10**6).map(lambda s: T0 + timedelta(seconds=s)),
    actor=st.text(min_size=1, max_size=8),
    action=st.sampled_from(AuditAction),
    subject=st.text(min_size=1, max_size=12),
    incident_id=st.none() | st.integers(1, 50),
    details=st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3),
    state_hash=st.none() | st.text("0123456789abcdef", min_size=64, max_size=64),
)


def build(items: list[AuditDraft]) -> list[AuditEntry]:
    chain: list[AuditEntry] = []
    for draft in items:
        prev = chain[-1].hash if chain else "0" * 64
        chain.append(seal(draft, seq=len(chain) + 1, prev_hash=prev))
    return chain


def _other_hex(value: str | None, fill: str) -> str:
    return fill * 64 if value != fill * 64 else "9" * 64


EDITS = {
    "seq": lambda e: e.seq + 1000,
    "at": lambda e: e.at + timedelta(microseconds=1),
    "actor": lambda e: e.actor + "x",
    "action": lambda e: e.action + "x",
    "subject": lambda e: e.subject + "x",
    "incident_id": lambda e: (e.incident_id or 0) + 1,
    "details": lambda e: {**e.details, "edited": True},
    "state_hash": lambda e: _other_hex(e.state_hash, "f"),
    "prev_hash": lambda e: _other_hex(e.prev_hash, "a"),
    "hash": lambda e: _other_hex(e.hash, "c"),
}


def edited(entry: AuditEntry, name: str) -> AuditEntry:
    return replace(entry, **{name: EDITS[name](entry)})


@given(st.lists(drafts, min_size=1, max_size=12))
def test_intact_chain_verifies(items: list[AuditDraft]) -> None:
    chain = build(items)
    count, problems = verify_chain(chain, head=(chain[-1].seq, chain[-1].hash))
    assert count == len(chain)
    assert problems == []


FIELDS = sorted(EDITS)


@given(st.lists(drafts, min_size=1, max_size=12), st.data(), st.sampled_from(FIELDS))
def test_any_single_field_edit_is_detected_at_that_entry(
    items: list[AuditDraft], data: st.DataObject, name: str
) -> None:
    chain = build(items)
    i = data.draw(st.integers(0, len(chain) - 1))
    tampered = [*chain[:i], edited(chain[i], name), *chain[i + 1 :]]
    _, problems = verify_chain(tampered, head=(chain[-1].seq, chain[-1].hash))
    assert problems
    assert problems[0].seq in (chain[i].seq, tampered[i].seq)


@given(st.lists(drafts, min_size=2, max_size=12), st.data())
def test_deleting_an_entry_is_detected(items: list[AuditDraft], data: st.DataObject) -> None:
    chain = build(items)
    i = data.draw(st.integers(0, len(chain) - 1))
    rest = chain[:i] + chain[i + 1 :]
    _, problems = verify_chain(rest, head=(chain[-1].seq, chain[-1].hash))
    assert problems
    if i < len(chain) - 1:
        assert problems[0].seq == chain[i + 1].seq  # names the entry after the gap


@given(st.lists(drafts, min_size=2, max_size=12), st.data())
def test_reordering_is_detected(items: list[AuditDraft], data: st.DataObject) -> None:
    chain = build(items)
    i = data.draw(st.integers(0, len(chain) - 2))
    swapped = [*chain[:i], chain[i + 1], chain[i], *chain[i + 2 :]]
    _, problems = verify_chain(swapped)
    assert problems
    assert problems[0].seq == chain[i + 1].seq


def test_head_catches_a_deleted_tail() -> None:
    chain = build([AuditDraft(at=T0, actor="a", action=AuditAction.TEST_APPENDED, subject="s")] * 3)
    _, problems = verify_chain(chain[:-1], head=(3, chain[-1].hash))
    assert [p.seq for p in problems] == [3]
