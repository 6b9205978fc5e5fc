"""US state breach-notification rules, Montana through Wyoming, checked against the statutes.

Each case cites the section the expectation comes from. The tests read the rule files only; they
do not depend on the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rulefiles import DATA, MY_STATES, load_rule, notices_to, only_notice, triggered_by

from breachdesk.rules.model import Clock, Recipient, Rule

R = Recipient

STATES = MY_STATES


def state(code: str) -> Rule:
    return load_rule(DATA / "us" / f"us-{code.lower()}.yaml")


@dataclass(frozen=True)
class Case:
    """What the statute says about one state's individual notice."""

    code: str
    cite: str
    days: int | None  # fixed outer limit for individuals, None = "without unreasonable delay"
    clock: Clock = Clock.DISCOVERY


INDIVIDUAL_DEADLINES = (
    Case("MT", "§ 30-14-1704(1): without unreasonable delay", None),
    Case(
        "NE",
        "§ 87-803(1): as soon as possible and without unreasonable delay",
        None,
        Clock.DETERMINATION,
    ),
    Case("NV", "NRS 603A.220(1): most expedient time possible", None),
    Case("NH", "RSA 359-C:20(I)(a): as soon as possible", None, Clock.DETERMINATION),
    Case("NJ", "§ 56:8-163(a): most expedient time possible", None),
    Case("NM", "§ 57-12C-6(A): not later than 45 calendar days after discovery", 45),
    Case("NY", "GBL § 899-aa(2): within thirty days after discovery", 30),
    Case("NC", "§ 75-65(a): without unreasonable delay", None),
    Case("ND", "§ 51-30-02: most expedient time possible", None),
    Case("OH", "§ 1349.19(B)(2): not later than 45 days following discovery", 45),
    Case("OK", "24 O.S. § 163(A): without unreasonable delay", None),
    Case("OR", "§ 646A.604(3)(a): not later than 45 days after discovering", 45),
    Case("PA", "73 P.S. § 2303(a): without unreasonable delay", None),
    Case("RI", "§ 11-49.3-4(a)(2): 45 calendar days after confirmation", 45, Clock.DETERMINATION),
    Case("SC", "§ 39-1-90(A): most expedient time possible", None),
    Case("SD", "§ 22-40-20: not later than sixty days from discovery", 60),
    Case("TN", "§ 47-18-2107(b): no later than 45 days from discovery", 45),
    Case(
        "TX",
        "§ 521.053(b): not later than the 60th day after determination",
        60,
        Clock.DETERMINATION,
    ),
    Case("UT", "§ 13-44-202(2): most expedient time possible", None, Clock.DETERMINATION),
    Case("VT", "9 V.S.A. § 2435(b)(1): not later than 45 days after discovery", 45),
    Case("VA", "§ 18.2-186.6(B): without unreasonable delay", None),
    Case("WA", "RCW 19.255.010(8): no more than thirty calendar days after discovery", 30),
    Case("WV", "§ 46A-2A-102(a): without unreasonable delay", None),
    Case("WI", "§ 134.98(3)(a): not to exceed 45 days after learning", 45),
    Case("WY", "§ 40-12-502(a): most expedient time possible", None),
)


def test_every_state_in_my_range_has_one_valid_file() -> None:
    ids = {state(code).id for code in STATES}
    assert len(ids) == len(STATES)
    for code in STATES:
        rule = state(code)
        assert rule.jurisdiction == f"US-{code}"
        assert rule.id == f"us-{code.lower()}-breach-notification"
        assert rule.holidays == f"US-{code}"
        assert str(rule.as_of) == "2026-11-01"
        assert rule.citations
        assert rule.sources


@pytest.mark.parametrize("case", INDIVIDUAL_DEADLINES, ids=lambda c: c.code)
def test_individual_deadline_as_the_statute_states(case: Case) -> None:
    notice = only_notice(state(case.code), R.INDIVIDUALS)
    deadline = notice.deadline
    assert deadline.from_ == case.clock, case.cite
    if case.days is None:
        assert deadline.within is None, case.cite
        assert deadline.without_unreasonable_delay, case.cite
        assert deadline.target is not None, "a recommended target where the law sets none"
    else:
        assert deadline.within is not None, case.cite
        assert deadline.within.days == case.days, case.cite
        assert not deadline.within.business_days, case.cite


@pytest.mark.parametrize("code", STATES)
def test_name_plus_ssn_triggers_and_name_alone_does_not(code: str) -> None:
    rule = state(code)
    assert triggered_by(rule, "person_name", "ssn")
    assert not triggered_by(rule, "person_name")
    assert not triggered_by(rule, "ssn"), "every statute in range pairs SSN with a name"


@pytest.mark.parametrize("code", STATES)
def test_encryption_safe_harbour_lost_when_key_exposed(code: str) -> None:
    encryption = state(code).exemptions_encryption
    assert encryption is not None
    assert encryption.safe_harbor
    assert encryption.unless_key_exposed


