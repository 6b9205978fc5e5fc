"""The obligations engine on small rules built here: thresholds, exemptions, clocks, residence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rules_helpers import DISCOVERED, facts, make_rule, people

from breachdesk.core.obligation import LawEnforcementDelay, ObligationStatus
from breachdesk.rules.evaluate import evaluate
from breachdesk.rules.model import Authority, Contact

DETERMINED = DISCOVERED + timedelta(days=2)
AG_30 = {
    "recipient": "attorney_general",
    "deadline": {"within": {"days": 30}, "from": "determination"},
}
TEXAS = make_rule(
    id="us-tx-breach",
    citations=["Tex. Bus. & Com. Code § 521.053(i)"],
    notices=[
        {"recipient": "individuals", "deadline": {"within": {"days": 60}, "from": "determination"}},
        {**AG_30, "threshold": {"op": ">=", "value": 250}},
    ],
)


def _keys(evaluation: object) -> list[str]:
    return [o.key for o in evaluation.obligations]  # type: ignore[attr-defined]


def test_texas_attorney_general_explanation() -> None:
    result = evaluate([TEXAS], facts(people(1203), determined_at=DETERMINED))
    ag = next(o for o in result.obligations if o.recipient == "attorney_general")
    assert (
        "Texas: 1,203 residents >= 250 -> attorney general notice within 30 days of determination "
        "(Tex. Bus. & Com. Code § 521.053(i))" in ag.explanation
    )
    assert ag.status is ObligationStatus.APPLIES
    assert ag.people == 1203
    assert ag.due_local == "2026-04-03T23:59:59-05:00"  # 2026-03-04 + 30 days, Central time
    assert result.obligations[0] is ag  # earliest deadline first


def test_threshold_at_the_boundary_for_greater_or_equal() -> None:
    assert "us-tx-breach:attorney_general" in _keys(evaluate([TEXAS], facts(people(250))))
    result = evaluate([TEXAS], facts(people(249)))
    assert _keys(result) == ["us-tx-breach:individuals"]
    (skipped,) = result.not_applicable
    assert skipped.recipient == "attorney_general"
    assert skipped.reason == "249 residents < 250: no attorney general notice owed"


def test_threshold_at_the_boundary_for_greater_than() -> None:
    rule = make_rule(notices=[{**AG_30, "threshold": {"op": ">", "value": 500}}])
    assert _keys(evaluate([rule], facts(people(500)))) == []
    assert (
        "500 residents not > 500" in evaluate([rule], facts(people(500))).not_applicable[0].reason
    )
    assert _keys(evaluate([rule], facts(people(501)))) == ["us-tx-test:attorney_general"]


def test_threshold_counting_everyone() -> None:
    rule = make_rule(notices=[{**AG_30, "threshold": {"op": ">", "value": 3, "counts": "total"}}])
    groups = (people(2), people(2, "US-CA"))
    (ag,) = evaluate([rule], facts(*groups)).obligations
    assert ag.people == 4
    assert any("4 people in total > 3 -> attorney general" in ln for ln in ag.explanation)


def test_trigger_needs_a_full_combination() -> None:
    result = evaluate([TEXAS], facts(people(5, "US-TX", "person_name", "email")))
    assert result.obligations == ()
    assert (
        "5 residents affected, none with a triggering combination"
        in result.not_applicable[0].reason
    )
    credentials = evaluate([TEXAS], facts(people(5, "US-TX", "username", "password")))
    assert len(credentials.obligations) == 1


def test_encryption_safe_harbour_unless_key_exposed() -> None:
    rule = make_rule(exemptions_encryption={"safe_harbor": True, "unless_key_exposed": True})
    safe = evaluate([rule], facts(people(10), encrypted=True, key_exposed=False))
    assert safe.obligations == ()
    assert "key was not exposed" in safe.not_applicable[0].reason
    exposed = evaluate([rule], facts(people(10), encrypted=True, key_exposed=True))
    (obligation,) = exposed.obligations
    assert any("key was exposed too: no safe harbour" in ln for ln in obligation.explanation)
    no_harbour = evaluate([make_rule()], facts(people(10), encrypted=True))
    assert any("no encryption safe harbour" in ln for ln in no_harbour.obligations[0].explanation)


def test_risk_of_harm_determination_only_where_allowed() -> None:
    allowed = make_rule(risk_of_harm={"allowed": True, "must_document": True, "retain_years": 5})
    recorded = facts(people(10), no_risk_determinations=frozenset({"US-TX"}))
    result = evaluate([allowed], recorded)
    assert result.obligations == ()
    assert any(
        "documented in writing and keep it for 5 years" in ln
        for ln in result.not_applicable[0].explanation
    )
    (kept,) = evaluate([make_rule()], recorded).obligations
    assert any("does not let it remove the duty" in ln for ln in kept.explanation)
    (open_,) = evaluate([allowed], facts(people(10))).obligations
    assert any("would remove this duty (none recorded)" in ln for ln in open_.explanation)


def test_determination_sent_to_the_regulator_where_required() -> None:
    rule = make_rule(
        risk_of_harm={"allowed": True, "notify_regulator_of_determination": True},
        notices=[{"recipient": "individuals", "deadline": {"within": {"days": 30}}}, AG_30],
    )
    recorded = facts(people(10), no_risk_determinations=frozenset({"us-tx-test"}))
    (send,) = evaluate([rule], recorded).obligations
    assert send.recipient == "attorney_general"
    assert send.content == ("written_determination_of_no_risk",)


def test_ordering_and_substitute_notice_are_reported() -> None:
    rule = make_rule(
        notices=[
            {**AG_30, "threshold": {"op": ">", "value": 1}},
            {
                "recipient": "individuals",
                "after": ["attorney_general"],
                "deadline": {"within": {"days": 45}},
                "substitute_notice": {"count_over": 100, "cost_over": 50000},
            },
        ]
    )
    individuals = next(
        o for o in evaluate([rule], facts(people(500))).obligations if o.recipient == "individuals"
    )
    assert individuals.after == ("attorney_general",)
    assert any("before the notice to individuals" in n for n in individuals.notes)
    assert any("more than 100 people are to be notified (met)" in n for n in individuals.notes)


def test_unknown_residence_makes_a_rule_a_review_item() -> None:
    unknown = people(7, None, country=None, source="unknown")
    result = evaluate([TEXAS], facts(unknown))
    (individuals,) = result.obligations  # 7 < 250: the AG notice could not be owed either way
    assert individuals.status is ObligationStatus.REVIEW
    assert (individuals.people, individuals.unknown_residence) == (0, 7)
    assert any("may apply: 7 people of unknown residence" in ln for ln in individuals.explanation)
    assert result.unknown_residence == 7
    assert any("unknown residence" in n for n in result.notes)


def test_threshold_reached_only_with_unknown_people_is_review() -> None:
    result = evaluate([TEXAS], facts(people(200), people(60, None, country=None, source="unknown")))
    by_recipient = {o.recipient: o for o in result.obligations}
    assert by_recipient["individuals"].status is ObligationStatus.APPLIES
    assert by_recipient["attorney_general"].status is ObligationStatus.REVIEW
    assert by_recipient["attorney_general"].people == 200


def test_us_resident_with_unknown_state() -> None:
    federal = make_rule(id="us-fed", jurisdiction="US", holidays="US")
    groups = facts(people(3, None, country="US"))
    assert evaluate([TEXAS], groups).obligations[0].status is ObligationStatus.REVIEW
    assert evaluate([federal], groups).obligations[0].status is ObligationStatus.APPLIES


def test_territory_country_code_counts_for_its_rule() -> None:
    puerto_rico = make_rule(id="us-pr", jurisdiction="US-PR", timezone="America/Puerto_Rico")
    (obligation,) = evaluate([puerto_rico], facts(people(2, None, country="PR"))).obligations
    assert obligation.people == 2


def test_eu_aggregates_member_states_and_lists_their_authorities() -> None:
    gdpr = make_rule(
        id="eu-gdpr-art33",
        jurisdiction="EU",
        timezone="Europe/Brussels",
        holidays=None,
        notices=[{"recipient": "regulator", "deadline": {"within": {"hours": 72}}}],
    )
    authorities = [
        Authority(jurisdiction=c, regime="eu-gdpr", contact=Contact(name=f"DPA {c}"))
        for c in ("FR", "DE", "IT")
    ]
    groups = (
        people(3, "FR-75", country="FR"),
        people(2, None, country="DE"),
        people(1, None, country="NO"),
        people(9, None, country="GB"),
    )
    (obligation,) = evaluate([gdpr], facts(*groups), authorities=authorities).obligations
    assert obligation.people == 6
    assert obligation.due_at == DISCOVERED + timedelta(hours=72)
    assert [c.name for c in obligation.contacts] == ["DPA FR", "DPA DE"]


def test_organisation_flags() -> None:
    hipaa = make_rule(
        id="us-hipaa", jurisdiction="US", applies={"requires_flags": ["hipaa_covered_entity"]}
    )
    result = evaluate([hipaa], facts(people(10)))
    assert "flagged hipaa_covered_entity (not recorded)" in result.not_applicable[0].reason
    flagged = facts(people(10), flags=frozenset({"hipaa_covered_entity"}))
    assert len(evaluate([hipaa], flagged).obligations) == 1


def test_missing_determination_falls_back_to_discovery() -> None:
    (individuals,) = evaluate([TEXAS], facts(people(3))).obligations
    assert individuals.clock_started_at == DISCOVERED
    assert "determination time not recorded: counting from discovery" in individuals.explanation[-1]
    assessed = make_rule(
        notices=[
            {"recipient": "regulator", "deadline": {"within": {"days": 3}, "from": "assessment"}}
        ]
    )
    (late,) = evaluate([assessed], facts(people(3), assessed_at=DETERMINED)).obligations
    assert late.clock_started_at == DETERMINED


def test_notice_counted_from_individual_notice() -> None:
    rule = make_rule(
        notices=[{**AG_30, "deadline": {"within": {"days": 15}, "from": "notice_to_individuals"}}]
    )
    (waiting,) = evaluate([rule], facts(people(3))).obligations
    assert waiting.due_at is None
    sent = DISCOVERED + timedelta(days=10)
    (due,) = evaluate(
        [rule], facts(people(3), individuals_notified_at={"us-tx-test": sent})
    ).obligations
    assert due.clock_started_at == sent
    assert due.due_at is not None


def test_without_unreasonable_delay_has_a_target_not_a_deadline() -> None:
    rule = make_rule(
        notices=[{"recipient": "individuals", "deadline": {"without_unreasonable_delay": True}}]
    )
    (obligation,) = evaluate([rule], facts(people(3))).obligations
    assert obligation.due_at is None
    assert obligation.target_at is not None
    assert obligation.target_at.astimezone(UTC).date().isoformat() == "2026-04-02"
    assert any("breachdesk's default" in ln for ln in obligation.explanation)
    assert obligation.target_local == "2026-04-01T23:59:59-05:00"


def test_law_enforcement_delay_only_where_allowed() -> None:
    delay = LawEnforcementDelay(
        requested_at=DISCOVERED + timedelta(days=1),
        until=DISCOVERED + timedelta(days=11),
        reference="FBI-1",
    )
    allowed = make_rule(law_enforcement_delay=True)
    plain = evaluate([allowed], facts(people(3))).obligations[0]
    (moved,) = evaluate(
        [allowed], facts(people(3), law_enforcement_delays={"US-TX": delay})
    ).obligations
    assert plain.due_at is not None
    assert moved.due_at == plain.due_at + timedelta(days=10)
    assert any("reference FBI-1" in ln for ln in moved.explanation)
    (runs,) = evaluate(
        [make_rule()], facts(people(3), law_enforcement_delays={"US-TX": delay})
    ).obligations
    assert runs.due_at == plain.due_at
    open_ended = LawEnforcementDelay(requested_at=DISCOVERED)
    (paused,) = evaluate(
        [allowed], facts(people(3), law_enforcement_delays={"US-TX": open_ended})
    ).obligations
    assert paused.status is ObligationStatus.SUSPENDED
    assert paused.due_at is None


def test_versions_and_overdue() -> None:
    old = make_rule(effective_to="2026-03-01", title="old")
    new = make_rule(effective_from="2026-03-01", title="new")
    later = datetime(2026, 12, 1, tzinfo=UTC)
    (obligation,) = evaluate([old, new], facts(people(3)), as_of=later).obligations
    assert obligation.regime == "new"
    assert obligation.overdue
    future = make_rule(id="us-tx-future", effective_from="2027-01-01")
    result = evaluate([future], facts(people(3)))
    assert "no version of this rule is in force on 2026-03-02" in result.not_applicable[0].reason


def test_conditions_in_words_make_a_review_item() -> None:
    rule = make_rule(
        notices=[
            {
                "recipient": "data_owner",
                "when": "only for service providers",
                "deadline": {"within": {"hours": 24}},
            }
        ]
    )
    (obligation,) = evaluate([rule], facts(people(3))).obligations
    assert obligation.status is ObligationStatus.REVIEW
    assert any("owed only when: only for service providers" in ln for ln in obligation.explanation)


def test_no_residents() -> None:
    result = evaluate([TEXAS], facts(people(3, "US-CA")))
    assert result.obligations == ()
    assert result.not_applicable[0].reason == "no affected residents of Texas"


def test_threshold_per_state() -> None:
    media = {
        "recipient": "media",
        "deadline": {"within": {"days": 60}},
        "threshold": {"op": ">", "value": 500, "per_subdivision": True},
    }
    federal = make_rule(id="us-hipaa-test", jurisdiction="US", holidays="US", notices=[media])
    split = facts(people(400, "US-CA"), people(400, "US-TX"))
    assert evaluate([federal], split).obligations == ()
    assert "largest: 400" in evaluate([federal], split).not_applicable[0].reason
    (notice,) = evaluate([federal], facts(people(501, "US-CA"), people(10, "US-TX"))).obligations
    assert notice.people == 501
    assert any("US-CA: 501 residents > 500" in ln for ln in notice.explanation)
    unsure = facts(people(450, "US-CA"), people(60, None, country="US"))
    assert evaluate([federal], unsure).obligations[0].status is ObligationStatus.REVIEW


def test_notice_citation_and_definitions_section() -> None:
    rule = make_rule(
        citations=["Test Code § 1 (definitions)", "Test Code § 2"],
        notices=[
            {"recipient": "individuals", "deadline": {"within": {"days": 60}}},
            {**AG_30, "citation": "Test Code § 2(b)"},
        ],
    )
    by_recipient = {o.recipient: o for o in evaluate([rule], facts(people(3))).obligations}
    assert "(Test Code § 2)" in by_recipient["individuals"].explanation[-1]
    assert by_recipient["attorney_general"].citations[0] == "Test Code § 2(b)"
    assert any("(Test Code § 2(b))" in ln for ln in by_recipient["attorney_general"].explanation)


def test_ordering_only_towards_recipients_owed_a_notice() -> None:
    rule = make_rule(
        notices=[
            {**AG_30, "threshold": {"op": ">", "value": 100}},
            {
                "recipient": "individuals",
                "after": ["attorney_general"],
                "deadline": {"within": {"days": 45}},
            },
        ]
    )
    (individuals,) = evaluate([rule], facts(people(5))).obligations
    assert individuals.after == ()
    assert not any(n.startswith("order:") for n in individuals.notes)


def test_two_notices_to_one_recipient_have_distinct_keys() -> None:
    rule = make_rule(
        notices=[
            {"recipient": "regulator", "deadline": {"within": {"days": 3}}},
            {"recipient": "regulator", "deadline": {"within": {"days": 30}}},
        ]
    )
    keys = _keys(evaluate([rule], facts(people(3))))
    assert keys == ["us-tx-test:regulator", "us-tx-test:regulator#2"]


def test_rules_counting_everyone_anywhere() -> None:
    sec = make_rule(id="us-sec-test", jurisdiction="US", applies={"residents_of": "*"})
    groups = facts(people(4, None, country="FR"), people(1, None, country=None, source="unknown"))
    (filing,) = evaluate([sec], groups).obligations
    assert filing.people == 5
    assert filing.status is ObligationStatus.APPLIES
