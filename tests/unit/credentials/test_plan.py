"""Campaign planning: which accounts, which actions, how urgently."""

from __future__ import annotations

from breachdesk.credentials.hashscheme import CrackTier
from breachdesk.credentials.plan import PersonCredentials, Urgency, plan_accounts, plan_person
from breachdesk.credentials.provider import ResetAction as A


def person(pid: int, *elements: str, tier: CrackTier | None = None) -> PersonCredentials:
    return PersonCredentials(pid, frozenset(elements), tier)


def test_only_credential_exposures_are_planned() -> None:
    assert plan_person(person(1, "email", "ssn", "payment_card")) is None
    planned = plan_person(person(2, "email", "password_hash", "security_answer"))
    assert planned is not None
    assert planned.actions == (A.FORCE_RESET, A.REVOKE_SESSIONS, A.RESET_SECURITY_QUESTIONS)
    assert planned.reasons == ("password_hash", "security_answer")


def test_urgency_follows_the_assessment() -> None:
    assert plan_person(person(1, "password")).urgency is Urgency.CRITICAL  # type: ignore[union-attr]
    weak = plan_person(person(1, "password_hash", tier=CrackTier.INSTANT))
    slow = plan_person(person(1, "password_hash", tier=CrackTier.IMPRACTICAL))
    unknown = plan_person(person(1, "password_hash"))
    assert weak is not None
    assert slow is not None
    assert unknown is not None
    assert weak.urgency is Urgency.CRITICAL
    assert "instant" in weak.rationale
    assert slow.urgency is Urgency.NORMAL
    assert unknown.urgency is Urgency.HIGH
    keys = plan_person(person(1, "api_key"))
    assert keys is not None
    assert keys.actions == (A.REVOKE_KEYS, A.REVOKE_SESSIONS)
    assert keys.urgency is Urgency.CRITICAL


def test_most_urgent_first() -> None:
    planned = plan_accounts(
        [
            person(1, "security_answer"),
            person(2, "password_hash", tier=CrackTier.IMPRACTICAL),
            person(3, "password"),
            person(4, "email"),
        ]
    )
    assert [p.person_id for p in planned] == [3, 1, 2]