# --- attorney-general and regulator thresholds: operator exactly as written ---------------------

AG_THRESHOLDS = (
    ("ND", "§ 51-30-02: 'exceeds two hundred fifty individuals'", ">", 250),
    ("NM", "§ 57-12C-10: 'more than one thousand New Mexico residents'", ">", 1000),
    ("OK", "24 O.S. § 163 (SB 626): '500 or more' residents", ">=", 500),
    ("OR", "§ 646A.604(1)(b): 'exceeds 250' consumers", ">", 250),
    ("PA", "73 P.S. § 2303 (Act 33 of 2024): 'more than 500' residents", ">", 500),
    ("RI", "§ 11-49.3-4(a)(2): 'more than five hundred (500)' residents", ">", 500),
    ("SD", "§ 22-40-20: 'exceeds two hundred fifty residents'", ">", 250),
    ("TX", "§ 521.053(i): 'at least 250 residents of this state'", ">=", 250),
    ("UT", "§ 13-44-202(1)(c): '500 or more Utah residents'", ">=", 500),
    ("WA", "RCW 19.255.010(7): 'more than five hundred Washington residents'", ">", 500),
)


@pytest.mark.parametrize(
    ("code", "cite", "op", "value"), AG_THRESHOLDS, ids=[c[0] for c in AG_THRESHOLDS]
)
def test_attorney_general_threshold_operator_exact(
    code: str, cite: str, op: str, value: int
) -> None:
    notice = only_notice(state(code), R.ATTORNEY_GENERAL)
    assert notice.threshold is not None, cite
    assert (notice.threshold.op, notice.threshold.value) == (op, value), cite


AG_ALWAYS = ("MT", "NE", "NH", "NC")  # AG notice for every notifiable breach


@pytest.mark.parametrize("code", AG_ALWAYS)
def test_attorney_general_notice_without_threshold(code: str) -> None:
    notice = only_notice(state(code), R.ATTORNEY_GENERAL)
    assert notice.threshold is None


@pytest.mark.parametrize("code", ["NV", "OH", "TN", "WV", "WI", "WY"])
def test_no_attorney_general_notice(code: str) -> None:
    assert notices_to(state(code), R.ATTORNEY_GENERAL) == []


CRA_THRESHOLDS = (
    ("NV", "NRS 603A.220(6): more than 1,000 persons", ">", 1000),
    ("NH", "RSA 359-C:20(VI)(a): more than 1,000 persons", ">", 1000),
    ("NJ", "§ 56:8-163(f): more than 1,000 persons", ">", 1000),
    ("NY", "GBL § 899-aa(8)(b): more than five thousand New York residents", ">", 5000),
    ("NC", "§ 75-65(f): more than 1,000 persons at one time", ">", 1000),
    ("OH", "§ 1349.19(G): more than one thousand residents", ">", 1000),
    ("OR", "§ 646A.604(2): more than 1,000 consumers", ">", 1000),
    ("PA", "73 P.S. § 2305 as amended by Act 33 of 2024: 500 (was 1,000)", ">", 500),
    ("RI", "§ 11-49.3-4(a)(2): more than 500 residents", ">", 500),
    ("SC", "§ 39-1-90(K): more than one thousand persons", ">", 1000),
    ("TN", "§ 47-18-2107(f): more than 1,000 persons at one time", ">", 1000),
    ("TX", "§ 521.053(h): more than 10,000 persons", ">", 10000),
    ("UT", "§ 13-44-202(1)(d): 1,000 or more Utah residents", ">=", 1000),
    ("VT", "9 V.S.A. § 2435(c): more than 1,000 consumers", ">", 1000),
    ("VA", "§ 18.2-186.6(E): more than 1,000 persons at one time", ">", 1000),
    ("WV", "§ 46A-2A-102(f): more than one thousand persons", ">", 1000),
    ("WI", "§ 134.98(2)(br): more than 1,000 individuals", ">", 1000),
)


@pytest.mark.parametrize(
    ("code", "cite", "op", "value"), CRA_THRESHOLDS, ids=[c[0] for c in CRA_THRESHOLDS]
)
def test_consumer_reporting_agency_threshold(code: str, cite: str, op: str, value: int) -> None:
    notice = only_notice(state(code), R.CONSUMER_REPORTING_AGENCIES)
    assert notice.threshold is not None, cite
    assert (notice.threshold.op, notice.threshold.value) == (op, value), cite


# --- state-specific boundary facts --------------------------------------------------------------


def test_texas_ag_within_30_days_of_determination_at_least_250() -> None:
    """Tex. Bus. & Com. Code § 521.053(i) as amended by SB 768 (2023)."""
    notice = only_notice(state("TX"), R.ATTORNEY_GENERAL)
    assert notice.deadline.within is not None
    assert notice.deadline.within.days == 30
    assert notice.deadline.from_ == Clock.DETERMINATION
    assert notice.threshold is not None
    assert notice.threshold.op == ">="  # exactly 250 residents -> notice owed
    assert state("TX").risk_of_harm.allowed is False


def test_texas_health_information_triggers() -> None:
    """§ 521.002(a)(2)(B): information identifying an individual and relating to health."""
    assert triggered_by(state("TX"), "person_name", "medical")


def test_new_jersey_state_police_before_customers() -> None:
    """N.J. Stat. § 56:8-163(c)(1): report to the Division of State Police before customers."""
    rule = state("NJ")
    individuals = only_notice(rule, R.INDIVIDUALS)
    assert R.LAW_ENFORCEMENT in individuals.after
    assert rule.risk_of_harm.allowed
    assert rule.risk_of_harm.must_document
    assert rule.risk_of_harm.retain_years == 5
    assert triggered_by(rule, "email", "password"), "P.L. 2019, c.95 online credentials"


def test_new_york_thirty_days_four_regulators_and_documented_exception() -> None:
    """GBL § 899-aa(2), (8)(a) as amended 2024; (2)(a) risk determination kept 5 years."""
    rule = state("NY")
    regulators = notices_to(rule, R.REGULATOR) + notices_to(rule, R.ATTORNEY_GENERAL)
    regulators += notices_to(rule, R.LAW_ENFORCEMENT)
    names = {n.contact.name for n in regulators if n.contact is not None}
    assert any("Financial Services" in name for name in names)
    assert any("Department of State" in name for name in names)
    assert any("State Police" in name for name in names)
    assert any("Attorney General" in name for name in names)
    assert rule.risk_of_harm.must_document
    assert rule.risk_of_harm.retain_years == 5
    assert triggered_by(rule, "username", "password")
    assert triggered_by(rule, "person_name", "biometric")


def test_south_dakota_risk_determination_goes_to_the_ag() -> None:
    """SDCL § 22-40-20: no-harm determination after notice to the AG, kept three years."""
    risk = state("SD").risk_of_harm
    assert risk.allowed
    assert risk.notify_regulator_of_determination
    assert risk.retain_years == 3


def test_vermont_preliminary_notice_in_14_business_days() -> None:
    """9 V.S.A. § 2435(b)(3): preliminary AG notice within 14 business days of discovery."""
    rule = state("VT")
    first = notices_to(rule, R.ATTORNEY_GENERAL)[0]
    assert first.deadline.within is not None
    assert first.deadline.within.days == 14
    assert first.deadline.within.business_days
    assert rule.risk_of_harm.notify_regulator_of_determination


def test_oklahoma_ag_counts_from_the_individual_notice() -> None:
    """24 O.S. § 163 (SB 626, 2025): AG within 60 days after notifying residents."""
    notice = only_notice(state("OK"), R.ATTORNEY_GENERAL)
    assert notice.deadline.from_ == Clock.NOTICE_TO_INDIVIDUALS
    assert notice.deadline.within is not None
    assert notice.deadline.within.days == 60


def test_washington_ag_thirty_days_and_harm_exception() -> None:
    """RCW 19.255.010(1), (7): AG within 30 days if more than 500 residents."""
    rule = state("WA")
    notice = only_notice(rule, R.ATTORNEY_GENERAL)
    assert notice.deadline.within is not None
    assert notice.deadline.within.days == 30
    assert rule.risk_of_harm.allowed
    assert triggered_by(rule, "person_name", "date_of_birth")


def test_north_carolina_card_number_alone_with_name_triggers() -> None:
    """N.C. Gen. Stat. § 14-113.20(b): card and account numbers need no access code."""
    assert triggered_by(state("NC"), "person_name", "payment_card")


def test_wisconsin_dna_profile_triggers() -> None:
    """Wis. Stat. § 134.98(1)(b)(5): deoxyribonucleic acid profile."""
    assert triggered_by(state("WI"), "person_name", "genetic")


def test_north_dakota_date_of_birth_triggers() -> None:
    """N.D. Cent. Code § 51-30-01(4)(a): date of birth with name."""
    assert triggered_by(state("ND"), "person_name", "date_of_birth")
    assert state("ND").risk_of_harm.allowed is False


def test_tennessee_no_risk_of_harm_exception() -> None:
    """Tenn. Code § 47-18-2107: immediate notice, no harm analysis."""
    rule = state("TN")
    assert rule.risk_of_harm.allowed is False
    assert only_notice(rule, R.INDIVIDUALS).deadline.target is None


def test_pennsylvania_medical_only_for_state_agencies() -> None:
    """73 P.S. § 2302 as amended by Act 33 of 2024: medical information in the possession of a
    State agency or contractor; health insurance information counts for everyone."""
    rule = state("PA")
    assert not triggered_by(rule, "person_name", "medical")
    assert triggered_by(rule, "person_name", "health_insurance")


def test_new_york_law_enforcement_is_the_only_delay() -> None:
    """GBL § 899-aa(4): notice may be delayed only for the legitimate needs of law enforcement."""
    rule = state("NY")
    assert rule.law_enforcement_delay
    assert only_notice(rule, R.INDIVIDUALS).deadline.from_ == Clock.DISCOVERY
